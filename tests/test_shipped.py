"""The dataset shipped in data/: real published figures only, each with its release.

Expected figures are computed here from the raw files with pandas, independently of the
ingest path, or taken from the sources' own verification notes (raw/*/SOURCE.md).
"""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from bot.answers.ask import ask
from bot.answers.story import ask_story
from bot.core.periods import Quarter
from bot.ingest.shipped import build_shipped
from bot.query.database import Database
from bot.render.story import Story
from bot.settings import ROOT
from tests.conftest import TODAY

DATA = ROOT / "data"
RAW = ROOT / "raw"
APRIL_2026 = "prc-pfa-mar2013-onwards-tables-230426.csv"
OCTOBER_2023 = "prc-pfa-mar2013-onwards-tables-191023.csv"


@pytest.fixture(scope="module")
def shipped():
    return Database(DATA)


@pytest.fixture(scope="module")
def october_2023() -> pd.DataFrame:
    return pd.read_csv(
        RAW / "pfa-oct2023" / "prc-pfa-191023-all-years.csv.gz", dtype={"Offence Code": str}
    )


def reply(db, question):
    return ask(question, db, TODAY)[0]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "harassment Thames Valley year to September 2023",
            "Thames Valley Police recorded 9,141 harassment offences in the year to September "
            "2023, up 15.9 per cent from 7,887 the year before",
        ),
        (
            "harassment Cumbria year to September 2023",
            "Cumbria Constabulary recorded 2,394 harassment offences in the year to September "
            "2023, down 16.6 per cent from 2,871 the year before",
        ),
        (
            "harassment England and Wales year to September 2023",
            "Police forces in England and Wales recorded 270,010 harassment offences",
        ),
        (
            "stalking and harassment England and Wales year to September 2023",
            "Police forces in England and Wales recorded 675,600 stalking and harassment offences",
        ),
    ],
)
def test_the_example_articles_on_the_april_2026_release(shipped, question, expected):
    answer = reply(shipped, question)
    assert answer.text.startswith(expected), answer.text
    assert not answer.sample
    assert "23 April 2026 release" in answer.source
    assert "SAMPLE" not in answer.plain_text()


def test_england_and_wales_is_the_43_territorial_forces(shipped):
    """270,122 with British Transport Police; 270,010 for the 43 (the source's own check)."""
    national = reply(shipped, "harassment England and Wales year to September 2023")
    btp = reply(shipped, "harassment British Transport Police year to September 2023")
    assert "270,010" in national.text
    assert btp.text.startswith("British Transport Police recorded 112 harassment offences")


def test_a_revised_figure_says_what_it_was_and_in_which_release(shipped, october_2023):
    rows = october_2023[
        (october_2023["Force Name"] == "Thames Valley")
        & (october_2023["Offence Code"] == "8L")
        & (
            (
                (october_2023["Financial Year"] == "2022/23")
                & (october_2023["Financial Quarter"] > 1)
            )
            | (
                (october_2023["Financial Year"] == "2023/24")
                & (october_2023["Financial Quarter"] == 1)
            )
        )
    ]
    assert len(rows) == 4
    before = int(rows["Number of Offences"].sum())
    answer = reply(shipped, "harassment Thames Valley year to June 2023")
    assert answer.text.startswith(
        f"Thames Valley Police recorded 8,973 harassment offences in the year to June 2023 "
        f"(revised from {before:,} in the 19 October 2023 release)"
    )
    assert "23 April 2026 release and 19 October 2023 release" in answer.source


def test_a_period_the_older_release_did_not_cover_claims_no_revision(shipped):
    """The October 2023 release ends at June 2023: it never had a year to September 2023."""
    answer = reply(shipped, "harassment Thames Valley year to September 2023")
    assert "revised from" not in answer.text


def test_the_quarter_revision_from_the_source_notes_is_kept():
    revisions = pd.read_parquet(DATA / "revisions.parquet")
    row = revisions[
        (revisions["force"] == "Thames Valley")
        & (revisions["offence_code"] == "8L")
        & (revisions["quarter_index"] == Quarter(2023, 1).index)
    ]
    assert row[["old_value", "new_value"]].values.tolist() == [[2527, 2290]]
    assert row[["old_release", "new_release"]].values.tolist() == [[OCTOBER_2023, APRIL_2026]]


def test_no_generated_figure_is_shipped():
    manifest = json.loads((DATA / "manifest.json").read_text())
    assert not any(entry["sample"] for entry in manifest["releases"])
    recorded = pd.read_parquet(DATA / "recorded.parquet")
    assert not recorded["sample"].any()
    assert set(recorded["release"]) == {APRIL_2026}  # it covers every quarter of October 2023
    assert not (DATA / "outcomes.parquet").exists()  # no offence-level outcomes offline


def test_the_newer_release_wins_each_quarter_it_covers_and_drops_what_it_withdrew():
    """Code 90 (other knives offences) is in October 2023 for 2021/22 onwards but not in April
    2026: the newer release no longer publishes those rows, so they are not answered from."""
    recorded = pd.read_parquet(DATA / "recorded.parquet")
    by_quarter = recorded.groupby("quarter_index")["release"].unique()
    assert all(list(releases) == [APRIL_2026] for releases in by_quarter)
    knives = recorded[recorded["offence_code"] == "90"]
    assert knives["quarter_index"].max() == Quarter(2020, 4).index
    revisions = pd.read_parquet(DATA / "revisions.parquet")
    withdrawn = revisions[(revisions["offence_code"] == "90") & (revisions["new_value"] == 0)]
    assert withdrawn["quarter_index"].min() >= Quarter(2021, 1).index


def test_cifas_spelt_two_ways_is_one_fraud_body():
    recorded = pd.read_parquet(DATA / "recorded.parquet")
    fraud = recorded[recorded["force"].str.upper() == "CIFAS"]
    assert set(fraud["force"]) == {"CIFAS"}
    per_quarter = fraud.groupby("quarter_index")["offence_code"].count()
    assert per_quarter.max() == 1  # one row a quarter, not one per spelling
    assert Quarter(2014, 2).index in set(fraud["quarter_index"])  # a "Cifas" year


def test_charge_rate_for_an_offence_says_what_is_loaded_and_offers_the_nearest(shipped):
    answer = reply(shipped, "charge rate harassment Thames Valley 2023")
    assert not answer.is_answer
    assert "no outcome figures for harassment" in answer.text
    assert "all crime by force and financial year (2014/15 to 2025/26)" in answer.text
    assert "python -m bot ingest --download" in answer.text
    assert answer.suggestions == [
        "harassment Thames Valley 2023",
        "charge rate violence against the person Thames Valley 2024/25",
        "charge rate all crime Thames Valley 2023",
    ]
    assert reply(shipped, answer.suggestions[1]).is_answer
    nearest = reply(shipped, answer.suggestions[2])
    assert nearest.text.startswith(
        "Thames Valley Police charged or summonsed 11,677 (6.4 per cent) of the 181,952 crimes "
        "it recorded in the year to March 2023"
    )


def test_all_crime_charge_rate_comes_from_one_release(shipped):
    answer = reply(shipped, "charge rate Thames Valley 2023/24")
    assert answer.text.startswith(
        "Thames Valley Police charged or summonsed 13,087 (7.5 per cent) of the 174,087 crimes "
        "it recorded in the year to March 2024"
    )
    assert "23 July 2026 release" in answer.source
    assert "April 2026" not in answer.source


def test_shipped_data_is_what_the_build_makes(tmp_path):
    """A change to the adapters, the ingest or raw/ must come with a rebuilt data/."""
    build_shipped(tmp_path / "data")
    for path in DATA.glob("*.parquet"):
        built = pd.read_parquet(tmp_path / "data" / path.name)
        pd.testing.assert_frame_equal(built, pd.read_parquet(path), check_like=True)
    assert {p.name for p in DATA.glob("*.parquet")} == {
        p.name for p in (tmp_path / "data").glob("*.parquet")
    }


def test_every_example_question_answers_from_the_shipped_data(shipped):
    from bot.parse import EXAMPLES

    for question in EXAMPLES:
        answer = reply(shipped, question)
        assert answer.is_answer, (question, answer.text)


def test_help_lists_each_release_with_its_date_and_coverage(capsys):
    from bot.cli.main import main

    main(["ask", "--data-dir", str(DATA), "help"])
    out = capsys.readouterr().out
    assert (
        "Police Force Area tables, year ending March 2013 onwards (published 23 April 2026): "
        "recorded crime by offence and quarter, quarters from April 2012 to December 2025"
    ) in out
    assert "(published 19 October 2023)" in out
    assert "outcomes of all crime by financial year, 2014/15 to 2025/26" in out
    assert "residents on 30 June, mid-2011 to mid-2024" in out


def test_answers_from_a_release_over_four_months_old_say_newer_may_exist(shipped):
    four_months = ask("harassment Kent", shipped, dt.date(2026, 8, 23))[0]
    assert not any("newer figures" in note for note in four_months.notes)
    a_day_more = ask("harassment Kent", shipped, dt.date(2026, 8, 24))[0]
    assert any("newer figures" in note for note in a_day_more.notes)
    stale = ask("harassment Kent", shipped, dt.date(2026, 11, 30))[0]
    assert (
        "These figures are from the 23 April 2026 release; newer figures may have been "
        "published since. Load them with `python -m bot ingest --download`."
    ) in stale.notes


@pytest.fixture(scope="module")
def april_2026() -> pd.DataFrame:
    return pd.read_csv(
        RAW / "pfa-apr2026" / "prc-pfa-230426-all-years.csv.gz", dtype={"Offence Code": str}
    )


def test_an_offence_groups_charge_rate_divides_one_release(shipped, april_2026):
    outcomes = pd.read_csv(
        RAW
        / "outcomes-2024-25-by-group"
        / "outcomes-2024-25-force-quarter-offencegroup-outcometype.csv.gz"
    )
    charged = outcomes[
        (outcomes["Force"] == "Thames Valley")
        & (outcomes["Offence Group"] == "Violence against the person")
        & (outcomes["Outcome Type"] == 1)
    ]["n"].sum()
    recorded = april_2026[
        (april_2026["Force"] == "Thames Valley")
        & (april_2026["Group"] == "Violence against the person")
        & (april_2026["FY"] == "2024/25")
    ]["n"].sum()
    assert (charged, recorded) == (4326, 62231)
    answer = reply(shipped, "charge rate violent crime Thames Valley 2024/25")
    assert answer.text.startswith(
        "Thames Valley Police charged or summonsed 4,326 (7.0 per cent) of the 62,231 violence "
        "against the person offences it recorded in the year to March 2025."
    )
    assert "23 April 2026 release" in answer.source
    assert "July 2026" not in answer.source


@pytest.mark.parametrize(
    ("question", "says"),
    [
        ("charge rate violence Thames Valley 2023/24", "no outcome figures for the financial"),
        ("which force has the lowest charge rate for robbery 2024/25", "(not ranked)"),
    ],
)
def test_group_outcomes_outside_what_is_loaded_are_refused(shipped, question, says):
    answer = reply(shipped, question)
    assert not answer.is_answer
    assert says in answer.text


def test_a_local_area_answers_from_its_own_total_said_as_such(shipped):
    totals = pd.read_csv(RAW / "csp-totals-2024-25" / "lad_crime_houseprice.csv")
    brighton = int(totals[totals["name"] == "Brighton and Hove"]["crime"].iloc[0])
    answer = reply(shipped, "crime in brighton 2024/25")
    assert answer.text == (
        f"Police in Brighton and Hove recorded {brighton:,} crimes in the year to March 2025."
    )
    assert any("Community Safety Partnership totals" in note for note in answer.notes)
    assert "Community Safety Partnership tables" in answer.source


def test_an_offence_in_a_local_area_is_answered_for_its_force_and_says_so(shipped):
    answer = reply(shipped, "burglary in brighton")
    assert answer.text.startswith("Sussex Police recorded")
    assert "Brighton and Hove is in the Sussex Police area" in answer.understood


@pytest.mark.parametrize(
    ("question", "force"), [("crime in medway", "Kent"), ("crime in derby", "Derbyshire")]
)
def test_understated_local_totals_are_not_given(shipped, question, force):
    answer = reply(shipped, question)
    assert not answer.is_answer
    assert "understated" in answer.text
    assert any(force in s for s in answer.suggestions)


def test_the_parsers_local_area_list_is_what_raw_gives():
    """bot/core/reference/local_areas.csv (the parser's place names) must follow raw/."""
    from bot.core.reference import local_areas as reference
    from bot.ingest.local_areas import local_areas

    built = [{k: r[k] for k in ("name", "force", "understated")} for r in local_areas(RAW)]
    assert built == [dict(r) for r in reference()]


def test_a_step_in_how_an_offence_is_recorded_is_said_and_no_record_claimed_across_it(shipped):
    """Robbery of business property: England and Wales's count jumped 82 per cent in the
    quarter to June 2025 and stayed there. Years either side are not compared as like for
    like; a span without the step is answered as before."""
    across = reply(shipped, "is robbery of business property in Kent a record")
    step = next(n for n in across.notes if "stayed there" in n)
    assert "from 3,740 in the quarter to March 2025 to 6,821 in the quarter to June 2025" in step
    assert "up 82.4 per cent" in step
    assert across.text.startswith("The data holds too few comparable years")
    assert "comparable figures" not in across.text and "times as high" not in across.text
    # No percentage change across the step: "up 756.5 per cent" was a false headline.
    assert "up from 69 the year before" in across.text and "per cent" not in across.text

    before = reply(shipped, "robbery of business property in Kent year to December 2023")
    assert not any("stayed there" in n for n in before.notes)
    assert "the lowest in the ten years of comparable figures" in before.text

    burglary = reply(shipped, "burglary in Kent over ten years")  # no step: as before
    assert not any("stayed there" in n for n in burglary.notes)
    assert "per cent" in burglary.text
    # Violent disorder fell from 356 to 229 in one quarter (a noisy, falling series): too
    # little to say its recording changed.
    disorder = reply(shipped, "violent disorder in England and Wales over ten years")
    assert not any("stayed there" in n for n in disorder.notes)
    # A jump in the latest quarter has not yet stayed anywhere: no note.
    forgery = reply(shipped, "other forgery in England and Wales over ten years")
    assert forgery.is_answer and not any("stayed there" in n for n in forgery.notes)
    # Negative published quarters (bail offences has some) answer as any other.
    assert reply(shipped, "bail offences in England and Wales over ten years").is_answer
    # Robbery holds robbery of business property: the part that stepped is named, and
    # robbery as a whole claims no record and no percentage across it.
    robbery = reply(shipped, "is robbery in Kent a record")
    [part] = [n for n in robbery.notes if "stayed there" in n]
    assert part.startswith("Robbery of business property, counted here, went across England")
    assert robbery.text.startswith("The data holds too few comparable years")
    assert "up from 1,033 the year before" in robbery.text
    # A story draft's headline claims no high, and no rise, across the step.
    story = ask_story("robbery of business property Kent", shipped, TODAY)
    assert isinstance(story, Story)
    assert story.headline == (
        "Kent Police recorded 591 robbery of business property offences in the year to "
        "December 2025"
    )
    assert any("stayed there" in n for n in story.notes)


@pytest.mark.parametrize(
    "question, ranked_by",
    [
        ("which force had the biggest rise in robbery", "rank (biggest rise in offences)"),
        ("which force had the biggest fall in burglary", "rank (biggest fall in offences)"),
        ("most knife crime per head", "rank (highest rate per 1,000 residents)"),
        ("which force recorded the most shoplifting", "rank (highest number of offences)"),
    ],
)
def test_a_ranking_says_what_it_ranks_by(shipped, question, ranked_by):
    understood = reply(shipped, question).understood
    assert understood.startswith(f"I read this as: {ranked_by} · ")
    assert understood.count("per 1,000 residents") <= 1


def test_an_offence_whose_codes_were_replaced_gets_no_figure_of_zero(shipped):
    """Non-domestic burglary's codes have held no offences since March 2017 (the Home Office
    counts burglary business and community now), though they are still published, as zeros:
    'recorded 0 … the same as the year before' would be a false story."""
    latest = reply(shipped, "non-domestic burglary England and Wales ten year trend")
    assert not latest.is_answer
    assert "since the quarter to March 2017" in latest.text and "recorded 0" not in latest.text
    assert any("March 2017" in s for s in latest.suggestions)
    then = reply(shipped, "non-domestic burglary in Kent 2015/16")  # while it was recorded
    assert then.is_answer and "6,516" in then.text
    rare = reply(shipped, "intentional destruction of a viable unborn child in Kent")
    assert rare.is_answer  # a rare offence's zero is a count: it was recorded recently


def test_no_record_is_claimed_across_a_change_in_the_codes_counted(shipped):
    """Burglary: 10 of its 26 codes begin in June 2023, and the note says earlier years are
    not directly comparable; the sentence must not then call the latest a ten-year low."""
    answer = reply(shipped, "burglary Thames Valley")
    assert any("10 in the quarter to June 2023" in n for n in answer.notes)
    assert "ten years of comparable figures" not in answer.text
    assert "down 11.5 per cent from 7,133 the year before" in answer.text  # within the codes
    knife = reply(shipped, "is knife crime in Kent at a record high?")  # no change: a record
    assert knife.text.startswith("Yes: the latest figure is the highest in the ten years")


@pytest.mark.parametrize(
    "question, among, first",
    [
        (
            "which force in the North West has the most burglary",
            "the North West region",
            "1. Greater Manchester Police 11,869",
        ),
        (
            "which force in Wales has the highest charge rate 2024/25",
            "Wales",
            "1. South Wales Police 12.2 per cent",
        ),
    ],
)
def test_a_ranking_within_a_region_ranks_its_forces_alone(shipped, question, among, first):
    """It had ranked all 43 forces, the region dropped without a word."""
    answer = reply(shipped, question)
    assert f"among the forces of {among} in" in answer.text and first in answer.text
    assert "Metropolitan Police" not in answer.text
