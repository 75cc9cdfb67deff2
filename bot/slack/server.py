"""Production HTTP serving (gunicorn, threads, Bolt's WSGI adapter) and Socket Mode.

The WSGI guard checks each request before Bolt sees it: anyone on the internet can post to
the endpoint, and Bolt parses a body before it verifies the signature, so forged garbage
would cost a 500 and a traceback. The guard reads the raw body once, verifies the Slack
signature on those bytes, checks the body is what its content type says, drops replays,
and only then hands Bolt the same bytes.

gunicorn's gthread worker gives each connection a thread that reads it with no deadline;
PatientThreadWorker adds one (READ_TIMEOUT) and serve() gives it many threads, so clients
that stall mid-request cannot take every thread from Slack.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import io
import json
import logging
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from gunicorn.app.base import BaseApplication
from gunicorn.workers.gthread import ThreadWorker

from bot.settings import Settings

if TYPE_CHECKING:
    from bot.state.store import State

EVENTS_PATH = "/slack/events"
MAX_BODY = 1 << 20  # Slack's payloads are a few kB
MAX_AGE = 300  # seconds a signed request stays valid (Slack's own rule)
FORM = "application/x-www-form-urlencoded"  # slash commands and interactivity
JSON = "application/json"  # events
# Threads per process that read requests. Slack's requests come whole in a few ms, but a
# client that stops mid-request holds a thread until READ_TIMEOUT: with many cheap threads,
# a few hundred of those at once still leave threads for Slack.
CONNECTION_THREADS = 256
READ_TIMEOUT = 5  # seconds a client may go silent in the middle of a request
SWITCH_INTERVAL = 0.001  # seconds; Python's default is 0.005

log = logging.getLogger(__name__)
StartResponse = Callable[..., object]


def _plain(start_response: StartResponse, status: str, text: str) -> list[bytes]:
    body = text.encode()
    start_response(status, [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]


def _read_exactly(stream, length: int) -> bytes | None:
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
) -> str | None:
    """Why the request is not signed by Slack (None if it is): `v0=` + hex HMAC-SHA256 of
    `v0:{timestamp}:{body}`, over the raw bytes, with a timestamp under five minutes old."""
    if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 11):
        return "bad timestamp"
    if abs(now - int(timestamp)) > MAX_AGE:
        return "stale timestamp"
    base = b"v0:" + timestamp.encode() + b":" + body
    expected = b"v0=" + hmac.new(secret, base, hashlib.sha256).hexdigest().encode()
    if not hmac.compare_digest(expected, signature.encode("latin-1", "replace")):
        return "bad signature"
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


def guarded(
    slack_app: Callable,
    signing_secret: str,
    first_delivery: Callable[[str], bool],
    clock: Callable[[], float] = time.time,
    health: Callable[[], list[str]] = list,
    oauth_paths: tuple[str, ...] = (),
) -> Callable:
    """Slack's endpoint behind checks that answer strangers briefly: 401 unsigned (one log line,
    no traceback), 400 signed but malformed, 413 too large, and 200 with an empty body for a
    replayed command or button press (a Share pressed once posts once).

    In OAuth mode ``oauth_paths`` (the "Add to Slack" page and Slack's redirect back) pass too:
    browsers GET them, unsigned, so only GET is let through and no body is read; Bolt checks
    the redirect's state parameter against its cookie and the state store."""
    secret = signing_secret.encode()

    def application(environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == "/healthz":
            problems = health()
            if problems:
                return _plain(start_response, "503 Service Unavailable", "; ".join(problems))
            return _plain(start_response, "200 OK", "ok")
        if path in oauth_paths:
            if environ.get("REQUEST_METHOD") != "GET":
                return _plain(start_response, "405 Method Not Allowed", "GET only")
            environ = {**environ, "wsgi.input": io.BytesIO(b""), "CONTENT_LENGTH": "0"}
            return slack_app(environ, start_response)
        if path != EVENTS_PATH:
            return _plain(start_response, "404 Not Found", "not found")
        if environ.get("REQUEST_METHOD") != "POST":
            return _plain(start_response, "405 Method Not Allowed", "POST only")
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > MAX_BODY:
            return _plain(start_response, "413 Content Too Large", "too large")
        body = _read_exactly(environ["wsgi.input"], length) if length > 0 else None
        timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", "")
        signature = environ.get("HTTP_X_SLACK_SIGNATURE", "")
        problem = (
            "no body"
            if body is None
            else signature_problem(secret, timestamp, signature, body, clock())
        )
        if problem:
            log.warning("refused request from %s: %s", environ.get("REMOTE_ADDR"), problem)
            return _plain(start_response, "401 Unauthorized", "invalid request")
        media_type = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
        if not well_formed(body, media_type):
            return _plain(start_response, "400 Bad Request", "malformed request")
        # A replayed command or button press is byte-identical, so its timestamp and signature
        # are the original's. Events are left to their event_id check (one write each is
        # enough), and Slack's own retries are signed anew and pass.
        if media_type == FORM and not first_delivery(f"request:{timestamp}:{signature}"):
            start_response("200 OK", [("Content-Length", "0")])
            return [b""]
        environ = {**environ, "wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body))}
        return slack_app(environ, start_response)

    return application


def wsgi_app(settings: Settings) -> Callable:
    from slack_bolt.adapter.wsgi import SlackRequestHandler

    from bot.slack.app import build_app
    from bot.state.store import State

    state = State(settings.CRIMEBOT_STATE_URL)
    first_delivery = state.first_delivery
    if settings.CRIMEBOT_STATE_URL.startswith("sqlite"):
        first_delivery = _one_at_a_time(first_delivery)
    return guarded(
        SlackRequestHandler(build_app(settings)),
        settings.SLACK_SIGNING_SECRET,
        first_delivery,
        health=lambda: health_problems(state, settings.data_dir),
        oauth_paths=_oauth_paths(settings),
    )


def _oauth_paths(settings: Settings) -> tuple[str, ...]:
    if not settings.oauth_mode:
        return ()
    from bot.slack.oauth import OAUTH_PATHS

    return OAUTH_PATHS


def health_problems(state: State, data_dir: Path) -> list[str]:
    """What /healthz reports: an unusable state database (answers go on without thread memory)
    or a data directory that a restarting worker could not load."""
    from bot.datastore.manifest import read_manifest
    from bot.datastore.versions import DataMissing, current

    problems = []
    if not state.healthy():
        problems.append("state database unusable")
    try:
        version = current(data_dir)
        if not read_manifest(data_dir)["releases"] or not (version / "recorded.parquet").exists():
            problems.append(f"no data loaded in {data_dir}")
    except DataMissing as error:
        problems.append(str(error))
    return problems


def _one_at_a_time(first_delivery: Callable[[str], bool]) -> Callable[[str], bool]:
    """SQLite takes one writer at a time and sends the others to sleep and retry, for up to
    100 ms a go: a burst of 200 commands had acks of 5 s. Queued on a lock in each process,
    the replay check costs each about a millisecond."""
    lock = threading.Lock()

    def checked(key: str) -> bool:
        with lock:
            return first_delivery(key)

    return checked


class _PatientSocket(socket.socket):
    """A client connection whose blocking reads wait at most READ_TIMEOUT, then end it as if
    the client had hung up: gunicorn's own reads have no deadline, so a client stalled in its
    headers would hold a thread forever."""

    __slots__ = ()

    def setblocking(self, flag: bool) -> None:
        self.settimeout(READ_TIMEOUT if flag else 0.0)

    def recv(self, size: int, flags: int = 0) -> bytes:
        try:
            return super().recv(size, flags)
        except TimeoutError:
            with contextlib.suppress(OSError):  # so gunicorn's close does not linger on it
                self.shutdown(socket.SHUT_RDWR)
            return b""


class _Listener:
    """The listening socket, handing out patient connections."""

    def __init__(self, listener) -> None:
        self.listener = listener

    def accept(self) -> tuple[socket.socket, object]:
        client, address = self.listener.accept()
        return _PatientSocket(fileno=client.detach()), address

    def getsockname(self) -> object:
        return self.listener.getsockname()


class PatientThreadWorker(ThreadWorker):
    """gunicorn's gthread worker, with a read deadline on every client connection."""

    def accept(self, listener) -> None:
        super().accept(_Listener(listener))


class _Gunicorn(BaseApplication):
    def __init__(self, settings: Settings, options: dict) -> None:
        self.settings = settings
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Callable:
        # Built in the worker, after the fork: DuckDB connections must not cross a fork.
        # A short GIL switch interval lets request threads ack between slices of answer work.
        sys.setswitchinterval(SWITCH_INTERVAL)
        from bot.datastore.versions import DataMissing

        try:
            return wsgi_app(self.settings)
        except DataMissing as error:
            # A worker that exits on boot makes gunicorn stop the whole server: stay up, say
            # why on every request and on /healthz, and let the healthy workers serve.
            log.error("worker cannot load the data: %s", error)
            return unavailable(str(error))


def unavailable(reason: str) -> Callable:
    """A WSGI app for a worker without usable data: 503 and the reason, for every path."""

    def application(environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        return _plain(start_response, "503 Service Unavailable", reason)

    return application


def _preload() -> None:
    """Import the bot in the master, before the port opens: each forked worker then starts
    with the code loaded and is ready in a few hundred ms, so a command sent as the port
    opens is not kept waiting for imports. Nothing is opened here: DuckDB and database
    connections must not cross a fork."""
    import slack_bolt.adapter.wsgi  # noqa: F401

    import bot.slack.app  # noqa: F401


def serve(settings: Settings, host: str = "0.0.0.0") -> None:
    settings.require_slack()
    from bot.query.database import check_data

    check_data(settings.data_dir)  # one clear message before any worker forks, not one each
    _preload()
    _Gunicorn(
        settings,
        {
            "bind": f"{host}:{settings.PORT}",
            # One process per core: Bolt's dispatch is Python, so a second process doubles what a
            # burst can be acked with. Each holds its own copy of the data (about 100 MB).
            "workers": settings.CRIMEBOT_WORKERS,
            "worker_class": PatientThreadWorker,
            "threads": max(settings.CRIMEBOT_THREADS, CONNECTION_THREADS),
            "timeout": 60,
            "graceful_timeout": 10,
            # gunicorn's runtime control socket ($HOME/.gunicorn/gunicorn.ctl) is unused here,
            # and a second server on the same host would take over its path.
            "control_socket_disable": True,
            "accesslog": "-",
            "loglevel": "info",
        },
    ).run()


def socket_mode(settings: Settings) -> None:
    settings.require("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN")
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot.slack.app import build_app

    SocketModeHandler(build_app(settings), settings.SLACK_APP_TOKEN).start()
