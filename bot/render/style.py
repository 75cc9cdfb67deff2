"""The newsroom's house style for copy (CRIMEBOT_PERCENT_STYLE), and the force names as
newspapers write them.

Render functions take the percent style as a parameter (default: words). The entry points
(``render``, ``render_story``, ``digest_text``, ``digest_message``) fall back to the house style
set once at start-up with ``use_house_style`` (the command line does, from the settings), so the
answers, Slack and digest layers need not pass it through every call."""

from __future__ import annotations

from bot.settings import PercentStyle

WORDS, SYMBOL = PercentStyle.WORDS, PercentStyle.SYMBOL
_house: list[PercentStyle] = [WORDS]

# Names a newspaper writes with "the": "The Metropolitan Police recorded …", "in the
# Metropolitan Police area"; "Thames Valley Police" and "Cumbria Constabulary" take none.
WITH_THE = frozenset({"Metropolitan Police"})


def use_house_style(style: PercentStyle) -> None:
    """Set once at start-up: the style of every reply that does not name one."""
    _house[0] = PercentStyle(style)


def house_style(style: PercentStyle | None = None) -> PercentStyle:
    """``style`` when given, else the house style set at start-up (words by default)."""
    return style if style is not None else _house[0]


def named(label: str, start: bool = False) -> str:
    """'the Metropolitan Police' (capitalised at the start of a sentence), 'Kent Police'."""
    if label in WITH_THE:
        return f"{'The' if start else 'the'} {label}"
    return label
