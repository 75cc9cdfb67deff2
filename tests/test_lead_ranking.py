"""Lead ranking on the real shipped data (April 2026 release, the year to December 2025): the
leads an editor would commission, in the order they would commission them. The rules are in
``bot.query.leads.ranking``; these are a few expected orders, not a snapshot of every lead."""

from __future__ import annotations

import pytest

from bot.core.periods import Quarter
from bot.core.places import force_place, national
from bot.query.database import Database
from bot.query.leads.candidates import LeadKind, find_leads
from bot.query.leads.compose import region_of
from bot.query.leads.ranking import group, step_at
from bot.query.leads.series import lead_offences, place_series
from bot.query.periods import resolve_period
from bot.render.leads import lead_sentence
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def real_db() -> Database:
    return Database(ROOT / "data")


@pytest.fixture(scope="module")
def leads_of(real_db):
    period = resolve_period(real_db, None, False)
    nationally = place_series(real_db, national(), period)
    found = {}

    def leads(force: str):
        if force not in found:
            place = force_place(force)
            region = place_series(real_db, region_of(place), period)
            series = place_series(real_db, place, period)
            found[force] = find_leads(place, period, series, nationally, region=region)
        return found[force]

    return leads


def labels(leads) -> list[str]:
    return [lead.series.offence.label for lead in leads]


def test_a_force_going_against_england_and_wales_leads_over_a_record_on_a_small_count(leads_of):
    leads = leads_of("Cumbria")
    # Public order offences rose 12.0% while England and Wales fell 2.2%: the story. The
    # ten-year high of 95 racially aggravated harassment offences (74 the year before) is
    # still a lead, lower down, and carries no percentage.
    order = labels(leads)
    assert order.index("public order offences") < order.index(
        "racially or religiously aggravated harassment"
    )
    public_order = leads[order.index("public order offences")]
    assert lead_sentence(public_order) == (
        "Cumbria Constabulary recorded 3,962 public order offences in the year to December "
        "2025, up 12.0 per cent from 3,537 the year before, against a fall of 2.2 per cent across "
        "England and Wales."
    )
    racial = leads[labels(leads).index("racially or religiously aggravated harassment")]
    assert racial.kind is LeadKind.HIGH
    assert "up from 74 the year before and the highest" in lead_sentence(racial)
    assert "%" not in lead_sentence(racial)


def test_a_record_against_the_national_trend_beats_one_that_repeats_it(leads_of):
    kent = leads_of("Kent")
    # Shoplifting at a ten-year high while it fell across England and Wales leads; drug
    # offences at a ten-year high (+15.5%, against +18.1% nationally) is the national story.
    assert labels(kent)[0] == "shoplifting"
    assert "against a fall of 1.4 per cent across England and Wales" in lead_sentence(kent[0])
    assert "drug offences" not in labels(kent)
    thames_valley = leads_of("Thames Valley")
    assert "drug offences" not in labels(thames_valley)  # +5.8% against +18.1%
    assert "trafficking of drugs" not in labels(thames_valley)  # +11.8% against +25.6%
    order = labels(thames_valley)  # stalking: +15.7% against +6.9%; damage: -4.1% against -3.9%
    assert order.index("stalking") < order.index("criminal damage and arson")


@pytest.mark.parametrize(
    "force",
    [
        "Thames Valley",
        "Cumbria",
        "Kent",
        "Metropolitan Police",
        "Greater Manchester",
        "Dyfed-Powys",
    ],
)
def test_five_leads_cover_several_offence_groups_and_tell_each_story_once(leads_of, force):
    leads = leads_of(force)
    assert len(leads) == 5
    assert len({group(lead) for lead in leads}) >= 4, [group(lead) for lead in leads]
    assert len(set(labels(leads))) == 5  # no offence twice (a record and its national gap)
    codes = [lead.series.codes for lead in leads]
    nested = [
        (a, b) for i, a in enumerate(codes) for b in codes[i + 1 :] if a & b
    ]  # e.g. "stalking and harassment" and "harassment": one story, not two
    assert not nested, [labels(leads)]
    assert [lead.score for lead in leads] == sorted((lead.score for lead in leads), reverse=True)


def quarters(counts: list[int]) -> list[tuple[int, int]]:
    return list(enumerate(counts, start=8000))


def test_a_step_that_stays_is_found_at_its_quarter():
    steady = [3000, 3100, 2950, 3050, 3200, 3150, 3300, 3250, 3400, 3350, 3500, 3450]
    assert step_at(quarters([*steady, 6200, 6500, 6300])) == 8012
    assert step_at(quarters([*steady, 1500, 1400, 1450])) == 8012  # a drop steps too


def test_growth_a_passing_spike_and_small_counts_are_not_steps():
    growing = [round(1000 * 1.12**i) for i in range(16)]  # 12% a quarter, every quarter
    assert step_at(quarters(growing)) is None
    steady = [3000, 3100, 2950, 3050, 3200, 3150, 3300, 3250, 3400, 3350, 3500, 3450]
    assert step_at(quarters([*steady, 6200, 3400, 3500])) is None  # back the next quarter
    assert step_at(quarters([60, 62, 58, 61, 59, 60, 63, 61, 150, 160, 155])) is None
    # Published quarters can be nil or negative (reclassifications): no step, no error.
    assert step_at(quarters([3, -1, 0, 2, 1, -2, 0, 4, 1, 0, 2, 3]), recent=11) is None


def test_robbery_of_business_property_steps_in_2025_and_leads_nowhere(real_db, leads_of):
    """From April 2025 England and Wales recorded 82% more robbery of business property in a
    quarter than the quarter before (3,791 -> 6,912) and stayed there: a recording change,
    not a crime wave, so no digest leads with it, nationally or in Kent (69 -> 591)."""
    period = resolve_period(real_db, None, False)
    steps = {s.label: since for s, _, since in lead_offences(real_db)}
    assert Quarter.from_index(steps["robbery of business property"]).label() == (
        "the quarter to June 2025"
    )
    headline = find_leads(national(), period, place_series(real_db, national(), period), limit=1)
    assert headline and headline[0].series.offence.label != "robbery of business property"
    assert "robbery of business property" not in {
        lead.series.offence.label for lead in leads_of("Kent")
    }
