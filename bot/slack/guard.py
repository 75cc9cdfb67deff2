"""The WSGI guard in front of Bolt: it checks each request before Bolt sees it.

Anyone on the internet can post to the endpoint, and Bolt parses a body before it verifies
the signature, so forged garbage would cost a 500 and a traceback. The guard reads the raw
body once, verifies the Slack signature on those bytes, checks the body is what its content
type says, drops replays, and only then hands Bolt the same bytes.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import logging
import time
from collections.abc import Callable, Iterable
from enum import StrEnum
from typing import Any, BinaryIO
from urllib.parse import parse_qsl

from bot.slack.acks_first import InFlight

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
MAX_BODY = 1 << 20  # Slack's payloads are a few kB
MAX_AGE = 300  # seconds a signed request stays valid (Slack's own rule)
FORM = "application/x-www-form-urlencoded"  # slash commands and interactivity
JSON = "application/json"  # events

log = logging.getLogger(__name__)
StartResponse = Callable[..., object]
WSGIApp = Callable[..., Iterable[bytes]]  # (environ, start_response) -> body


class Refusal(StrEnum):
    """Why a request is not taken as Slack's (logged, never shown to the sender)."""

    NO_BODY = "no body"
    BAD_TIMESTAMP = "bad timestamp"
    STALE_TIMESTAMP = "stale timestamp"
    BAD_SIGNATURE = "bad signature"


def plain(start_response: StartResponse, status: str, text: str) -> list[bytes]:
    body = text.encode()
    start_response(status, [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]


def _read_exactly(stream: BinaryIO, length: int) -> bytes | None:
    """The body's `length` bytes, or None if the client sent fewer."""
    chunks = []
    while length > 0:
        chunk = stream.read(length)
        if not chunk:
            return None
        chunks.append(chunk)
        length -= len(chunk)
    return b"".join(chunks)


def signature_problem(
    secret: bytes, timestamp: str, signature: str, body: bytes, now: float
) -> Refusal | None:
    """Why the request is not signed by Slack (None if it is): `v0=` + hex HMAC-SHA256 of
    `v0:{timestamp}:{body}`, over the raw bytes, with a timestamp under five minutes old."""
    if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 11):
        return Refusal.BAD_TIMESTAMP
    if abs(now - int(timestamp)) > MAX_AGE:
        return Refusal.STALE_TIMESTAMP
    base = b"v0:" + timestamp.encode() + b":" + body
    expected = b"v0=" + hmac.new(secret, base, hashlib.sha256).hexdigest().encode()
    if not hmac.compare_digest(expected, signature.encode("latin-1", "replace")):
        return Refusal.BAD_SIGNATURE
    return None


def well_formed(body: bytes, media_type: str) -> bool:
    """The body is what Slack sends with that content type (events as a JSON object, commands
    and button presses as a form, a press's `payload` a JSON object), so Bolt's parse of it
    cannot fail."""
    try:
        text = body.decode()
        if media_type == JSON:
            return isinstance(json.loads(text), dict)
        if media_type == FORM and not text.startswith("{"):  # Bolt reads `{…` as JSON
            payload = dict(parse_qsl(text, keep_blank_values=True)).get("payload")
            return payload is None or isinstance(json.loads(payload), dict)
    except ValueError:  # not UTF-8, not JSON
        return False
    return False


class Guard:
    """Slack's endpoint behind checks that answer strangers briefly: 401 unsigned (one log line,
    no traceback), 400 signed but malformed, 413 too large, and 200 with an empty body for a
    replayed command or button press (a Share pressed once posts once).

    In OAuth mode ``oauth_paths`` (the "Add to Slack" page and Slack's redirect back) pass too:
    browsers GET them, unsigned, so only GET is let through and no body is read; Bolt checks
    the redirect's state parameter against its cookie and the state store."""

    def __init__(
        self,
        slack_app: WSGIApp,
        signing_secret: str,
        first_delivery: Callable[[str], bool],
        clock: Callable[[], float] = time.time,
        health: Callable[[], list[str]] = list,
        oauth_paths: tuple[str, ...] = (),
        in_flight: InFlight | None = None,
    ) -> None:
        self.slack_app = slack_app
        self.in_flight = in_flight or InFlight()  # answers wait for these acks
        self.secret = signing_secret.encode()
        self.first_delivery = first_delivery
        self.clock = clock
        self.health = health
        self.oauth_paths = oauth_paths

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == HEALTH_PATH:
            problems = self.health()
            if problems:
                return plain(start_response, "503 Service Unavailable", "; ".join(problems))
            return plain(start_response, "200 OK", "ok")
        if path in self.oauth_paths:
            if environ.get("REQUEST_METHOD") != "GET":
                return plain(start_response, "405 Method Not Allowed", "GET only")
            environ = {**environ, "wsgi.input": io.BytesIO(b""), "CONTENT_LENGTH": "0"}
            return self.slack_app(environ, start_response)
        if path != EVENTS_PATH:
            return plain(start_response, "404 Not Found", "not found")
        if environ.get("REQUEST_METHOD") != "POST":
            return plain(start_response, "405 Method Not Allowed", "POST only")
        return self.from_slack(environ, start_response)

    def from_slack(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """A POST to the events endpoint: Bolt gets it only signed, well formed and new."""
        with self.in_flight.request():
            return self._checked(environ, start_response)

    def _checked(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > MAX_BODY:
            return plain(start_response, "413 Content Too Large", "too large")
        body = _read_exactly(environ["wsgi.input"], length) if length > 0 else None
        timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", "")
        signature = environ.get("HTTP_X_SLACK_SIGNATURE", "")
        problem = (
            Refusal.NO_BODY
            if body is None
            else signature_problem(self.secret, timestamp, signature, body, self.clock())
        )
        if problem or body is None:
            log.warning("refused request from %s: %s", environ.get("REMOTE_ADDR"), problem)
            return plain(start_response, "401 Unauthorized", "invalid request")
        media_type = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
        if not well_formed(body, media_type):
            return plain(start_response, "400 Bad Request", "malformed request")
        # A replayed command or button press is byte-identical, so its timestamp and signature
        # are the original's. Events are left to their event_id check (one write each is
        # enough), and Slack's own retries are signed anew and pass.
        if media_type == FORM and not self.first_delivery(f"request:{timestamp}:{signature}"):
            start_response("200 OK", [("Content-Length", "0")])
            return [b""]
        environ = {**environ, "wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body))}
        return self.slack_app(environ, start_response)


def unavailable(reason: str) -> WSGIApp:
    """A WSGI app for a worker without usable data: 503 and the reason, for every path."""

    def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        return plain(start_response, "503 Service Unavailable", reason)

    return application
