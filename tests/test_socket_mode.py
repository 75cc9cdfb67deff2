"""`python -m bot socket` against a local Socket Mode server: the real socket_mode() builds the
app and Bolt's SocketModeHandler (slack_sdk's builtin client, no extra package); only its
blocking start() is replaced by connect(), so the test can close it afterwards."""

from __future__ import annotations

import time

import pytest
from slack_bolt.adapter.socket_mode import SocketModeHandler

from bot.settings import Settings
from bot.slack import server
from tests.slack_server import SECRET
from tests.socket_stub import SocketModeStub


@pytest.fixture
def socket_app(stub, article_data, tmp_path, monkeypatch):
    sockets = SocketModeStub()
    monkeypatch.setattr(stub, "socket_url", sockets.url("t1"))
    handlers: list[SocketModeHandler] = []

    def start(self: SocketModeHandler) -> None:
        handlers.append(self)
        self.connect()

    monkeypatch.setattr(SocketModeHandler, "start", start)
    settings = Settings(
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_APP_TOKEN="xapp-test",
        SLACK_API_URL=f"{stub.url}/api/",
        CRIMEBOT_DATA_DIR=article_data,
        CRIMEBOT_STATE_URL=f"sqlite:///{tmp_path / 'state.db'}",
        CRIMEBOT_THREADS=4,
    )
    server.socket_mode(settings)
    assert sockets.wait_for(lambda: sockets.connections, timeout=10), "never connected"
    yield sockets
    for handler in handlers:  # hang up first, so close() need not wait out a 3 s read
        handler.client.auto_reconnect_enabled = False
    sockets.close()
    for handler in handlers:
        handler.close()


def slash(envelope_id: str, text: str, response_url: str) -> dict:
    return {
        "envelope_id": envelope_id,
        "type": "slash_commands",
        "accepts_response_payload": True,
        "payload": {
            "token": "legacy",
            "team_id": "T1",
            "team_domain": "newsroom",
            "channel_id": "CSOCK",
            "channel_name": "newsdesk",
            "user_id": "U1",
            "user_name": "reporter",
            "command": "/crimestats",
            "text": text,
            "api_app_id": "A1",
            "response_url": response_url,
            "trigger_id": "1.2.3",
        },
    }


def app_mention(envelope_id: str, text: str, channel: str, ts: str) -> dict:
    return {
        "envelope_id": envelope_id,
        "type": "events_api",
        "accepts_response_payload": False,
        "retry_attempt": 0,
        "retry_reason": "",
        "payload": {
            "token": "legacy",
            "team_id": "T1",
            "api_app_id": "A1",
            "type": "event_callback",
            "event_id": f"Ev{envelope_id}",
            "event_time": int(time.time()),
            "authorizations": [{"team_id": "T1", "user_id": "UBOT", "is_bot": True}],
            "event": {
                "type": "app_mention",
                "user": "U1",
                "text": f"<@UBOT> {text}",
                "ts": ts,
                "channel": channel,
                "event_ts": ts,
            },
        },
    }


def responses(stub, name):
    return [c.body for c in stub.find(path_prefix=f"/response/{name}")]


def test_slash_command_envelope_is_acked_then_answered_at_its_response_url(socket_app, stub):
    sent = time.monotonic()
    socket_app.connections[0].send(
        slash("env-cmd", "stalking Cumbria 2023", f"{stub.url}/response/sock-cmd")
    )
    [(connection, ack)] = socket_app.wait_for(lambda: socket_app.acks("env-cmd"))
    assert ack == {"envelope_id": "env-cmd"} and connection == 0
    assert time.monotonic() - sent < 3  # Slack's deadline for the ack
    [reply] = stub.wait_for(lambda: responses(stub, "sock-cmd"))
    assert reply["response_type"] == "ephemeral"
    assert "stalking offences" in reply["text"]


def test_app_mention_envelope_is_acked_and_answered_in_the_thread(socket_app, stub):
    socket_app.connections[0].send(app_mention("env-ev", "stalking Kent 2023", "CSOCKM", "800.1"))
    assert socket_app.wait_for(lambda: socket_app.acks("env-ev"))
    [post] = stub.wait_for(lambda: stub.find("chat.postMessage", channel="CSOCKM"))
    assert post.body["thread_ts"] == "800.1"
    assert "stalking offences" in post.body["text"]


def test_disconnect_refresh_requested_reconnects_and_keeps_answering(socket_app, stub):
    opened = len(stub.find("apps.connections.open"))
    first = socket_app.connections[0]
    first.send({"type": "disconnect", "reason": "refresh_requested", "debug_info": {"host": "x"}})
    assert socket_app.wait_for(lambda: len(socket_app.connections) == 2), "did not reconnect"
    assert len(stub.find("apps.connections.open")) == opened + 1  # a fresh URL was asked for
    assert first.closed.wait(10), "the old connection was left open"
    socket_app.connections[1].send(
        slash("env-after", "stalking Essex 2023", f"{stub.url}/response/sock-after")
    )
    [(connection, ack)] = socket_app.wait_for(lambda: socket_app.acks("env-after"))
    assert connection == 1 and ack == {"envelope_id": "env-after"}
    [reply] = stub.wait_for(lambda: responses(stub, "sock-after"))
    assert "stalking offences" in reply["text"]
