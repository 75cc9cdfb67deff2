"""Revision alerts: a figure given in a thread (an answer's, or a digest's) that a newer
release revises gets one reply there, whatever runs, re-runs or runs at once.

Real parts throughout: the article's release as parquet, DuckDB, the local Slack Web API
stub, and the state database (SQLite, and Postgres with CRIMEBOT_TEST_POSTGRES_URL)."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select, update

from bot.answers.alerts import find_alerts, pin
from bot.answers.ask import ask
from bot.cli.main import main
from bot.ingest import ingest
from bot.query.database import Database
from bot.render.alerts import Revised, revision_alert
from bot.render.answer import Figure, Unit
from bot.settings import LONDON, Settings
from bot.slack.digest_poster import run
from bot.slack.listeners import mentions
from bot.slack.listeners.context import services
from bot.slack.replies import Crimebot
from bot.slack.replies.alerts import ALERT_EVENT, AlertOutcome, post_alerts
from bot.slack.web import web_client
from bot.state.alert_claims import AlertClaims, AlertStatus
from bot.state.schema import revision_alerts
from bot.state.schema import told as told_log
from bot.state.store import State, utc_now
from bot.state.subscriptions import Subscriptions
from bot.state.told import KEEP_TOLD, Told
from tests.conftest import TODAY
from tests.fixtures.article import annual_values, quarterly, write_pfa_workbook
from tests.slack_stub import SlackStub
from tests.test_digest import MORNING, poster_for, revising_release

QUESTION = "harassment Thames Valley year to September 2023"


@pytest.fixture
def state(state_url) -> State:
    return State(state_url)


@pytest.fixture
def stub():
    """A Slack stub of each test's own: each runs on SQLite and on Postgres, same channels."""
    stub = SlackStub()
    yield stub
    stub.close()


def client_for(stub: SlackStub):
    return web_client(Settings(SLACK_BOT_TOKEN="xoxb-test", SLACK_API_URL=f"{stub.url}/api/"))


def answer_in_thread(state: State, stub: SlackStub, data_dir, channel: str, text: str) -> None:
    """@crimebot asked in a channel: answered in the message's thread (ts 100.1)."""
    bot = Crimebot(
        Database(data_dir), state, today=lambda: TODAY, workers=ThreadPoolExecutor(max_workers=1)
    )
    event = {"type": "app_mention", "channel": channel, "ts": "100.1", "text": f"<@UBOT> {text}"}
    mentions.on_mention(event, client_for(stub), services(bot))
    bot.workers.shutdown(wait=True)
    bot.outbox.pool.shutdown(wait=True)


def later_release(data_dir, extra: int) -> None:
    """A release of April 2025 that revises Thames Valley's latest harassment quarter."""
    revised = quarterly(annual_values())
    latest = max(q.index for (_, _, q) in revised)
    key = next(k for k in revised if k[:2] == ("Thames Valley", "8L") and k[2].index == latest)
    revised[key] += extra
    name = "prc-pfa-mar2013-onwards-tables-240425.xlsx"
    ingest([write_pfa_workbook(data_dir.parent / name, revised)], data_dir, progress=False)


def alerts_in(stub: SlackStub, channel: str):
    return [
        call
        for call in stub.find("chat.postMessage", channel=channel)
        if (call.body.get("metadata") or {}).get("event_type") == ALERT_EVENT
    ]


def test_a_revised_figure_gets_one_reply_in_its_thread(state, stub, data_copy):
    answer_in_thread(state, stub, data_copy, "CA1", QUESTION)
    told = {row.label: row.value for row in Told(state).thread("CA1", "100.1")}
    headline = "Thames Valley Police: harassment offences, the year to September 2023"
    assert told[headline] == 9632
    client = client_for(stub)
    assert post_alerts(state, client, Database(data_copy)) == []  # checked: nothing revised
    assert Told(state).unchecked("") != []  # ... and marked checked against this data
    old, new = revising_release(data_copy)  # the quarter to September 2023: 96 more
    assert new - old == 96

    [delivery] = post_alerts(state, client, Database(data_copy))
    assert delivery.outcome is AlertOutcome.POSTED
    [alert] = alerts_in(stub, "CA1")
    assert alert.body["thread_ts"] == "100.1"
    text = alert.body["text"]
    opening = "The Home Office has revised these figures in the 25 January 2024 release:"
    assert text.startswith(opening)
    assert f"• {headline}: 9,728, not 9,632" in text
    assert "• England and Wales: harassment offences, the year to September 2023: " in text
    assert "9,632" not in text.split("\n")[0]

    # Said once: the log now holds what the thread was told last.
    assert post_alerts(state, client, Database(data_copy)) == []
    assert len(alerts_in(stub, "CA1")) == 1
    rows = {row.label: row for row in Told(state).thread("CA1", "100.1")}
    assert rows[headline].value == 9728
    assert rows[headline].alerted_release == "prc-pfa-mar2013-onwards-tables-250124.xlsx"


def test_a_figure_told_over_a_year_and_a_month_ago_is_no_longer_watched(state, stub, data_copy):
    answer_in_thread(state, stub, data_copy, "CA8", QUESTION)
    answer_in_thread(state, stub, data_copy, "CA9", QUESTION)
    long_ago = utc_now() - KEEP_TOLD - dt.timedelta(days=1)
    with state.engine.begin() as connection:
        connection.execute(
            update(told_log).where(told_log.c.channel == "CA8").values(told_at=long_ago)
        )
    revising_release(data_copy)

    [delivery] = post_alerts(state, client_for(stub), Database(data_copy))
    assert (delivery.channel, delivery.outcome) == ("CA9", AlertOutcome.POSTED)
    assert alerts_in(stub, "CA8") == []
    assert Told(state).thread("CA8", "100.1") == []  # forgotten, not kept forever
    assert Told(state).thread("CA9", "100.1") != []


def test_an_answer_given_after_the_revision_gets_no_alert(state, stub, data_copy):
    revising_release(data_copy)
    answer_in_thread(state, stub, data_copy, "CA2", QUESTION)
    assert post_alerts(state, client_for(stub), Database(data_copy)) == []
    assert alerts_in(stub, "CA2") == []


def test_a_latest_question_is_checked_for_the_period_it_answered(state, stub, data_copy):
    """'harassment Thames Valley' meant the latest year when it was asked; a later release
    that adds a quarter is not a revision of it."""
    db = Database(data_copy)
    answer, plan = ask("harassment Thames Valley", db, TODAY)
    assert plan is not None and plan.period.kind == "latest"
    pinned = pin(plan, answer)
    assert (pinned.period.kind, pinned.period.year, pinned.period.month) == ("year_to", 2023, 9)
    answer_in_thread(state, stub, data_copy, "CA3", "harassment Thames Valley")
    revising_release(data_copy)
    [delivery] = post_alerts(state, client_for(stub), Database(data_copy))
    assert delivery.outcome is AlertOutcome.POSTED
    assert "9,728, not 9,632" in alerts_in(stub, "CA3")[0].body["text"]


def test_two_runs_at_once_post_one_alert(state, stub, data_copy):
    answer_in_thread(state, stub, data_copy, "CA4", QUESTION)
    revising_release(data_copy)
    # Both runs find the alert before either claims it: one posts, the other skips.
    found = [find_alerts(state, Database(data_copy)) for _ in range(2)]
    assert [len(alerts) for alerts, _ in found] == [1, 1]
    claims = [AlertClaims(State(state.engine.url.render_as_string(False))) for _ in range(2)]
    [alert] = found[0][0]
    first = claims[0].claim(alert.channel, alert.thread_ts, alert.release)
    assert first is not None
    assert claims[1].claim(alert.channel, alert.thread_ts, alert.release) is None
    claims[0].failed(first, "test: nothing posted")

    answer_in_thread(state, stub, data_copy, "CA5", QUESTION)  # a fresh thread, checked once
    post_alerts(state, client_for(stub), Database(data_copy))
    later_release(data_copy, extra=200)  # a later release revises it again
    barrier = threading.Barrier(2)
    results: list = []

    def one_run() -> None:
        own = State(state.engine.url.render_as_string(hide_password=False))
        barrier.wait()
        results.append(post_alerts(own, client_for(stub), Database(data_copy)))
        own.engine.dispose()

    runs = [threading.Thread(target=one_run) for _ in range(2)]
    for thread in runs:
        thread.start()
    for thread in runs:
        thread.join()
    assert len(alerts_in(stub, "CA5")) == 1
    outcomes = [d.outcome for found in results for d in found if d.channel == "CA5"]
    assert outcomes.count(AlertOutcome.POSTED) == 1
    assert "9,832, not 9,728" in alerts_in(stub, "CA5")[0].body["text"]


def test_a_stale_claim_is_taken_over_and_a_posting_one_never_resent(state):
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=11)
    claims, late = AlertClaims(state), AlertClaims(state, clock=lambda: later)
    crashed = claims.claim("C1", "1.1", "r2")
    assert crashed is not None and claims.claim("C1", "1.1", "r2") is None
    taken = late.claim("C1", "1.1", "r2")  # the crashed run's claim went stale
    assert taken is not None
    late.posting(taken, "text")
    assert (
        AlertClaims(state, clock=lambda: later + dt.timedelta(hours=1)).claim("C1", "1.1", "r2")
        is None
    )  # it may be in the thread: never posted again
    assert claims.status("C1", "1.1", "r2") is AlertStatus.POSTING
    with state.engine.connect() as connection:
        assert connection.execute(select(revision_alerts.c.status)).scalars().all() == ["posting"]


def test_a_digest_figure_revised_later_gets_an_alert_in_the_digest_thread(state, stub, data_copy):
    Subscriptions(state).subscribe("CA6", ("Thames Valley",), None, "U1")
    [delivery] = run(poster_for(state, stub, Database(data_copy)), LONDON, MORNING)
    assert delivery.outcome == "posted"
    told = Told(state).thread("CA6", delivery.ts or "")
    headline = "Thames Valley Police: harassment offences, the year to September 2023"
    assert {row.label: row.value for row in told}[headline] == 9632
    revising_release(data_copy)
    post_alerts(state, client_for(stub), Database(data_copy))
    [alert] = alerts_in(stub, "CA6")
    assert alert.body["thread_ts"] == delivery.ts
    assert f"{headline}: 9,728, not 9,632" in alert.body["text"]


def test_the_alert_sentence():
    figure = Figure(
        "Thames Valley Police: harassment offences, the year to September 2023",
        9141,
        Unit.OFFENCES,
        "Thames Valley Police",
        "harassment",
        "2022-10-01",
        "2023-09-30",
    )
    assert revision_alert([Revised(figure, 9632)], "prc.csv", dt.date(2026, 4, 23)) == (
        "The Home Office has revised this: 9,141, not 9,632 (Thames Valley Police: harassment "
        "offences, the year to September 2023; the 23 April 2026 release)."
    )


def test_the_alerts_command_posts_and_says_so(state_url, stub, data_copy, monkeypatch, capsys):
    state = State(state_url)
    answer_in_thread(state, stub, data_copy, "CA7", QUESTION)
    revising_release(data_copy)
    monkeypatch.setenv("CRIMEBOT_STATE_URL", state_url)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("SLACK_API_URL", f"{stub.url}/api/")
    assert main(["alerts", "--data-dir", str(data_copy)]) == 0
    assert "CA7 thread 100.1: posted ts" in capsys.readouterr().out
    assert main(["alerts", "--data-dir", str(data_copy)]) == 0
    assert "No figure given in Slack has been revised" in capsys.readouterr().out
    assert len(alerts_in(stub, "CA7")) == 1
