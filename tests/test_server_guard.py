"""The WSGI guard and the gunicorn settings, over HTTP against the real server: what strangers,
replays and stalled clients get, and that Slack is still answered meanwhile."""

from __future__ import annotations

import contextlib
import functools
import io
import json
import socket
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from unittest.mock import MagicMock
from urllib.parse import urlencode

import pytest

from bot.slack.acks_first import InFlight
from bot.slack.guard import MAX_BODY, Guard
from bot.slack.replies import Crimebot
from bot.slack.workers import READ_TIMEOUT
from tests.slack_server import SECRET, Server, sign

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


@pytest.fixture(scope="module")
def server(stub, article_data, tmp_path_factory):
    state = tmp_path_factory.mktemp("guard-state") / "state.db"
    server = Server(f"{stub.url}/api/", article_data, f"sqlite:///{state}")
    yield server
    server.stop()


def log_text(server: Server) -> str:
    return Path(server.log.name).read_text(errors="replace")


def responses(stub, name):
    return [c.body for c in stub.find(path_prefix=f"/response/{name}")]


def command_body(text: str, response_url: str) -> bytes:
    return urlencode(
        {
            "team_id": "T1",
            "channel_id": "C1",
            "user_id": "U1",
            "command": "/crimestats",
            "text": text,
            "api_app_id": "A1",
            "response_url": response_url,
            "trigger_id": "1.2.3",
        }
    ).encode()


EVENT = json.dumps({"type": "event_callback", "team_id": "T1", "event_id": "EvG"}).encode()
GARBAGE = [
    pytest.param(b'{"type": ', JSON, id="cut-off JSON"),
    pytest.param(b"[1,2,3]", JSON, id="JSON list"),
    pytest.param(b"null", JSON, id="JSON null"),
    pytest.param(b"\xff\xfe\x00garbage", JSON, id="not UTF-8 as JSON"),
    pytest.param(b"\xff\xfe\x00garbage", FORM, id="not UTF-8 as form"),
    pytest.param(command_body("stalking Kent", "http://127.0.0.1:9/x"), JSON, id="form as JSON"),
    pytest.param(b"payload=%7B%22type%22%3A", FORM, id="cut-off payload"),
]


def test_forged_garbage_gets_401_and_one_short_log_line_each(server, stub):
    """Bolt used to parse these before checking the signature: a 500 and a traceback each."""
    time.sleep(0.5)  # start-up lines written
    before_log, before_calls = len(log_text(server)), len(stub.calls)
    sent = 0
    for body, content_type in (case.values for case in GARBAGE):
        for signature in ("v0=" + "0" * 64, sign(body, int(time.time()), "not-the-secret")):
            status, _, _ = server.post(body, content_type, signature=signature)
            assert status == 401, (body, content_type)
            sent += 1
    stale = int(time.time()) - 301
    assert server.post(EVENT, JSON, timestamp=stale)[0] == 401
    sent += 1
    time.sleep(0.3)
    grown = log_text(server)[before_log:]
    assert "Traceback" not in grown and "Error" not in grown
    # gunicorn's access line and the guard's reason ("bad signature"), nothing more
    assert len(grown.splitlines()) <= 2 * sent
    assert len(grown) <= 250 * sent
    assert "bad signature" in grown and "stale timestamp" in grown
    assert len(stub.calls) == before_calls


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        *GARBAGE,
        pytest.param(EVENT, FORM, id="JSON as form"),
        pytest.param(command_body("stalking Kent", "http://x/y"), "text/plain", id="text/plain"),
        pytest.param(EVENT, "multipart/form-data", id="multipart"),
    ],
)
def test_signed_but_malformed_or_wrong_content_type_gets_400(server, stub, body, content_type):
    before = len(stub.calls)
    status, _, _ = server.post(body, content_type)
    assert status == 400
    time.sleep(0.2)
    assert len(stub.calls) == before


def test_a_replayed_command_is_answered_once(server, stub):
    body = command_body("stalking Cumbria 2023", f"{stub.url}/response/replay")
    timestamp = int(time.time())
    results = [server.post(body, FORM, timestamp=timestamp) for _ in range(3)]
    assert [status for status, _, _ in results] == [200, 200, 200]
    assert [answer for _, answer, _ in results[1:]] == [b"", b""]
    assert stub.wait_for(lambda: responses(stub, "replay"))
    time.sleep(1.0)
    assert len(responses(stub, "replay")) == 1
    # the same body signed anew (as Slack signs each of its retries) is a new request
    assert server.post(body, FORM, timestamp=timestamp - 1)[0] == 200
    assert stub.wait_for(lambda: len(responses(stub, "replay")) == 2)


def test_a_replayed_share_posts_once(server, stub):
    payload = {
        "type": "block_actions",
        "user": {"id": "U7"},
        "team": {"id": "T1"},
        "api_app_id": "A1",
        "channel": {"id": "CREPLAY"},
        "container": {"type": "message", "is_ephemeral": True},
        "response_url": f"{stub.url}/response/sharereplay",
        "trigger_id": "1",
        "actions": [
            {
                "type": "button",
                "block_id": "b",
                "action_ts": "1",
                "action_id": "share_answer",
                "value": "stalking Cumbria 2023",
            }
        ],
    }
    timestamp = int(time.time())
    for _ in range(3):
        assert server.action(payload, timestamp=timestamp)[0] == 200

    def shared():
        return [r for r in responses(stub, "sharereplay") if r.get("response_type") == "in_channel"]

    assert stub.wait_for(shared)
    time.sleep(1.0)
    assert len(shared()) == 1


def test_stalled_clients_neither_block_commands_nor_stay_connected(server, stub):
    """150 sockets stopped half-way through a header line used to take every thread: real
    commands timed out and the sockets were held for as long as their clients liked."""
    stalled = []
    try:
        for _ in range(150):
            client = socket.create_connection(("127.0.0.1", server.port), timeout=5)
            client.sendall(b"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slack-Req")
            stalled.append(client)
        opened = time.monotonic()
        time.sleep(0.3)
        status, _, seconds = server.command(
            "stalking Kent", f"{stub.url}/response/stalled", timeout=5
        )
        assert status == 200 and seconds < 3
        assert stub.wait_for(lambda: responses(stub, "stalled"), timeout=5)
        deadline = opened + READ_TIMEOUT + 5
        for client in stalled:
            client.settimeout(max(0.1, deadline - time.monotonic()))
            with contextlib.suppress(ConnectionResetError):  # reset or closed: hung up
                assert client.recv(1) == b""
    finally:
        for client in stalled:
            client.close()


def test_the_stub_takes_a_burst_of_connections_at_once(stub):
    """With Python's default backlog of 5 a burst was reset or retried a second later, and
    benchmarks counted that second against the bot."""
    start = threading.Barrier(100)

    def call(i: int) -> float:
        start.wait()
        began = time.perf_counter()
        request = urllib.request.Request(
            f"{stub.url}/api/chat.postMessage",
            data=json.dumps({"channel": f"CBURST{i}"}).encode(),
            headers={"Content-Type": JSON},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()
        return time.perf_counter() - began

    with ThreadPoolExecutor(max_workers=100) as pool:
        seconds = list(pool.map(call, range(100)))
    assert max(seconds) < 1


def call_guard(body: bytes, length: str | None = None, timestamp: int | None = None):
    """The guard called directly, in front of an app that records what it was given."""
    seen: list[bytes] = []

    def app(environ, start_response):
        seen.append(environ["wsgi.input"].read(int(environ["CONTENT_LENGTH"])))
        start_response("200 OK", [])
        return [b"ok"]

    timestamp = int(time.time()) if timestamp is None else timestamp
    environ = {
        "PATH_INFO": "/slack/events",
        "REQUEST_METHOD": "POST",
        "CONTENT_TYPE": JSON,
        "CONTENT_LENGTH": str(len(body)) if length is None else length,
        "HTTP_X_SLACK_REQUEST_TIMESTAMP": str(timestamp),
        "HTTP_X_SLACK_SIGNATURE": sign(body, timestamp),
        "wsgi.input": io.BytesIO(body + b"next request"),
    }
    statuses = []
    Guard(app, SECRET, lambda key: True)(environ, lambda status, headers: statuses.append(status))
    return statuses[0], seen


def test_the_app_gets_exactly_the_signed_bytes_and_short_or_huge_bodies_are_refused():
    assert call_guard(EVENT) == ("200 OK", [EVENT])
    assert call_guard(EVENT, length=str(len(EVENT) + 5))[0] == "401 Unauthorized"  # cut short
    assert call_guard(EVENT, length=str(MAX_BODY + 1))[0].startswith("413")
    assert call_guard(EVENT, length="lots")[0] == "401 Unauthorized"


def test_an_answer_starts_only_once_the_requests_in_flight_are_acked():
    """In a burst, answers computed beside the acks slowed the acks: an answer queued while a
    request is being checked and dispatched waits until the guard has returned its ack."""
    in_flight = InFlight()
    happened: list[str] = []
    bot = Crimebot(
        MagicMock(), MagicMock(), before_answer=functools.partial(in_flight.wait_quiet, 5)
    )

    def app(environ, start_response):
        bot.later(happened.append, "answered")
        time.sleep(0.2)  # still dispatching: the answer thread is idle, and must wait
        happened.append("acked")
        start_response("200 OK", [])
        return [b""]

    timestamp = int(time.time())
    environ = {
        "PATH_INFO": "/slack/events",
        "REQUEST_METHOD": "POST",
        "CONTENT_TYPE": JSON,
        "CONTENT_LENGTH": str(len(EVENT)),
        "HTTP_X_SLACK_REQUEST_TIMESTAMP": str(timestamp),
        "HTTP_X_SLACK_SIGNATURE": sign(EVENT, timestamp),
        "wsgi.input": io.BytesIO(EVENT),
    }
    Guard(app, SECRET, lambda key: True, in_flight=in_flight)(environ, lambda *_: None)
    bot.workers.shutdown(wait=True)
    assert happened == ["acked", "answered"]


def test_healthz_reports_unusable_state_or_data(tmp_path, article_data):
    """Load balancers restart or route around a server whose data or state it cannot use."""
    from bot.slack.server import health_problems
    from bot.state.store import State

    good = State(f"sqlite:///{tmp_path / 'state.db'}")
    assert health_problems(good, article_data) == []
    blocked = tmp_path / "blocked.db"
    blocked.mkdir()  # a directory where the database file should be: unusable even as root
    assert health_problems(State(f"sqlite:///{blocked}"), article_data) == [
        "state database unusable"
    ]
    broken = tmp_path / "data"
    broken.mkdir()
    (broken / "CURRENT").write_text("version-000009-gone\n")
    [problem] = health_problems(good, broken)
    assert "CURRENT" in problem and "ingest" in problem

    def app(environ, start_response):
        raise AssertionError("/healthz never reaches Slack's app")

    application = Guard(app, SECRET, lambda key: True, health=lambda: ["state database unusable"])
    statuses = []
    body = application(
        {"PATH_INFO": "/healthz", "REQUEST_METHOD": "GET"},
        lambda status, headers: statuses.append(status),
    )
    assert statuses == ["503 Service Unavailable"]
    assert b"".join(body) == b"state database unusable"


def test_healthz_is_ok_on_a_running_server(server):
    with urllib.request.urlopen(f"{server.url}/healthz", timeout=10) as response:
        assert response.status == 200
        assert response.read() == b"ok"
