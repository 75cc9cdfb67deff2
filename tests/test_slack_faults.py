"""The answer path under faults: a rate-limited channel, a full answer queue, a response_url
that fails. The Bolt app runs in-process (build_app, signed requests dispatched to it) against
the stub Web API, so each test sets up its own bot in a second."""

from __future__ import annotations

import itertools
import json
import logging
import threading
import time
from urllib.parse import urlencode

import pytest
from slack_bolt.request import BoltRequest
from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse

from bot.query.database import Database
from bot.render.replies import BUSY
from bot.settings import Settings
from bot.slack.app import build_app
from bot.slack.replies import Crimebot, Outbox
from bot.state.store import State
from tests.slack_server import SECRET, sign


@pytest.fixture(scope="module")
def db(article_data):
    return Database(article_data)


@pytest.fixture
def make_app(stub, db, tmp_path):
    """build_app over the stub, with the given Crimebot arguments (max_pending, ...)."""

    def make(**bot_args):
        bot = Crimebot(db, State(f"sqlite:///{tmp_path / 'state.db'}"), **bot_args)
        settings = Settings(
            SLACK_BOT_TOKEN="xoxb-test",
            SLACK_SIGNING_SECRET=SECRET,
            SLACK_API_URL=f"{stub.url}/api/",
            CRIMEBOT_THREADS=4,
        )
        return build_app(settings, bot), bot

    return make


def dispatch(app, body: str, content_type: str):
    timestamp = int(time.time())
    headers = {
        "content-type": content_type,
        "x-slack-request-timestamp": str(timestamp),
        "x-slack-signature": sign(body.encode(), timestamp),
    }
    response = app.dispatch(BoltRequest(body=body, headers=headers))
    assert response.status == 200, response.body
    return response


def command(app, text: str, response_url: str, channel: str = "C1", user: str = "U1"):
    body = urlencode(
        {
            "command": "/crimestats",
            "text": text,
            "channel_id": channel,
            "user_id": user,
            "team_id": "T1",
            "api_app_id": "A1",
            "response_url": response_url,
            "trigger_id": "1.2.3",
        }
    )
    return dispatch(app, body, "application/x-www-form-urlencoded")


def mention(app, text: str, channel: str, ts: str):
    event = {
        "type": "app_mention",
        "user": "U1",
        "text": f"<@UBOT> {text}",
        "ts": ts,
        "channel": channel,
        "event_ts": ts,
    }
    body = {
        "team_id": "T1",
        "api_app_id": "A1",
        "type": "event_callback",
        "event": event,
        "event_id": f"Ev{channel}{ts}",
        "event_time": int(time.time()),
        "authorizations": [{"team_id": "T1", "user_id": "UBOT", "is_bot": True}],
    }
    return dispatch(app, json.dumps(body), "application/json")


def posts(stub, channel):
    return stub.find("chat.postMessage", channel=channel)


def answered(stub, channel):
    """chat.postMessage calls to the channel that Slack accepted (not 429'd)."""
    limited = stub.limited_until.get(channel)
    return [c for c in posts(stub, channel) if limited is None or c.at >= limited]


@pytest.mark.parametrize("retry_after", [1.5, 3])
def test_a_rate_limited_channel_does_not_hold_up_another_and_loses_nothing(
    make_app, stub, retry_after, monkeypatch
):
    """Eight mentions in a channel Slack rate-limits, then one in another channel: the other
    is answered at once, the eight after Retry-After (one 429, honoured), none lost."""
    monkeypatch.setattr(stub, "slow_retry_after", retry_after)
    app, _ = make_app()
    slow, other = f"CSLOW{retry_after}", f"COTHER{retry_after}"
    for i in range(8):
        mention(app, "stalking Kent 2023", slow, f"600.{i + 1}")
    sent = time.monotonic()
    mention(app, "stalking Cumbria 2023", other, "601.1")
    [reply] = stub.wait_for(lambda: posts(stub, other), timeout=10)
    latency = reply.at - sent
    assert latency < 2, f"the other channel waited {latency:.2f}s"
    assert "stalking offences" in reply.body["text"]
    done = stub.wait_for(lambda: len(answered(stub, slow)) >= 8, timeout=15)
    assert done, [c.body.get("thread_ts") for c in posts(stub, slow)]
    calls = posts(stub, slow)
    limited = [c for c in calls if c.at < stub.limited_until[slow]]
    assert len(limited) == 1, "Retry-After not honoured: posted again inside the window"
    first_ok = answered(stub, slow)[0]
    assert first_ok.body["thread_ts"] == limited[0].body["thread_ts"]  # order kept
    assert first_ok.at - limited[0].at >= retry_after - 0.05
    threads = sorted(c.body["thread_ts"] for c in answered(stub, slow))
    assert threads == [f"600.{i + 1}" for i in range(8)]  # each answered exactly once
    print(
        f"\nRetry-After {retry_after}: other channel answered in {latency * 1000:.0f} ms; "
        f"limited channel's 8 answers {first_ok.at - limited[0].at:.2f}s after its 429"
    )


def test_outbox_gives_up_after_bounded_429s_and_logs_once(caplog):
    outbox = Outbox(threads=1, max_rate_limited=2)
    attempts = []
    after = threading.Event()
    response = SlackResponse(
        client=None,
        http_verb="POST",
        api_url="chat.postMessage",
        req_args={},
        data={"ok": False, "error": "ratelimited"},
        headers={"Retry-After": "0.05"},
        status_code=429,
    )

    def always_limited():
        attempts.append(time.monotonic())
        raise SlackApiError("ratelimited", response)

    with caplog.at_level(logging.ERROR, logger="bot.slack.replies"):
        outbox.send("CX", always_limited)
        outbox.send("CX", after.set)  # the next post in the channel still goes
        assert after.wait(5)
    assert len(attempts) == 3
    assert all(b - a >= 0.045 for a, b in itertools.pairwise(attempts))
    errors = [r for r in caplog.records if "CX" in r.getMessage()]
    assert len(errors) == 1 and "ratelimited" in errors[0].getMessage()


def test_full_answer_queue_says_busy_at_once_then_recovers(make_app, stub, monkeypatch, caplog):
    caplog.set_level(logging.INFO, logger="bot.slack.replies")
    app, bot = make_app(max_pending=2)
    gate = threading.Event()
    real_answer = bot.answer

    def slow_answer(*args):
        assert gate.wait(15)
        return real_answer(*args)

    monkeypatch.setattr(bot, "answer", slow_answer)
    url = f"{stub.url}/response/busy"
    command(app, "stalking Kent 2023", f"{url}1")
    command(app, "stalking Kent 2022", f"{url}2")
    acked = command(app, "stalking Kent 2021", f"{url}3")
    mention(app, "stalking Essex", "CBUSY", "700.1")
    assert json.loads(acked.body) == {"response_type": "ephemeral", "text": BUSY}
    [in_thread] = stub.wait_for(lambda: posts(stub, "CBUSY"))
    assert in_thread.body["text"] == BUSY and in_thread.body["thread_ts"] == "700.1"
    assert not stub.find(path_prefix="/response/busy1")  # still queued behind the gate
    gate.set()
    for name in ("busy1", "busy2"):
        [reply] = stub.wait_for(lambda name=name: stub.find(path_prefix=f"/response/{name}"))
        assert "stalking offences" in reply.body["text"]
    command(app, "stalking Kent 2020", f"{url}4")  # the queue has drained: answered again
    [later] = stub.wait_for(lambda: stub.find(path_prefix="/response/busy4"))
    assert "stalking offences" in later.body["text"]
    logged = [r.getMessage() for r in caplog.records if "answer queue" in r.getMessage()]
    assert logged == [
        "answer queue full (2): telling users to try again",  # once, not once per message
        "answer queue accepting again, after refusing 2",
    ]


@pytest.mark.parametrize("status", ["404", "500"])
def test_failed_response_url_is_logged_and_answer_sent_ephemeral(make_app, stub, caplog, status):
    app, _ = make_app()
    with caplog.at_level(logging.WARNING, logger="bot.slack.replies"):
        url = f"{stub.url}/response/fail{status}-a"
        command(app, "stalking Cumbria 2023", url, f"CE{status}", "UE")
        [ephemeral] = stub.wait_for(lambda: stub.find("chat.postEphemeral", channel=f"CE{status}"))
    assert ephemeral.body["user"] == "UE"
    assert "stalking offences" in ephemeral.body["text"]
    assert any(f"HTTP {status}" in r.getMessage() for r in caplog.records)


def test_failed_response_url_and_ephemeral_fall_back_to_a_dm(make_app, stub, caplog):
    app, _ = make_app()
    with caplog.at_level(logging.WARNING, logger="bot.slack.replies"):
        command(app, "stalking Cumbria 2023", f"{stub.url}/response/fail500-b", "CFAIL", "UDM")
        [dm] = stub.wait_for(lambda: stub.find("chat.postMessage", channel="UDM"))
    assert "stalking offences" in dm.body["text"]
    assert stub.find("chat.postEphemeral", channel="CFAIL")
    messages = [r.getMessage() for r in caplog.records]
    assert any("response_url failed" in m for m in messages)
    assert any("not_in_channel" in m for m in messages)
