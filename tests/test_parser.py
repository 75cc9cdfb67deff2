"""The parser: a table of phrasings and the plan each must give, and its properties."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.periods import Period, Quarter
from bot.core.plan import PeriodKind, QueryPlan
from bot.parse import Clarification, parse
from bot.parse.vocabulary import vocabulary
from bot.render.clarifications import clarification_text
from bot.render.phrases import period_asked
from tests.conftest import TODAY

QUESTIONS = Path(__file__).parent / "questions.txt"


def _rows():
    for line in QUESTIONS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            question, *expected = [part.strip() for part in line.split(" | ")]
            yield pytest.param(question, expected, id=question[:60])


def describe(plan: QueryPlan) -> list[str]:
    measure = plan.measure.value + (" per 1,000" if plan.per_head else "")
    measure += f" over {plan.years} years" if plan.years else ""
    measure += " by change" if plan.by_change else ""
    period = period_asked(plan.period)
    period += f" vs {period_asked(plan.versus)}" if plan.versus else ""
    row = [
        measure,
        ", ".join(p.name for p in plan.places) or "-",
        plan.offence.label,
        period,
        plan.outcome.name if plan.outcome else "-",
    ]
    if plan.measure.value == "rank":
        row.append(plan.rank_order)
    return row


def test_the_question_set_is_large():
    assert sum(1 for _ in _rows()) >= 200


@pytest.mark.parametrize(("question", "expected"), list(_rows()))
def test_question_gives_its_plan(question, expected):
    parsed = parse(question, TODAY)
    if expected[0] == "?":
        assert isinstance(parsed, Clarification), describe(parsed)
        assert expected[1] in clarification_text(parsed)
    else:
        assert isinstance(parsed, QueryPlan), parsed
        assert describe(parsed) == expected


def test_misspelling_with_two_close_names_asks():
    parsed = parse("harassment in Nortumbria and Northants", TODAY)
    assert isinstance(parsed, QueryPlan)  # each close to only one name
    parsed = parse("harassment North", TODAY)
    assert isinstance(parsed, Clarification)
    assert clarification_text(parsed).startswith("I don't know “north”. Did you mean")


def test_follow_ups_change_one_part():
    first = parse("harassment Thames Valley year to September 2023", TODAY)
    assert isinstance(first, QueryPlan)
    stalking = parse("and stalking?", TODAY, previous=first)
    assert describe(stalking) == [
        "count",
        "Thames Valley",
        "stalking",
        "the year to September 2023",
        "-",
    ]
    cumbria = parse("what about Cumbria?", TODAY, previous=first)
    assert describe(cumbria)[1:3] == ["Cumbria", "harassment"]
    before = parse("and the year before?", TODAY, previous=first)
    assert period_asked(before.period) == "the year before the year to September 2023"
    rate = parse("and the charge rate?", TODAY, previous=first)
    assert describe(rate) == [
        "outcome share",
        "Thames Valley",
        "harassment",
        "the year to September 2023",
        "charge rate",
    ]


FILLER = st.lists(
    st.sampled_from(
        [
            "please",
            "what is the",
            "tell me",
            "can you give me",
            "?",
            "!",
            ",",
            "thanks",
            "the",
            "figures for",
            "stats on",
            "...",
        ]
    ),
    max_size=4,
)
BASE_QUESTIONS = [
    "charge rate harassment Thames Valley year to September 2023",
    "stalking Cumbria 2022/23",
    "compare burglary in the Met and GMP",
    "which force has the lowest charge rate for stalking",
    "is knife crime in Kent at a record high",
    "harassment trend Essex",
]


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(BASE_QUESTIONS),
    FILLER,
    FILLER,
    st.sampled_from(["lower", "upper", "title", "same"]),
)
def test_filler_words_and_capitals_do_not_change_the_plan(question, before, after, case):
    base = parse(question, TODAY)
    text = " ".join([*before, question, *after])
    text = {"lower": text.lower(), "upper": text.upper(), "title": text.title(), "same": text}[case]
    changed = parse(text, TODAY)
    assert isinstance(changed, QueryPlan), (text, changed)
    assert describe(changed) == describe(base)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.text(max_size=10_000),
        st.text(alphabet=st.characters(codec="utf-8"), min_size=200, max_size=10_000),
        st.lists(
            st.sampled_from(
                [
                    "harassment",
                    "Kent",
                    "<@U123>",
                    "<https://x.y|link>",
                    "2023",
                    "'; DROP TABLE recorded; --",
                    "🚔",
                    "year to",
                    "charge rate",
                    "\x00",
                    "SELECT",
                    "and",
                    "vs",
                ]
            ),
            max_size=40,
        ).map(" ".join),
    )
)
def test_any_text_gives_a_plan_or_a_clarification_quickly(text):
    start = time.perf_counter()
    parsed = parse(text, TODAY)
    elapsed = time.perf_counter() - start
    assert isinstance(parsed, QueryPlan | Clarification)
    assert elapsed < 0.05, f"{elapsed * 1000:.1f} ms for {text[:80]!r}"
    if isinstance(parsed, Clarification):
        assert clarification_text(parsed)


def _answerable_rows() -> list[str]:
    return [
        question
        for question, expected in (p.values for p in _rows())
        if expected[0] != "?" and isinstance(parse(question, TODAY), QueryPlan)
    ]


ANSWERABLE = _answerable_rows()
KNOWN_WORDS = (
    {
        word
        for table in (
            vocabulary().offences,
            vocabulary().places,
            vocabulary().outcomes,
            vocabulary().towns,
            vocabulary().outside,
            vocabulary().not_recorded,
        )
        for phrase in table
        for word in phrase
    }
    | {word for phrases in vocabulary().measures.values() for phrase in phrases for word in phrase}
    | set(vocabulary().filler)
    # The period words (bot/parse/periods.py): "current harassment Cumbria" is the latest year.
    | {"current", "latest", "recent", "past", "last", "previous", "since", "from", "year"}
    | {"years", "months", "month", "quarter", "twelve", "trend", "series", "history", "decade"}
    | {"ending", "ended", "until", "versus", "against", "compared", "compare", "this", "between"}
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(ANSWERABLE),
    st.text(alphabet="bcdfghjklmnpqrstvwxyzaeiou", min_size=4, max_size=9).filter(
        lambda w: w not in KNOWN_WORDS
    ),
    st.sampled_from(["start", "end", "middle"]),
)
def test_an_unknown_word_is_never_silently_left_out(question, word, where):
    """Every word is used, filler, or named in the reply: a word the parser cannot place
    either makes it ask, or is shown as what it was read as."""
    words = question.split()
    position = {"start": 0, "end": len(words), "middle": len(words) // 2}[where]
    text = " ".join([*words[:position], word, *words[position:]])
    parsed = parse(text, TODAY)
    if isinstance(parsed, Clarification):
        return  # it asks rather than answers: nothing is left out
    read_as = [n for n in parsed.notes if word in n.said.lower()]
    assert read_as or describe(parsed) != describe(parse(question, TODAY)), (text, parsed)


@pytest.mark.parametrize(
    ("question", "why"),
    [
        ("domestic violence in essex", "Domestic abuse is not an offence in these tables"),
        ("domestic abuse kent 2024", "Domestic abuse is not an offence in these tables"),
        ("hate crime in the met", "Hate crime is a separate Home Office publication"),
        ("asb luton", "Anti-social behaviour is recorded by the police as incidents"),
        ("drink driving essex", "most motoring offences are not notifiable"),
        ("cyber crime kent", "recorded centrally by Action Fraud"),
        ("how many arrests in kent", "Arrests, prosecutions, convictions and sentences"),
        ("stop and search west mids", "police powers statistic"),
    ],
)
def test_what_recorded_crime_does_not_have_is_said_with_the_nearest_questions(question, why):
    parsed = parse(question, TODAY)
    assert isinstance(parsed, Clarification)
    assert why in clarification_text(parsed)
    assert parsed.suggestions
    for suggestion in parsed.suggestions:
        assert isinstance(parse(suggestion, TODAY), QueryPlan), suggestion


@settings(max_examples=100, deadline=None)
@given(
    st.integers(min_value=Quarter(2012, 1).index, max_value=Quarter(2025, 3).index),
    st.sampled_from([1, 4]),
    st.sampled_from(["burglary Kent {}", "shoplifting in the Met {}", "{} harassment Cumbria"]),
)
def test_the_bot_understands_its_own_period_labels(index, quarters, template):
    """A reporter pastes back what the bot wrote ('the quarter to December 2024', 'the year
    to September 2023'): it is read as exactly that period."""
    period = Period(Quarter.from_index(index), quarters)
    plan = parse(template.format(period.label()), TODAY)
    assert isinstance(plan, QueryPlan), (period.label(), plan)
    assert (plan.period.kind, plan.period.year, plan.period.month, plan.period.quarters) == (
        PeriodKind.YEAR_TO,
        period.end.end_year,
        period.end.end_month,
        quarters,
    )
