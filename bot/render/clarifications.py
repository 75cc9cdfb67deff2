"""What the parser asks, in words: one sentence (or two) for each typed clarification."""

from __future__ import annotations

from collections.abc import Callable

from bot.core.periods import MONTHS, Quarter
from bot.parse.clarification import Ask, Clarification, Facts

ENGLAND_AND_WALES = "I only have police recorded crime for England and Wales"
WHAT_I_KNOW = (
    "I know the 43 police forces of England and Wales, British Transport Police, the regions, "
    "and offences such as harassment or burglary."
)
UNKNOWN_WORDS_NAMED = 3  # the reply names at most this many words it did not know

# Why police recorded crime does not cover a subject (vocabulary.toml's [not_recorded]).
NOT_RECORDED = {
    "domestic abuse": (
        "Domestic abuse is not an offence in these tables: it is a flag on offences such "
        "as assault or controlling behaviour, published separately in the ONS domestic "
        "abuse statistics."
    ),
    "hate crime": (
        "Hate crime is a separate Home Office publication, not in these tables. The "
        "nearest offences here are the racially or religiously aggravated ones, which are "
        "only part of hate crime."
    ),
    "anti-social behaviour": (
        "Anti-social behaviour is recorded by the police as incidents, not crimes, so it "
        "is not in police recorded crime."
    ),
    "motoring offences": (
        "Drink and drug driving and most motoring offences are not notifiable crimes, so "
        "police recorded crime does not count them (the Department for Transport and "
        "Ministry of Justice publish them)."
    ),
    "computer misuse": (
        "Computer misuse and most fraud are recorded centrally by Action Fraud, not by "
        "local police forces, so there is no force figure for them here."
    ),
    "arrests": (
        "Arrests, prosecutions, convictions and sentences are other statistics (Home "
        "Office police powers and Ministry of Justice figures), not police recorded "
        "crime. The nearest here is the share of offences that led to a charge or "
        "summons."
    ),
    "stop and search": "Stop and search is a police powers statistic, not police recorded crime.",
    "stabbings": (
        "Stabbings are not a series in police recorded crime: offences involving a knife "
        "are a separate ONS series. The nearest here is possession of an article with a "
        "blade or point."
    ),
    "solved": (
        'Police recorded crime has no "solved" figure: each offence gets an outcome type. '
        "The nearest are the share that led to a charge or summons and the share closed "
        "with no suspect identified."
    ),
    "dropped": (
        '"Dropped" covers several outcome types. The nearest are the victim not '
        "supporting action, evidential difficulties, and no further action in the public "
        "interest."
    ),
}
# Where a place outside England and Wales has its figures (vocabulary.toml's [outside]).
OUTSIDE = {
    "scotland": "Scotland's police recorded crime is published by the Scottish Government.",
    "northern ireland": "Northern Ireland's police recorded crime is published by the PSNI.",
    "ireland": "Ireland's crime statistics are published by the CSO.",
    "isle of man": "The Isle of Man Constabulary is not part of the England and Wales figures.",
    "jersey": "The States of Jersey Police is not part of the England and Wales figures.",
    "guernsey": "Guernsey's police are not part of the England and Wales figures.",
    "uk": (
        "These are the England and Wales figures: Scotland and Northern Ireland publish their own."
    ),
}


def clarification_text(clarification: Clarification) -> str:
    """The reply's text for a clarification: what was not understood, or what to choose."""
    return _WORDS[clarification.reason](clarification.facts)


def _quoted(word: str) -> str:
    return f"“{word}”"


def _either(options: tuple[str, ...]) -> str:
    return " or ".join(options)


def _which_quarter(facts: Facts) -> str:
    q, year = facts.quarter, facts.year
    calendar = Quarter.ending(year, q * 3)
    financial = Quarter(year, q)
    return (
        f"Which quarter: {calendar.label(article=False)} (Q{q} of {year}) or "
        f"{financial.label(article=False)} (Q{q} of the financial year "
        f"{financial.financial_year})?"
    )


def _which_financial_year(facts: Facts) -> str:
    year = facts.year
    return (
        f"Which financial year: {year - 1}/{year % 100:02d} (April {year - 1} to "
        f"March {year}) or {year}/{(year + 1) % 100:02d} (April {year} to March {year + 1})?"
    )


def _which_year(period: str) -> Callable[[Facts], str]:
    def words(facts: Facts) -> str:
        return f"Which year? For example “{period} {MONTHS[facts.month - 1]} {facts.year}”."

    return words


def _unknown_words(facts: Facts) -> str:
    words = ", ".join(map(_quoted, facts.words[:UNKNOWN_WORDS_NAMED]))
    return f"I don't know {words}. {WHAT_I_KNOW}"


_WORDS: dict[Ask, Callable[[Facts], str]] = {
    Ask.TOO_LONG: lambda f: (
        f"That message is {f.length:,} characters long: ask one short question "
        f"(under {f.limits[0]} characters), for example:"
    ),
    Ask.NOTHING_ASKED: lambda f: (
        "Ask me about police recorded crime in England and Wales, for example:"
    ),
    Ask.CODE: lambda f: "That looks like code, not a question. Ask in plain words, for example:",
    Ask.FRAUD_BODY_AND_PLACE: lambda f: (
        f"{f.options[0]} records fraud for the whole of England and Wales, not by police force "
        f"area, so it has no figures for {f.options[1]}. Ask about one or the other:"
    ),
    Ask.GREETING: lambda f: (
        "Hello! I give exact police recorded crime figures for England and Wales, with their "
        "period and source. Try:"
    ),
    Ask.YEAR_BEFORE_WHAT: lambda f: (
        "The year before what? This is a new thread: ask the whole question, for example:"
    ),
    Ask.NOTHING_RECOGNISED: lambda f: (
        "I couldn't find a force, an offence or a measure in that. I answer questions about "
        "police recorded crime in England and Wales, for example:"
    ),
    Ask.TOO_MANY_UNKNOWN: lambda f: (
        "I couldn't make sense of that: too many words I don't know. Ask about a force, an "
        "offence and a period, for example:"
    ),
    Ask.UNKNOWN_WORDS: _unknown_words,
    Ask.DID_YOU_MEAN: lambda f: (
        f"I don't know {_quoted(f.words[0])}. Did you mean {_either(f.options)}?"
    ),
    Ask.WHICH_PLACE: lambda f: f"Which do you mean by {_quoted(f.words[0])}?",
    Ask.WHICH_OFFENCE: lambda f: f"Which offence do you mean: {_either(f.options)}?",
    Ask.WHICH_OUTCOME: lambda f: f"Which outcome do you mean: {_either(f.options)}?",
    Ask.OUTSIDE: lambda f: (
        f"{ENGLAND_AND_WALES}: the 43 forces, British Transport Police and their regions. "
        f"{OUTSIDE[f.subject]}"
    ),
    Ask.NOT_RECORDED: lambda f: NOT_RECORDED[f.subject],
    Ask.WHICH_QUARTER: _which_quarter,
    Ask.QUARTER_WITHOUT_YEAR: _which_year("three months to"),
    Ask.NOT_A_QUARTER: lambda f: (
        "Figures are published by quarter (April to June, July to September, October to "
        "December, January to March): which one?"
    ),
    Ask.YEAR_TO_WITHOUT_YEAR: _which_year("year to"),
    Ask.WHICH_FINANCIAL_YEAR: _which_financial_year,
    Ask.WHICH_PERIOD: lambda f: (
        "Which period? I found more than one year: "
        + ", ".join(map(str, f.years))
        + ". To compare two, ask “2019 vs 2024”."
    ),
    Ask.SAME_PERIOD_TWICE: lambda f: "Those are the same period twice.",
    Ask.THREE_PERIODS: lambda f: "Compare two periods at a time, for example “2019/20 vs 2024/25”.",
    Ask.TREND_LENGTH: lambda f: f"Ask for a trend of {f.limits[0]} to {f.limits[1]} years.",
    Ask.LIST_TOO_LONG: lambda f: "That list is too long: name up to a few forces.",
    Ask.FORCE_OUTSIDE: lambda f: f"{ENGLAND_AND_WALES}. {OUTSIDE[f.subject]}",
    Ask.NOT_A_FORCE: lambda f: (
        f"I don't know {_quoted(f.words[0])} as a police force. Name forces, for example:"
    ),
    Ask.NOT_A_TIME: lambda f: f"{_quoted(f.words[0])} is not a time of day. Say, for example:",
    Ask.NATIONAL_DIGEST: lambda f: (
        "Every digest opens with England and Wales: subscribe to the forces you cover, for example:"
    ),
    Ask.WHICH_FORCES: lambda f: "Which forces should this channel's digest cover? For example:",
    Ask.STORY_ONE_PLACE: lambda f: (
        "A story draft is about one place: name one force (or region), for example:"
    ),
}
