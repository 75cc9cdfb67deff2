"""Copy in house style, read as a reporter would, on the real shipped data: no sentence opens
on a figure, 'per cent' in words (or '%' when the newsroom says so), falls as 'down' or with a
true minus, 'the Metropolitan Police', Action Fraud never called a police force, multiples as
newspapers write them, and a story draft that never repeats itself."""

from __future__ import annotations

import importlib.util
import itertools
import re

import pytest

from bot.answers.ask import ask
from bot.answers.story import ask_story
from bot.core.plan import Place, PlaceKind
from bot.query.database import Database
from bot.query.findings import Basis, Counted, find
from bot.render import numbers
from bot.render.answer import Answer, Figure, Unit
from bot.render.notes import OUTCOMES_CAVEAT, counted_text
from bot.render.phrases import offences_phrase, subject
from bot.render.sentence import render
from bot.render.story import Story
from bot.settings import ROOT, MissingSetting, PercentStyle, Settings
from tests.conftest import TODAY


def _benchmark_questions() -> list[str]:
    spec = importlib.util.spec_from_file_location(
        "answer_latency", ROOT / "benchmarks" / "answer_latency.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return list(module.QUESTIONS)


QUESTIONS = _benchmark_questions()
MINUS = "\u2212"


@pytest.fixture(scope="module")
def shipped() -> Database:
    return Database(ROOT / "data")


@pytest.fixture(scope="module")
def answers(shipped) -> dict[str, Answer]:
    found = {}
    for question in QUESTIONS:
        answer, _ = ask(question, shipped, TODAY)
        assert answer.is_answer, (question, answer.text)
        found[question] = answer
    return found


def sentences(text: str) -> list[str]:
    """A sentence starts after '. ' (a ranking's '1. ' is not a sentence start: it follows
    a colon or a semicolon, so the split leaves it inside its sentence)."""
    return [s for s in re.split(r"(?<=[.?!])\s+", text) if s]


def test_no_answer_sentence_opens_on_a_figure(answers):
    openings = {
        question: sentence
        for question, answer in answers.items()
        for sentence in sentences(answer.text) + answer.notes
        if sentence[0].isdigit()
    }
    assert openings == {}


def test_percentages_are_per_cent_in_words_and_falls_say_down(answers):
    for question, answer in answers.items():
        assert not re.search(r"\([+-]\d", answer.text), question  # no '(+18.0%)' or '(-6.1%)'
        assert "%" not in answer.text, question
        assert "fivefold" not in answer.text and "twofold" not in answer.text
    charge = answers["charge rate for all crime in Cumbria 2024/25"].text
    assert charge.startswith(
        "Cumbria Constabulary charged or summonsed 4,852 (13.1 per cent) of the 37,028 crimes it "
        "recorded in the year to March 2025, up from 11.8 per cent the year before."
    )
    burglary = answers["burglary in Kent over ten years"].text
    assert "down 18.1 per cent from 5,908 the year before" in burglary


def test_a_fall_in_a_figures_list_has_a_true_minus(shipped):
    answer, _ = ask("biggest fall in burglary", shipped, TODAY)
    shown = [f.shown() for f in answer.figures if f.unit is Unit.PERCENT]
    assert shown and all(s.startswith(MINUS) for s in shown), shown
    assert "down " in answer.text and "-" not in re.sub(r"[A-Za-z]-[A-Za-z]", "", answer.text)
    fall = Figure("x", -11.6, Unit.PERCENT, "Kent Police", "burglary", "", "")
    assert fall.shown() == f"{MINUS}11.6%"


def test_the_metropolitan_police_as_newspapers_write_it(answers, shipped):
    met, _ = ask("burglary in the Met 2024/25", shipped, TODAY)
    assert met.text.startswith(
        "The Metropolitan Police recorded 52,485 burglary offences in the year to March 2025, "
        "down 6.1 per cent from 55,919 the year before"
    )
    charge = answers["charge rate for violent crime in the Met 2024/25"].text
    assert charge.startswith("The Metropolitan Police charged or summonsed 15,586 (6.6 per cent)")
    local, _ = ask("burglary in Westminster 2024/25", shipped, TODAY)
    assert "in the Metropolitan Police area" in local.understood
    story = ask_story("story burglary in the Met", shipped, TODAY)
    assert isinstance(story, Story)
    # Ten of burglary's 26 codes begin in June 2023: no ten-year low across that change.
    assert story.headline == (
        "Burglary offences recorded by the Metropolitan Police down 11% in a year"
    )
    assert "a response from the Metropolitan Police" in story.quote
    for name in ("Thames Valley Police", "Cumbria Constabulary"):
        assert f"the {name}" not in " ".join(a.text for a in answers.values())


def test_action_fraud_is_not_a_police_force(shipped):
    answer, _ = ask("fraud in Action Fraud 2024/25", shipped, TODAY)
    assert answer.text.startswith("Action Fraud recorded 354,622 fraud offences")
    assert "police" not in answer.text.lower()
    body = Place("Action Fraud", PlaceKind.FRAUD, ("Action Fraud",), "Action Fraud")
    assert subject(body) == "Action Fraud"


def test_counts_and_codes_agree_in_number():
    one = Counted(Basis.GROUPS, groups=("Robbery of business property",), level="subgroup")
    assert counted_text(Counted(**{**one.__dict__, "code_count": 1})).endswith("(1 offence code)")
    assert counted_text(Counted(**{**one.__dict__, "code_count": 2})).endswith("(2 offence codes)")
    vehicle = Place("Cumbria", PlaceKind.FORCE, ("Cumbria",), "Cumbria Constabulary")
    assert subject(vehicle) == "Cumbria Constabulary"
    from bot.core.plan import OffenceLevel, OffenceSelection

    crime = OffenceSelection(OffenceLevel.SUBGROUP, ("Vehicle offences",), "vehicle crime")
    assert offences_phrase(crime, 5176) == "5,176 vehicle offences"
    assert offences_phrase(crime, 1) == "1 vehicle offence"


@pytest.mark.parametrize(
    ("now", "before", "words"),
    [
        (390, 100, "almost four times"),
        (210, 100, "more than twice"),
        (201, 100, "twice"),
        (300, 100, "three times"),
        (538, 100, "more than five times"),
        (199, 100, ""),
    ],
)
def test_multiples_only_claim_what_they_are(now, before, words):
    assert numbers.times(now, before) == words


def test_unchanged_and_small_changes():
    assert numbers.change(100_001, 100_000) == "virtually unchanged from 100,000 the year before"
    assert numbers.change(804, 804) == "the same as the year before (804)"
    assert numbers.change(12, 8) == "up from 8 the year before"  # a small count: no per cent
    assert numbers.change(804, 818) == "down 1.7 per cent from 818 the year before"
    assert numbers.signed(-2.2) == f"{MINUS}2.2%"


def test_the_percent_style_setting(shipped, monkeypatch):
    plan = ask("charge rate Thames Valley 2023/24", shipped, TODAY)[1]
    assert plan is not None
    manifest = shipped.manifest["releases"]
    symbol = render(find(shipped, plan), manifest, TODAY, PercentStyle.SYMBOL).text
    assert symbol.startswith(
        "Thames Valley Police charged or summonsed 13,087 (7.5%) of the 174,087 crimes it "
        "recorded in the year to March 2024, up from 6.4% the year before."
    )
    assert "per cent" not in symbol
    words = render(find(shipped, plan), manifest, TODAY, PercentStyle.WORDS).text
    assert "13,087 (7.5 per cent)" in words
    monkeypatch.setenv("CRIMEBOT_PERCENT_STYLE", "symbol")
    assert Settings.from_env().CRIMEBOT_PERCENT_STYLE is PercentStyle.SYMBOL
    monkeypatch.setenv("CRIMEBOT_PERCENT_STYLE", "pct")
    with pytest.raises(MissingSetting, match="CRIMEBOT_PERCENT_STYLE must be words or symbol"):
        Settings.from_env()


def test_the_cli_sets_the_house_style_once(capsys, monkeypatch):
    from bot.cli.main import main
    from bot.render.style import WORDS, use_house_style

    monkeypatch.setenv("CRIMEBOT_PERCENT_STYLE", "symbol")
    try:
        main(["ask", "--today", TODAY.isoformat(), "charge rate Thames Valley 2023/24"])
        assert "13,087 (7.5%)" in capsys.readouterr().out
    finally:
        use_house_style(WORDS)


def _numbers(paragraph: str) -> set[str]:
    return set(re.findall(r"\d[\d,]*(?:\.\d)?", paragraph)) - {"2024", "2025", "2023"}


@pytest.mark.parametrize(
    "question",
    [
        "story all crime Thames Valley 2024/25",
        "story harassment Thames Valley",
        "story burglary in the Met",
        "story shoplifting Cumbria",
    ],
)
def test_a_story_draft_never_repeats_itself(shipped, question):
    story = ask_story(question, shipped, TODAY)
    assert isinstance(story, Story)
    paragraphs = story.paragraphs
    for first, second in itertools.pairwise(paragraphs):
        assert first.split()[0] != second.split()[0], (first, second)
        assert not (_numbers(first) & _numbers(second)), (first, second)
    for paragraph in paragraphs:
        assert not paragraph[0].isdigit(), paragraph
        assert "%" not in paragraph and not re.search(r"\([+-]\d", paragraph)
    assert "\n" not in story.source


def test_the_outcomes_caveat_sits_beside_the_charge_rate(shipped):
    story = ask_story("story all crime Thames Valley 2024/25", shipped, TODAY)
    assert isinstance(story, Story)
    charge = [p for p in story.paragraphs if "charge or summons" in p]
    assert len(charge) == 1
    assert charge[0].startswith("Of the crimes Thames Valley Police recorded in the year to")
    assert charge[0].endswith(OUTCOMES_CAVEAT)
    assert all(OUTCOMES_CAVEAT not in note for note in story.notes)


def test_the_source_is_one_line(answers):
    for answer in answers.values():
        assert "\n" not in answer.source
        assert answer.source.startswith("Source: Home Office")
        assert re.search(r"\d{1,2} \w+ \d{4} release", answer.source)


def test_a_sub_editors_notes_read_right(shipped):
    """The caveat on an awaiting-outcome share says it will fall; one code 'begins', the rest
    are a list, not a chain of 'and's; a single late code starts in 'the quarter to …'."""
    awaiting, _ = ask(
        "awaiting an outcome violence against the person Thames Valley 2024/25", shipped, TODAY
    )
    assert any("this share will fall as cases close" in note for note in awaiting.notes)
    charged, _ = ask("charge rate violent crime Thames Valley 2024/25", shipped, TODAY)
    assert not any("will fall" in note for note in charged.notes)
    everything, _ = ask("all crime Cumbria 2024", shipped, TODAY)
    [changed] = [n for n in everything.notes if n.startswith("The classification changed")]
    assert "1 of the 190 offence codes counted begins in the quarter to June 2015, 10 in" in changed
    assert changed.count(" and ") == 1


def test_a_town_answered_for_its_force_area_says_so_first(shipped):
    answer, _ = ask("burglary in Oxford", shipped, TODAY)
    assert answer.notes[0].startswith("Oxford is in the Thames Valley Police area")


def test_the_city_of_londons_rate_asked_alone_carries_its_warning(shipped):
    city, _ = ask("crimes per 1,000 residents City of London", shipped, TODAY)
    kent, _ = ask("crimes per 1,000 residents Kent", shipped, TODAY)
    assert any("daytime population" in note for note in city.notes)
    assert not any("daytime population" in note for note in kent.notes)
