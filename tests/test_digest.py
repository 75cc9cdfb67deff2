"""The daily digest: leads found in the figures, story drafts, subscriptions, and posting once."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from bot.answers.ask import ask
from bot.answers.digest import NOTHING_NEW, preview
from bot.answers.story import ask_story
from bot.core.places import force_place, national
from bot.ingest import ingest
from bot.parse import Clarification, parse
from bot.parse.subscriptions import Request, parse_request
from bot.query.database import Database
from bot.query.leads.candidates import LeadKind, find_leads
from bot.query.leads.compose import compose
from bot.query.leads.series import place_series
from bot.query.periods import resolve_period
from bot.render.answer import Answer
from bot.render.clarifications import clarification_text
from bot.render.digest import digest_blocks, digest_text, subscription_text
from bot.render.digest_thread import IN_THE_THREAD, threaded_digest
from bot.render.leads import lead_sentence, story_question
from bot.render.replies import patch_refused
from bot.render.story import Story
from bot.settings import LONDON, Settings
from bot.slack.clock import tick
from bot.slack.digest_poster import DIGEST_EVENT, Poster, run
from bot.slack.web import web_client
from bot.state.ledger import Ledger
from bot.state.store import State
from bot.state.subscriptions import (
    DEFAULT_TIME,
    MAX_FORCES,
    Subscription,
    SubscriptionRefused,
    Subscriptions,
)
from tests.conftest import ROOT, TODAY
from tests.fixtures.article import annual_values, quarterly, write_pfa_workbook
from tests.slack_stub import SlackStub

DAY = dt.date(2026, 11, 23)
MORNING = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)  # 08:00 in London in November


def leads_for(db: Database, force: str):
    period = resolve_period(db, None, False)
    nationally = place_series(db, national(), period)
    place = force_place(force)
    return find_leads(place, period, place_series(db, place, period), nationally)


# --- leads -------------------------------------------------------------------------------


def test_the_articles_ten_year_high_and_falling_charge_rate_are_leads(article_db):
    leads = {
        (lead.kind, lead.series.offence.label): lead
        for lead in leads_for(article_db, "Thames Valley")
    }
    high = leads[(LeadKind.HIGH, "harassment")]
    assert lead_sentence(high) == (
        "Thames Valley Police recorded 9,632 harassment offences in the year to September 2023, "
        "up 22.0 per cent from 7,892 the year before and the highest in the ten years of "
        "comparable figures."
    )
    charge = leads[(LeadKind.CHARGE_LOW, "harassment")]
    assert lead_sentence(charge).startswith(
        "Thames Valley Police charged or summonsed 301 (3.1 per cent) of the 9,632 harassment "
        "offences it recorded in the year to September 2023, down from 3.9 per cent the year "
        "before"
    )
    assert len(leads) <= 5
    scores = [lead.score for lead in leads_for(article_db, "Thames Valley")]
    assert scores == sorted(scores, reverse=True)


@pytest.fixture(scope="module")
def small_counts_db(tmp_path_factory) -> Database:
    """Cumbria: stalking 12 -> 40 (a real rise on a small count), harassment 1,000 -> 1,010
    (noise), shoplifting falling to a ten-year low. Everyone else steady."""
    values = {}
    for year in range(2013, 2024):
        values[("Cumbria", "8Q", year)] = 12 if year == 2022 else (40 if year == 2023 else 20)
        values[("Cumbria", "8L", year)] = 1000 + (10 if year == 2023 else 0) + year % 2 * 30
        values[("Cumbria", "46", year)] = 3000 - (year - 2013) * 100
        for code in ("8Q", "8L", "46"):
            values[("Kent", code, year)] = 2000
    directory = tmp_path_factory.mktemp("small-counts")
    workbook = write_pfa_workbook(
        directory / "prc-pfa-mar2013-onwards-tables-191023.xlsx", quarterly(values)
    )
    ingest([workbook], directory / "data", progress=False)
    return Database(directory / "data")


def test_a_rise_on_a_count_of_twelve_is_reported_without_a_percentage(small_counts_db):
    leads = {lead.series.offence.label: lead for lead in leads_for(small_counts_db, "Cumbria")}
    stalking = leads["stalking"]
    assert stalking.kind is LeadKind.RISE
    assert lead_sentence(stalking) == (
        "Cumbria Constabulary recorded 40 stalking offences in the year to September 2023, "
        "up from 12 the year before and the highest in the ten years of comparable figures."
    )
    assert "%" not in lead_sentence(stalking)


def test_noise_is_not_a_lead_and_a_ten_year_low_is(small_counts_db):
    leads = {lead.series.offence.label: lead for lead in leads_for(small_counts_db, "Cumbria")}
    assert "harassment" not in leads  # 1,010 against 1,000: within the noise
    assert leads["shoplifting"].kind is LeadKind.LOW
    assert "the lowest in the ten years of comparable figures" in lead_sentence(
        leads["shoplifting"]
    )
    assert leads_for(small_counts_db, "Kent") == []  # nothing moved


def test_every_write_it_up_question_drafts_the_leads_offence_and_force(article_db):
    for lead in leads_for(article_db, "Thames Valley"):
        plan = parse(story_question(lead), TODAY)
        assert not isinstance(plan, Clarification), story_question(lead)
        assert plan.offence == lead.series.offence
        assert [p.name for p in plan.places] == ["Thames Valley"]


def test_digest_text_has_a_national_headline_each_forces_leads_and_the_source(article_db):
    digest = compose(article_db, ["Thames Valley", "Kent"], DAY, None)
    text = digest_text(digest)
    assert text.startswith("Crime figures digest · Monday 23 November 2026")
    assert "England and Wales: Police forces in England and Wales recorded" in text
    assert "Thames Valley Police, the year to September 2023:" in text
    assert "Kent Police, the year to September 2023:" in text
    assert "Source: Home Office" in text
    assert "New data since the last digest" not in text  # a first digest has nothing to compare


# --- story drafts ------------------------------------------------------------------------


def test_story_draft_for_the_article_has_its_figures_and_no_invented_quote(article_db):
    draft = ask_story("story harassment Thames Valley", article_db, TODAY)
    assert isinstance(draft, Story)
    text = draft.plain_text()
    for figure in ("9,632", "7,892", "301", "3.1 per cent"):
        assert figure in text
    assert (
        draft.headline == "Harassment offences recorded by Thames Valley Police hit ten-year high"
    )
    assert draft.paragraphs[0] == (
        "Thames Valley Police recorded 9,632 harassment offences in the year to September 2023, "
        "up 22.0 per cent from 7,892 the year before and the highest in the ten years of "
        "comparable figures. That is an average of 26 a day."
    )
    assert "Nine years earlier, in the year to September 2014, the figure was 1,790" in text
    assert "down from 3.9 per cent the year before" in text
    assert "Across England and Wales, police recorded 271,000 harassment offences" in text
    assert draft.quote.startswith("[QUOTE NEEDED")
    assert "“" not in text and " said" not in text
    assert "Caveat: Police recorded crime counts what the police record" in text
    assert "Source: Home Office" in draft.source


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ("story harassment Narnia", "I don't know"),
        ("story harassment in Kent and Essex", "A story draft is about one place"),
        ("story", "Ask me about police recorded crime"),
        ("story harassment Thames Valley 2031", "The data has no figures for 2031"),
    ],
)
def test_a_story_that_cannot_be_drafted_says_why_and_suggests(article_db, question, message):
    reply = ask_story(question, article_db, TODAY)
    assert isinstance(reply, Answer) and not reply.is_answer
    assert reply.text.startswith(message)
    assert reply.suggestions and all(s.startswith("story ") for s in reply.suggestions)


# --- subscriptions -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("subscribe Thames Valley, Cumbria", Request("subscribe", ("Thames Valley", "Cumbria"))),
        ("subscribe thames vally at 7am", Request("subscribe", ("Thames Valley",), dt.time(7))),
        ("subscribe Kent 07:30", Request("subscribe", ("Kent",), dt.time(7, 30))),
        ("subscribe at 6.15pm", Request("subscribe", (), dt.time(18, 15))),
        ("unsubscribe", Request("unsubscribe")),
        ("unsubscribe Cumbria", Request("unsubscribe", ("Cumbria",))),
        ("subscriptions", Request("list")),
    ],
)
def test_subscription_commands_are_read(text, expected):
    assert parse_request(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("subscribe", "Which forces"),
        ("subscribe Kent at 25", "“at 25” is not a time of day"),
        ("subscribe Scotland", "I only have police recorded crime for England and Wales"),
        ("subscribe burglary", "I don't know “burglary” as a police force"),
        ("subscribe England and Wales", "Every digest opens with England and Wales"),
    ],
)
def test_bad_subscriptions_are_refused_with_a_reason(text, message):
    reply = parse_request(text)
    assert isinstance(reply, Clarification)
    assert clarification_text(reply).startswith(message)


def test_subscriptions_add_forces_keep_the_time_and_cap_the_patch(state_url):
    subscriptions = Subscriptions(State(state_url))
    subscriptions.subscribe("C1", ("Thames Valley",), None, "U1")
    now = subscriptions.subscribe("C1", ("Cumbria",), dt.time(7), "U2")
    assert now == Subscription("C1", ("Thames Valley", "Cumbria"), dt.time(7), "U2")
    assert subscriptions.subscribe("C1", (), None, "U2").at == dt.time(7)
    # A regional desk: two regions by name, eleven forces, twelve with Thames Valley.
    desk = parse_request("subscribe East of England, East Midlands")
    assert isinstance(desk, Request) and len(desk.forces) == 11
    subscriptions.unsubscribe("C1", ("Cumbria",))
    assert len(subscriptions.subscribe("C1", desk.forces, None, "U").forces) == MAX_FORCES == 12
    with pytest.raises(SubscriptionRefused) as refused:
        subscriptions.subscribe("C1", ("Kent",), None, "U")
    assert f"at most {MAX_FORCES} forces (this would be 13)" in patch_refused(
        refused.value.forces, MAX_FORCES
    )
    assert len(subscriptions.get("C1").forces) == 12  # the refused change left it as it was
    assert subscriptions.unsubscribe("C1", desk.forces).forces == ("Thames Valley",)
    assert subscriptions.unsubscribe("C1") is None
    assert subscriptions.all() == []
    assert subscriptions.get("C1") is None
    first = subscriptions.subscribe("C2", ("Kent",), None, "U1")
    assert first.at == DEFAULT_TIME == dt.time(8)


# --- posting once ------------------------------------------------------------------------


@pytest.fixture
def stub():
    """A fresh stub for each test here (not conftest's, shared by a module): these tests
    count the digests posted to one channel."""
    stub = SlackStub()
    yield stub
    stub.close()


@pytest.fixture
def state(state_url) -> State:
    """A fresh state database: each test using it runs on SQLite and on Postgres."""
    return State(state_url)


def poster_for(state: State, stub: SlackStub, db: Database, ledger: Ledger | None = None):
    settings = Settings(SLACK_BOT_TOKEN="xoxb-test", SLACK_API_URL=f"{stub.url}/api/")
    return Poster(state, web_client(settings), lambda: db, ledger)


def digest_posts(stub: SlackStub, channel: str):
    return [
        call
        for call in stub.find("chat.postMessage", channel=channel)
        if (call.body.get("metadata") or {}).get("event_type") == DIGEST_EVENT
    ]


def test_a_digest_waits_for_its_hour_then_posts_once(state, stub, article_db):
    Subscriptions(state).subscribe("C1", ("Thames Valley",), dt.time(8), "U1")
    poster = poster_for(state, stub, article_db)
    early = MORNING - dt.timedelta(minutes=1)
    assert run(poster, LONDON, early) == []
    [delivery] = run(poster, LONDON, MORNING)
    assert delivery.outcome == "posted"
    [post] = digest_posts(stub, "C1")
    assert post.body["text"].startswith("Crime figures digest · Monday 23 November 2026")
    assert "9,632 harassment offences" in post.body["text"]
    buttons = [b["accessory"] for b in post.body["blocks"] if "accessory" in b]
    assert buttons and all(b["text"]["text"] == "Write it up" for b in buttons)
    assert "harassment Thames Valley year to September 2023" in [b["value"] for b in buttons]
    [again] = run(poster, LONDON, MORNING + dt.timedelta(hours=2))
    assert (again.outcome, again.detail) == ("skipped", "already posted today")
    assert len(digest_posts(stub, "C1")) == 1


def test_two_digest_runs_at_once_post_one_digest(state_url, stub, article_data):
    Subscriptions(State(state_url)).subscribe("C1", ("Thames Valley", "Cumbria"), None, "U1")
    env = {
        **os.environ,
        "CRIMEBOT_STATE_URL": state_url,
        "CRIMEBOT_DATA_DIR": str(article_data),
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_API_URL": f"{stub.url}/api/",
    }
    command = [sys.executable, "-m", "bot", "digest", "--now"]
    runs = [
        subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = sorted(run.communicate(timeout=120)[0].strip() for run in runs)
    assert [r.returncode for r in runs] == [0, 0]
    assert outputs[0].startswith("C1: posted ts ")
    assert outputs[1] in (
        "C1: skipped (another run is posting it)",
        "C1: skipped (already posted today)",
    )
    assert len(digest_posts(stub, "C1")) == 1


class Crash(BaseException):
    """A process dying: not an Exception, so nothing on the way catches it."""


def subscribed(state: State, channel: str) -> Subscription:
    return Subscriptions(state).subscribe(channel, ("Thames Valley",), None, "U1")


def dying_at(state: State, step: str, monkeypatch) -> Ledger:
    """A ledger whose run dies, like a killed process, as it reaches ``step``."""
    ledger = Ledger(state, clock=lambda: MORNING)

    def crash(*args):
        raise Crash

    monkeypatch.setattr(ledger, step, crash)
    return ledger


def test_a_crash_between_compose_and_post_is_resumed_with_the_composed_digest(
    state, stub, article_db, monkeypatch
):
    subscription = subscribed(state, "C1")
    crashing = dying_at(state, "posting", monkeypatch)
    with pytest.raises(Crash):
        poster_for(state, stub, article_db, crashing).deliver(subscription, DAY)
    assert crashing.status("C1", DAY.isoformat()) == "composed"
    assert digest_posts(stub, "C1") == []

    soon = Ledger(state, clock=lambda: MORNING + dt.timedelta(minutes=2))
    assert poster_for(state, stub, article_db, soon).deliver(subscription, DAY).outcome == "skipped"

    later = Ledger(state, clock=lambda: MORNING + dt.timedelta(minutes=11))
    never = Database.__new__(Database)  # composing again would fail: the stored one is posted
    delivery = poster_for(state, stub, never, later).deliver(subscription, DAY)
    assert delivery.outcome == "posted"
    [post] = digest_posts(stub, "C1")
    assert "9,632 harassment offences" in post.body["text"]
    assert later.status("C1", DAY.isoformat()) == "posted"


def test_a_crash_after_slack_took_the_post_does_not_post_it_twice(
    state, stub, article_db, monkeypatch
):
    subscription = subscribed(state, "C1")
    crashing = dying_at(state, "posted", monkeypatch)
    with pytest.raises(Crash):
        poster_for(state, stub, article_db, crashing).deliver(subscription, DAY)
    [post] = digest_posts(stub, "C1")
    later = Ledger(state, clock=lambda: MORNING + dt.timedelta(minutes=11))
    delivery = poster_for(state, stub, article_db, later).deliver(subscription, DAY)
    assert (delivery.outcome, delivery.ts) == ("found already posted", post.ts)
    assert len(digest_posts(stub, "C1")) == 1
    assert later.status("C1", DAY.isoformat()) == "posted"


def test_when_the_history_cannot_be_read_a_possibly_posted_digest_is_not_sent_again(
    state, stub, article_db, monkeypatch
):
    subscription = subscribed(state, "CNOHISTORY")
    crashing = dying_at(state, "posted", monkeypatch)
    with pytest.raises(Crash):
        poster_for(state, stub, article_db, crashing).deliver(subscription, DAY)
    later = Ledger(state, clock=lambda: MORNING + dt.timedelta(minutes=11))
    delivery = poster_for(state, stub, article_db, later).deliver(subscription, DAY)
    assert delivery.outcome == "unknown"
    assert len(digest_posts(stub, "CNOHISTORY")) == 1


def test_a_digest_that_fails_while_composing_is_retried_by_the_next_tick(state, stub, article_db):
    subscribed(state, "C1")

    def broken() -> Database:
        raise RuntimeError("the data directory is being replaced")

    client = poster_for(state, stub, article_db).client
    [failed] = run(Poster(state, client, broken), LONDON, MORNING)
    assert (failed.outcome, failed.detail) == ("failed", "the data directory is being replaced")
    assert Ledger(state).status("C1", DAY.isoformat()) is None  # the claim was given up
    next_tick = MORNING + dt.timedelta(minutes=5)
    [delivery] = run(poster_for(state, stub, article_db), LONDON, next_tick)
    assert delivery.outcome == "posted"  # not "skipped" for ten minutes
    assert len(digest_posts(stub, "C1")) == 1


def test_a_run_that_dies_while_composing_keeps_its_claim_until_it_goes_stale(
    state, stub, article_db
):
    subscription = subscribed(state, "C1")

    def dying() -> Database:
        raise Crash

    client = poster_for(state, stub, article_db).client
    with pytest.raises(Crash):
        Poster(state, client, dying, Ledger(state, clock=lambda: MORNING)).deliver(
            subscription, DAY
        )
    assert Ledger(state).status("C1", DAY.isoformat()) == "claimed"
    for minutes, outcome in ((5, "skipped"), (11, "posted")):
        ledger = Ledger(state, clock=lambda m=minutes: MORNING + dt.timedelta(minutes=m))
        assert poster_for(state, stub, article_db, ledger).deliver(subscription, DAY).outcome == (
            outcome
        )
    assert len(digest_posts(stub, "C1")) == 1


def test_a_refused_post_is_tried_again_by_a_later_run(state, stub, article_db):
    subscription = subscribed(state, "CFAIL")
    first = Ledger(state, clock=lambda: MORNING)
    delivery = poster_for(state, stub, article_db, first).deliver(subscription, DAY)
    assert (delivery.outcome, delivery.detail) == ("failed", "not_in_channel")
    assert first.status("CFAIL", DAY.isoformat()) == "composed"
    later = Ledger(state, clock=lambda: MORNING + dt.timedelta(minutes=11))
    assert poster_for(state, stub, article_db, later).deliver(subscription, DAY).outcome == "failed"
    assert len(stub.find("chat.postMessage", channel="CFAIL")) == 2


def test_a_new_release_is_announced_with_the_figures_it_revised(state, stub, data_copy):
    Subscriptions(state).subscribe("C1", ("Thames Valley",), None, "U1")
    run(poster_for(state, stub, Database(data_copy)), LONDON, MORNING)

    revised = quarterly(annual_values())
    key = next(
        k
        for k in revised
        if k[:2] == ("Thames Valley", "8L") and k[2].index == max(q.index for (_, _, q) in revised)
    )
    old = revised[key]
    revised[key] = old + 96
    release = write_pfa_workbook(
        data_copy.parent / "prc-pfa-mar2013-onwards-tables-250124.xlsx", revised
    )
    ingest([release], data_copy, progress=False)

    next_morning = MORNING + dt.timedelta(days=1)
    [delivery] = run(poster_for(state, stub, Database(data_copy)), LONDON, next_morning)
    assert delivery.outcome == "posted"
    text = digest_posts(stub, "C1")[-1].body["text"]
    assert (
        "New data since the last digest: prc-pfa-mar2013-onwards-tables-250124.xlsx "
        "(published 2024-01-25). It revised 1 published figure for this channel's forces: "
        f"Thames Valley Police, Harassment (8L) offences, the quarter to September 2023: "
        f"{old:,} → {old + 96:,}."
    ) in text
    assert "9,728 harassment offences" in text


def test_the_clock_tick_posts_what_is_due(state_url, stub, data_copy, monkeypatch):
    settings = Settings(
        CRIMEBOT_DATA_DIR=data_copy,
        CRIMEBOT_RELEASE_PAGE_URL="http://127.0.0.1:9/never",  # in a release week: no gov.uk
        CRIMEBOT_STATE_URL=state_url,
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_API_URL=f"{stub.url}/api/",
    )
    Subscriptions(State(settings.CRIMEBOT_STATE_URL)).subscribe("C1", ("Kent",), dt.time(0), "U")
    tick(settings)
    tick(settings)
    assert len(digest_posts(stub, "C1")) == 1


@given(st.text(max_size=300))
@hypothesis_settings(max_examples=200, deadline=None)
def test_any_subscription_text_gives_a_request_or_a_reason(text):
    reply = parse_request("subscribe " + text)
    assert isinstance(reply, Request | Clarification)
    if isinstance(reply, Request):
        assert len(reply.forces) == len(set(reply.forces))
        assert all(force_place(force).kind == "force" for force in reply.forces)


REGIONAL_DESK = [
    "Thames Valley", "Cumbria", "Kent", "Essex", "Surrey", "Sussex",
    "Hampshire", "Lancashire", "Merseyside", "Cheshire", "Norfolk", "Suffolk",
]  # fmt: skip


def within_slacks_limits(message: dict) -> None:
    assert len(message["blocks"]) <= 50
    assert len(message["text"]) <= 40_000
    for block in message["blocks"]:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= 3000
            if "accessory" in block:
                assert len(block["accessory"]["value"]) <= 2000
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= 150


def test_a_full_patch_fits_slacks_limits(article_db):
    """Six forces fill one message; a full regional desk is that message and one reply."""
    assert len(REGIONAL_DESK) == MAX_FORCES
    for seen in (None, []):  # a release day adds the release's heading, moves and revisions
        six = compose(article_db, REGIONAL_DESK[:6], DAY, seen)
        assert len(digest_blocks(six)) <= 50
        message = threaded_digest(compose(article_db, REGIONAL_DESK, DAY, seen))
        [reply] = message["thread"]
        for part in (message, reply):
            within_slacks_limits(part)
        forces = [b["text"]["text"] for b in message["blocks"] if " · leads from " in str(b)]
        assert len(forces) == 6 and forces[0].startswith("*Thames Valley Police*")
        assert reply["blocks"][0]["text"]["text"].endswith("continued: forces 7 to 12 of 12*")
    assert "New Home Office figures" in message["blocks"][1]["text"]["text"]


def test_a_force_with_no_figures_says_so(small_counts_db):
    text = digest_text(compose(small_counts_db, ["Cumbria", "Essex"], DAY, None))
    assert "The data has no figures for Essex Police for the year to September 2023." in text


@pytest.mark.parametrize("force", ["Thames Valley", "Kent"])
def test_every_lead_agrees_with_the_answer_to_its_question(article_db, force):
    for lead in leads_for(article_db, force):
        answer, _ = ask(story_question(lead), article_db, TODAY)
        assert answer.is_answer
        counts = [f.value for f in answer.figures if f.unit == "offences"]
        assert counts[:2] == [lead.series.now, lead.series.before]


# --- never the same lead twice -----------------------------------------------------------


def revising_release(data_dir, extra: int = 96):
    """A release a few months on that revises Thames Valley's latest harassment quarter."""
    revised = quarterly(annual_values())
    latest = max(q.index for (_, _, q) in revised)
    key = next(k for k in revised if k[:2] == ("Thames Valley", "8L") and k[2].index == latest)
    revised[key] += extra
    release = write_pfa_workbook(
        data_dir.parent / "prc-pfa-mar2013-onwards-tables-250124.xlsx", revised
    )
    ingest([release], data_dir, progress=False)
    return revised[key] - extra, revised[key]


def lead_lines(text: str) -> list[str]:
    """A digest's leads as printed: the national headline and each force's bullets."""
    return [
        line
        for line in text.splitlines()
        if line.startswith("England and Wales: ") or (line.startswith("• ") and " · " in line)
    ]


def test_a_month_of_digests_repeats_no_lead_and_leads_with_the_new_release(state, stub, data_copy):
    Subscriptions(state).subscribe("C1", ("Thames Valley",), None, "U1")
    outcomes = []
    for day in range(30):
        if day == 15:
            old, new = revising_release(data_copy)
        morning = MORNING + dt.timedelta(days=day)
        [delivery] = run(poster_for(state, stub, Database(data_copy)), LONDON, morning)
        outcomes.append(delivery.outcome)
    # Posted on the first day and on the release day; every other day has nothing new.
    assert outcomes == ["posted"] + ["nothing new"] * 14 + ["posted"] + ["nothing new"] * 14
    first, release_day = (post.body["text"] for post in digest_posts(stub, "C1"))
    parts = release_day.split("\n\n")
    assert parts[1] == "New Home Office figures (year to September 2023)"
    assert parts[2].startswith("Biggest moves on the year before:\n• Thames Valley Police: ")
    assert "harassment 9,728, up 23.3 per cent from 7,892 the year before" in parts[2]
    assert (
        f"It revised 1 published figure for this channel's forces: Thames Valley Police, "
        f"Harassment (8L) offences, the quarter to September 2023: {old:,} → {new:,}."
    ) in parts[3]
    # The leads whose figures the release changed come back; the others are not repeated.
    assert "9,632 harassment offences" in first and "9,728 harassment offences" in release_day
    printed = lead_lines(first) + lead_lines(release_day)
    assert len(printed) == len(set(printed)), "a lead was posted twice"
    stalking = [line for line in lead_lines(first) if "stalking offences" in line]
    assert stalking and not any(line in release_day for line in stalking)


def test_a_quiet_day_is_reported_in_the_subscription_status(state, stub, article_db):
    subscription = subscribed(state, "C1")
    poster = poster_for(state, stub, article_db)
    assert poster.deliver(subscription, DAY).outcome == "posted"
    next_day = DAY + dt.timedelta(days=1)
    quiet = poster.deliver(subscription, next_day)
    assert (quiet.outcome, quiet.detail) == ("nothing new", NOTHING_NEW)
    again = poster.deliver(subscription, next_day)
    assert (again.outcome, again.detail) == ("skipped", "nothing new today (already checked)")
    text = subscription_text(subscription, LONDON, Ledger(state).last_digest("C1"))
    assert "On Tuesday 24 November 2026 nothing was posted: there was no lead with new figures" in (
        text
    )
    assert len(digest_posts(stub, "C1")) == 1
    preview_text = preview(article_db, state, ("Thames Valley",), next_day, "C1")
    assert "Nothing is posted today." in preview_text


def test_a_story_without_a_charge_rate_marks_the_gap_for_the_editor_not_as_copy():
    draft = ask_story("story harassment Thames Valley", Database(ROOT / "data"), TODAY)
    assert isinstance(draft, Story)
    [note] = [p for p in draft.paragraphs if "charge" in p.lower() and "outcome" in p.lower()]
    assert note.startswith("[CHARGE RATE NEEDED: The loaded data has no outcome figures for")
    assert note.endswith("]")


# --- a regional desk: more than six forces, the rest in the thread -----------------------


def test_a_regional_desks_dry_run_shows_what_goes_in_the_thread(article_db, state):
    text = preview(article_db, state, tuple(REGIONAL_DESK[:9]), DAY)
    message, thread = text.split(f"\n\n{IN_THE_THREAD}\n\n")
    assert "Thames Valley Police, the year to September 2023:" in message
    assert "Sussex Police, the year to September 2023:" in message
    assert "Hampshire and Isle of Wight Constabulary, the year to" not in message
    assert (
        "The leads for Hampshire and Isle of Wight Constabulary, Lancashire Constabulary and "
        "Merseyside Police are in this message's thread."
    ) in message
    assert thread.startswith(
        "Crime figures digest · Monday 23 November 2026, continued: forces 7 to 9 of 9"
    )
    for force in (
        "Hampshire and Isle of Wight Constabulary",
        "Lancashire Constabulary",
        "Merseyside Police",
    ):
        assert f"{force}, the year to September 2023:" in thread
    assert "Source: Home Office" in thread


def test_the_subscription_says_where_a_regional_desks_other_forces_go():
    desk = Subscription("C1", tuple(REGIONAL_DESK[:8]), dt.time(7))
    text = subscription_text(desk, LONDON)
    assert (
        "The message has the first 6 forces' leads; those for Hampshire and Isle of Wight "
        "Constabulary and Lancashire Constabulary follow in its thread."
    ) in text
    assert "thread" not in subscription_text(Subscription("C1", ("Kent",)), LONDON)


def thread_replies(stub: SlackStub, channel: str, ts: str):
    return stub.find("chat.postMessage", channel=channel, thread_ts=ts)


def forces_in(message: dict) -> list[str]:
    return [
        block["text"]["text"].split("*")[1]
        for block in message["blocks"]
        if block["type"] == "section" and " · leads from " in block["text"]["text"]
    ]


def a_regional_desk(state: State, channel: str = "C1") -> Subscription:
    return Subscriptions(state).subscribe(channel, tuple(REGIONAL_DESK[:9]), None, "U1")


def assert_one_message_and_one_reply(stub: SlackStub, channel: str = "C1"):
    [post] = digest_posts(stub, channel)
    [reply] = thread_replies(stub, channel, post.ts)
    assert len(stub.find("chat.postMessage", channel=channel)) == 2
    return post, reply


def test_a_regional_desk_gets_six_forces_in_the_message_and_the_rest_in_its_thread_once(
    state, stub, article_db
):
    a_regional_desk(state)
    [delivery] = run(poster_for(state, stub, article_db), LONDON, MORNING)
    assert delivery.outcome == "posted"
    post, reply = assert_one_message_and_one_reply(stub)
    assert delivery.ts == post.ts
    assert forces_in(post.body) == [
        "Thames Valley Police", "Cumbria Constabulary", "Kent Police", "Essex Police",
        "Surrey Police", "Sussex Police",
    ]  # fmt: skip
    assert forces_in(reply.body) == [
        "Hampshire and Isle of Wight Constabulary", "Lancashire Constabulary", "Merseyside Police",
    ]  # fmt: skip
    assert post.body["text"].startswith("Crime figures digest · Monday 23 November 2026")
    assert (
        "England and Wales" in post.body["text"]
        and "England and Wales:" not in (reply.body["text"])
    )
    assert reply.body["metadata"]["event_payload"] == {"digest": "C1:2026-11-23", "part": 0}
    for message in (post.body, reply.body):
        within_slacks_limits(message)
    assert Ledger(state).status("C1", DAY.isoformat()) == "posted"
    [again] = run(poster_for(state, stub, article_db), LONDON, MORNING + dt.timedelta(hours=2))
    assert (again.outcome, again.detail) == ("skipped", "already posted today")
    assert_one_message_and_one_reply(stub)


def test_a_refused_thread_reply_is_posted_by_a_later_run_without_the_message_again(
    state, stub, article_db
):
    subscription = a_regional_desk(state)
    stub.refuse_next_reply("C1")
    first = poster_for(state, stub, article_db, Ledger(state, clock=lambda: MORNING))
    delivery = first.deliver(subscription, DAY)
    assert delivery.outcome == "failed"
    assert delivery.detail.startswith("the thread's reply 1 was refused (internal_error)")
    [post] = digest_posts(stub, "C1")
    assert thread_replies(stub, "C1", post.ts) == []
    assert Ledger(state).status("C1", DAY.isoformat()) == "threading"
    soon = Ledger(state, clock=lambda: MORNING + dt.timedelta(minutes=2))
    assert poster_for(state, stub, article_db, soon).deliver(subscription, DAY).outcome == "skipped"
    later = Ledger(state, clock=lambda: MORNING + dt.timedelta(minutes=11))
    never = Database.__new__(Database)  # nothing is composed again: the stored replies go
    resumed = poster_for(state, stub, never, later).deliver(subscription, DAY)
    assert (resumed.outcome, resumed.ts) == ("posted", post.ts)
    assert_one_message_and_one_reply(stub)
    assert later.status("C1", DAY.isoformat()) == "posted"


@pytest.mark.parametrize(
    "step",
    [
        "started",  # the message reached Slack; the ledger does not know its ts
        "posting",  # the message is recorded; the reply was never sent
        "posted",  # the reply reached Slack; the ledger does not know
    ],
)
def test_a_crash_in_a_regional_desks_thread_converges_on_one_message_and_one_reply(
    state, stub, article_db, monkeypatch, step
):
    subscription = a_regional_desk(state)
    crashing = poster_for(state, stub, article_db, Ledger(state, clock=lambda: MORNING))

    def crash(*args):
        raise Crash

    monkeypatch.setattr(crashing.thread, step, crash)
    with pytest.raises(Crash):
        crashing.deliver(subscription, DAY)
    assert len(digest_posts(stub, "C1")) == 1
    later = Ledger(state, clock=lambda: MORNING + dt.timedelta(minutes=11))
    resumed = poster_for(state, stub, article_db, later).deliver(subscription, DAY)
    post, _ = assert_one_message_and_one_reply(stub)
    expected = "found already posted" if step == "started" else "posted"
    assert (resumed.outcome, resumed.ts) == (expected, post.ts)
    assert later.status("C1", DAY.isoformat()) == "posted"
    if step == "posted":  # it looked in the thread rather than send the reply again
        assert stub.find("conversations.replies", channel="C1", ts=post.ts)
    final = poster_for(state, stub, article_db, later).deliver(subscription, DAY)
    assert final.outcome == "skipped"
    assert_one_message_and_one_reply(stub)


def test_a_regional_desk_over_the_cap_is_refused_as_a_subscription_is(state):
    subscriptions = Subscriptions(state)
    subscriptions.subscribe("C1", tuple(REGIONAL_DESK), None, "U1")
    with pytest.raises(SubscriptionRefused) as refused:
        subscriptions.subscribe("C1", ("Derbyshire",), None, "U1")
    assert refused.value.forces == MAX_FORCES + 1
    assert subscriptions.get("C1").forces == tuple(REGIONAL_DESK)
