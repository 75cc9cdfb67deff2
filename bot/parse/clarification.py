"""What the parser gives back instead of a plan: a question for the reporter, as typed facts;
``bot.render.clarifications`` says it in words."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from bot.parse.text import strip_markup

# Example questions: the first three follow every clarification; help and App Home list all.
EXAMPLES = (
    "harassment Thames Valley year to September 2023",
    "charge rate Thames Valley 2023/24",
    "which force has the highest burglary rate per head?",
    "is knife crime in Kent at a record high?",
    "compare burglary in the Met and GMP",
)


class Ask(StrEnum):
    """What the parser needs to know, or why it cannot go on; the comment names the facts."""

    TOO_LONG = "too long"  # length, limit
    NOTHING_ASKED = "nothing asked"
    CODE = "looks like code"
    GREETING = "greeting"
    FRAUD_BODY_AND_PLACE = "fraud body and place"  # options: the body, the place
    YEAR_BEFORE_WHAT = "the year before what"
    NOTHING_RECOGNISED = "no force, offence or measure"
    TOO_MANY_UNKNOWN = "too many unknown words"
    UNKNOWN_WORDS = "unknown words"  # words
    DID_YOU_MEAN = "did you mean"  # words (the one misspelt), options
    WHICH_PLACE = "which place"  # words (the one naming several places)
    WHICH_OFFENCE = "which offence"  # options
    WHICH_OUTCOME = "which outcome"  # options
    OUTSIDE = "outside England and Wales"  # subject
    NOT_RECORDED = "not in police recorded crime"  # subject
    WHICH_QUARTER = "calendar or financial quarter"  # quarter, year
    QUARTER_WITHOUT_YEAR = "three months to a month, no year"  # month, year (an example)
    NOT_A_QUARTER = "three months that are not a quarter"
    YEAR_TO_WITHOUT_YEAR = "year to a month, no year"  # month, year (an example)
    WHICH_FINANCIAL_YEAR = "which financial year"  # year
    WHICH_PERIOD = "more than one year"  # years
    SAME_PERIOD_TWICE = "the same period twice"
    THREE_PERIODS = "more than two periods compared"
    TREND_LENGTH = "trend too short or too long"  # limits (the shortest and longest)
    LIST_TOO_LONG = "list of forces too long"
    FORCE_OUTSIDE = "a force outside England and Wales"  # subject
    NOT_A_FORCE = "not a police force"  # words
    NOT_A_TIME = "not a time of day"  # words
    NATIONAL_DIGEST = "a digest for England and Wales"
    WHICH_FORCES = "a digest for no forces"
    STORY_ONE_PLACE = "a story about more than one place"


@dataclass(frozen=True)
class Facts:
    """The values a clarification's words need (which ones: see Ask)."""

    words: tuple[str, ...] = ()  # the reporter's words asked about, as typed
    options: tuple[str, ...] = ()  # names to choose between
    subject: str = ""  # what the data does not cover: a vocabulary.toml [not_recorded] or
    # [outside] subject
    length: int = 0
    limits: tuple[int, ...] = ()
    month: int = 0
    year: int = 0
    quarter: int = 0
    years: tuple[int, ...] = ()


@dataclass(frozen=True)
class Clarification:
    reason: Ask
    facts: Facts = field(default_factory=Facts)
    suggestions: tuple[str, ...] = EXAMPLES[:3]
    replace: str = ""  # the words each suggestion stands in for ("" = whole questions)

    def __post_init__(self) -> None:
        object.__setattr__(self, "reason", Ask(self.reason))

    def questions(self, original: str) -> list[str]:
        """The suggestions as questions to ask instead: the original, corrected, with any
        Slack markup in it stripped (a suggestion is echoed back into the channel)."""
        original = strip_markup(original)
        if not self.replace:
            return list(self.suggestions)
        pattern = r"\b" + r"\W+".join(map(re.escape, self.replace.split())) + r"\b"
        found = re.search(pattern, original, flags=re.IGNORECASE)
        if not found:
            return [f"{original} {s}" for s in self.suggestions]
        return [original[: found.start()] + s + original[found.end() :] for s in self.suggestions]
