"""Run the real production server (`python -m bot serve`) for tests and benchmarks, and talk
to it the way Slack does: signed form posts and signed JSON event callbacks."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
SECRET = "test-signing-secret-8f742231b10e8888abcd99yyyzzz85a5"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sign(body: bytes, timestamp: int, secret: str = SECRET) -> str:
    base = b"v0:" + str(timestamp).encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


class Server:
    def __init__(
        self,
        api_url: str,
        data_dir: Path,
        state_url: str,
        token: str = "xoxb-test",
        threads: int = 32,
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "PORT": str(self.port),
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_BOT_TOKEN": token,
            "SLACK_API_URL": api_url,
            "CRIMEBOT_DATA_DIR": str(data_dir),
            "CRIMEBOT_STATE_URL": state_url,
            "CRIMEBOT_THREADS": str(threads),
        }
        self.log = open(  # noqa: SIM115 - kept open for the server's lifetime, closed in stop()
            Path(state_url.removeprefix("sqlite:///")).with_suffix(".log"), "w"
        )
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1"],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=1) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
            if self.process.poll() is not None:
                break
        self.stop()
        raise RuntimeError(f"server did not start: see {self.log.name}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()

    def post(
        self,
        body: bytes,
        content_type: str,
        headers: dict | None = None,
        timestamp: int | None = None,
        signature: str | None = None,
        timeout: float = 30,
    ) -> tuple[int, bytes, float]:
        timestamp = int(time.time()) if timestamp is None else timestamp
        all_headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": str(timestamp),
            "X-Slack-Signature": signature or sign(body, timestamp),
            **(headers or {}),
        }
        request = urllib.request.Request(
            f"{self.url}/slack/events", data=body, headers=all_headers, method="POST"
        )
        start = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, response.read(), time.perf_counter() - start
        except urllib.error.HTTPError as error:
            return error.code, error.read(), time.perf_counter() - start

    def command(
        self, text: str, response_url: str, channel: str = "C1", user: str = "U1", **kwargs
    ) -> tuple[int, bytes, float]:
        body = urlencode(
            {
                "token": "legacy",
                "team_id": "T1",
                "team_domain": "newsroom",
                "channel_id": channel,
                "channel_name": "newsdesk",
                "user_id": user,
                "user_name": "reporter",
                "command": "/crimestats",
                "text": text,
                "api_app_id": "A1",
                "response_url": response_url,
                "trigger_id": "1.2.3",
            }
        ).encode()
        return self.post(body, "application/x-www-form-urlencoded", **kwargs)

    def event(self, event: dict, event_id: str, headers: dict | None = None, **kwargs):
        body = json.dumps(
            {
                "token": "legacy",
                "team_id": "T1",
                "api_app_id": "A1",
                "event": event,
                "type": "event_callback",
                "event_id": event_id,
                "event_time": int(time.time()),
                "authorizations": [{"team_id": "T1", "user_id": "UBOT", "is_bot": True}],
            }
        ).encode()
        return self.post(body, "application/json", headers=headers, **kwargs)

    def action(self, payload: dict, **kwargs):
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return self.post(body, "application/x-www-form-urlencoded", **kwargs)

    def click(
        self, button: dict, channel: str, container: dict, response_url: str, user: str = "U7"
    ):
        """A button pressed, as Slack sends it: a block_actions payload."""
        return self.action(
            {
                "type": "block_actions",
                "user": {"id": user},
                "team": {"id": "T1"},
                "api_app_id": "A1",
                "channel": {"id": channel},
                "container": container,
                "response_url": response_url,
                "trigger_id": "1",
                "actions": [{"type": "button", "block_id": "b", "action_ts": "1", **button}],
            }
        )
