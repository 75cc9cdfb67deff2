"""The parser's clarifications are typed; ``bot.render.clarifications`` words every one, and
representative questions read exactly as they always have."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.parse import Ask, Clarification, Facts, parse, places_in
from bot.parse.story import story_plan
from bot.parse.subscriptions import parse_request
from bot.parse.vocabulary import vocabulary
from bot.render.clarifications import NOT_RECORDED, OUTSIDE, clarification_text
from tests.conftest import TODAY

SAMPLE_FACTS = Facts(
    words=("flibber",),
    options=("Kent", "Essex"),
    length=400,
    limits=(2, 20),
    month=3,
    year=2024,
    quarter=3,
    years=(2019, 2024),
)


@pytest.mark.parametrize("reason", list(Ask))
def test_every_clarification_has_words(reason):
    subject = "uk" if "OUTSIDE" in reason.name else "arrests"
    text = clarification_text(Clarification(reason, replace(SAMPLE_FACTS, subject=subject)))
    assert text.strip() and "{" not in text


def test_every_subject_the_data_does_not_cover_has_words():
    """vocabulary.toml names the subjects; the words saying why are all in render."""
    vocab = vocabulary()
    assert {entry.subject for entry in vocab.not_recorded.values()} == set(NOT_RECORDED)
    assert set(vocab.outside.values()) == set(OUTSIDE)


# (question, what it is asked as, the reply's text exactly as before the parser was typed)
QUESTIONS = [
    (
        "x" * 10_000,
        Ask.TOO_LONG,
        "That message is 10,000 characters long: ask one short question (under 300 "
        "characters), for example:",
    ),
    (
        "🙂🙂",
        Ask.NOTHING_ASKED,
        "Ask me about police recorded crime in England and Wales, for example:",
    ),
    (
        "'; DROP TABLE crimes;--",
        Ask.CODE,
        "That looks like code, not a question. Ask in plain words, for example:",
    ),
    (
        "hello",
        Ask.GREETING,
        "Hello! I give exact police recorded crime figures for England and Wales, with their "
        "period and source. Try:",
    ),
    (
        "the year before",
        Ask.YEAR_BEFORE_WHAT,
        "The year before what? This is a new thread: ask the whole question, for example:",
    ),
    (
        "blorp fizz",
        Ask.NOTHING_RECOGNISED,
        "I couldn't find a force, an offence or a measure in that. I answer questions about "
        "police recorded crime in England and Wales, for example:",
    ),
    (
        "a b c d e f g h i j k l m n burglary",
        Ask.TOO_MANY_UNKNOWN,
        "I couldn't make sense of that: too many words I don't know. Ask about a force, an "
        "offence and a period, for example:",
    ),
    (
        "burglary Kent flibber wobble zog quux",
        Ask.UNKNOWN_WORDS,
        "I don't know “flibber”, “wobble”, “zog”. I know the 43 police forces of England and "
        "Wales, British Transport Police, the regions, and offences such as harassment or "
        "burglary.",
    ),
    ("burglary north", Ask.DID_YOU_MEAN, "I don't know “north”. Did you mean "),
    ("burglary yorkshire", Ask.WHICH_PLACE, "Which do you mean by “yorkshire”?"),
    ("burglary theft Kent", Ask.WHICH_OFFENCE, "Which offence do you mean: burglary or theft?"),
    (
        "charge rate victim did not support action Kent",
        Ask.WHICH_OUTCOME,
        "Which outcome do you mean: victim did not support action or charge rate?",
    ),
    (
        "burglary glasgow",
        Ask.OUTSIDE,
        "I only have police recorded crime for England and Wales: the 43 forces, British "
        "Transport Police and their regions. Scotland's police recorded crime is published by "
        "the Scottish Government.",
    ),
    ("hate crime", Ask.NOT_RECORDED, "Hate crime is a separate Home Office publication"),
    (
        "Q3 2024",
        Ask.WHICH_QUARTER,
        "Which quarter: quarter to September 2024 (Q3 of 2024) or quarter to December 2024 "
        "(Q3 of the financial year 2024/25)?",
    ),
    (
        "three months to June",
        Ask.QUARTER_WITHOUT_YEAR,
        "Which year? For example “three months to June 2025”.",
    ),
    (
        "quarter to November 2024",
        Ask.NOT_A_QUARTER,
        "Figures are published by quarter (April to June, July to September, October to "
        "December, January to March): which one?",
    ),
    (
        "burglary Kent year to March",
        Ask.YEAR_TO_WITHOUT_YEAR,
        "Which year? For example “year to March 2025”.",
    ),
    (
        "financial year 2024",
        Ask.WHICH_FINANCIAL_YEAR,
        "Which financial year: 2023/24 (April 2023 to March 2024) or 2024/25 (April 2024 to "
        "March 2025)?",
    ),
    (
        "burglary 2019 2021 2023",
        Ask.WHICH_PERIOD,
        "Which period? I found more than one year: 2019, 2021, 2023. To compare two, ask "
        "“2019 vs 2024”.",
    ),
    ("burglary 2019/20 vs 2019/20", Ask.SAME_PERIOD_TWICE, "Those are the same period twice."),
    (
        "burglary 2019/20 vs 2020/21 vs 2021/22",
        Ask.THREE_PERIODS,
        "Compare two periods at a time, for example “2019/20 vs 2024/25”.",
    ),
    ("burglary 30 year trend", Ask.TREND_LENGTH, "Ask for a trend of 2 to 20 years."),
]


@pytest.mark.parametrize(
    ("question", "reason", "text"), QUESTIONS, ids=[q[:40] for q, *_ in QUESTIONS]
)
def test_a_question_is_asked_about_in_the_same_words(question, reason, text):
    parsed = parse(question, TODAY)
    assert isinstance(parsed, Clarification)
    assert parsed.reason is reason
    assert clarification_text(parsed).startswith(text)


SUBSCRIPTIONS = [
    (
        "subscribe",
        Ask.WHICH_FORCES,
        "Which forces should this channel's digest cover? For example:",
    ),
    ("subscribe Kent at 25", Ask.NOT_A_TIME, "“at 25” is not a time of day. Say, for example:"),
    (
        "subscribe England and Wales",
        Ask.NATIONAL_DIGEST,
        "Every digest opens with England and Wales: subscribe to the forces you cover, for "
        "example:",
    ),
    (
        "subscribe burglary",
        Ask.NOT_A_FORCE,
        "I don't know “burglary” as a police force. Name forces, for example:",
    ),
    (
        "subscribe Scotland",
        Ask.FORCE_OUTSIDE,
        "I only have police recorded crime for England and Wales. Scotland's police recorded "
        "crime is published by the Scottish Government.",
    ),
    (
        "subscribe " + "Kent, " * 60,
        Ask.LIST_TOO_LONG,
        "That list is too long: name up to a few forces.",
    ),
]


@pytest.mark.parametrize(
    ("command", "reason", "text"), SUBSCRIPTIONS, ids=[c[:30] for c, *_ in SUBSCRIPTIONS]
)
def test_a_subscription_command_is_asked_about_in_the_same_words(command, reason, text):
    reply = parse_request(command)
    assert isinstance(reply, Clarification)
    assert reply.reason is reason
    assert clarification_text(reply) == text


def test_a_story_about_two_places_asks_for_one():
    reply = story_plan("story burglary Kent and Essex", TODAY)
    assert isinstance(reply, Clarification)
    assert reply.reason is Ask.STORY_ONE_PLACE
    assert clarification_text(reply) == (
        "A story draft is about one place: name one force (or region), for example:"
    )


def test_a_misspelling_is_offered_corrected_in_the_question():
    reply = places_in("kent, thames vally, north")
    assert isinstance(reply, Clarification)
    assert reply.reason is Ask.DID_YOU_MEAN
    assert reply.replace == "north"
    assert all(
        q.startswith("kent, thames vally, ") for q in reply.questions("kent, thames vally, north")
    )
