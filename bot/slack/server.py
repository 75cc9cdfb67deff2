"""Production HTTP serving (gunicorn, threads, Bolt's WSGI adapter) and Socket Mode.

The WSGI guard answers 401 for request headers that Bolt's own verification would
turn into a 500 (an empty, non-numeric or huge timestamp; a non-ASCII signature): anyone
on the internet can send those, and a well-built endpoint refuses them politely.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterable

from gunicorn.app.base import BaseApplication

from bot.settings import Settings

EVENTS_PATH = "/slack/events"
MAX_BODY = 1 << 20  # Slack's payloads are a few kB
SWITCH_INTERVAL = 0.001  # seconds; Python's default is 0.005

log = logging.getLogger(__name__)
StartResponse = Callable[..., object]


def _plain(start_response: StartResponse, status: str, text: str) -> list[bytes]:
    body = text.encode()
    start_response(status, [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]


def guarded(slack_app: Callable) -> Callable:
    def application(environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == "/healthz":
            return _plain(start_response, "200 OK", "ok")
        if path != EVENTS_PATH:
            return _plain(start_response, "404 Not Found", "not found")
        if environ.get("REQUEST_METHOD") != "POST":
            return _plain(start_response, "405 Method Not Allowed", "POST only")
        timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", "")
        signature = environ.get("HTTP_X_SLACK_SIGNATURE", "")
        if not (
            timestamp.isascii()
            and timestamp.isdigit()
            and len(timestamp) <= 11
            and signature.isascii()
            and signature.startswith("v0=")
        ):
            return _plain(start_response, "401 Unauthorized", "invalid request")
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = MAX_BODY + 1
        if length > MAX_BODY:
            return _plain(start_response, "413 Content Too Large", "too large")
        return slack_app(environ, start_response)

    return application


def wsgi_app(settings: Settings) -> Callable:
    from slack_bolt.adapter.wsgi import SlackRequestHandler

    from bot.slack.app import build_app

    return guarded(SlackRequestHandler(build_app(settings)))


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
        return wsgi_app(self.settings)


def serve(settings: Settings, host: str = "0.0.0.0") -> None:
    settings.require("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")
    _Gunicorn(
        settings,
        {
            "bind": f"{host}:{settings.PORT}",
            # One process per core: Bolt's dispatch is Python, so a second process doubles what a
            # burst can be acked with. Each holds its own copy of the data (about 100 MB).
            "workers": int(settings.CRIMEBOT_WORKERS),
            "worker_class": "gthread",
            "threads": int(settings.CRIMEBOT_THREADS),
            "timeout": 60,
            "graceful_timeout": 10,
            "accesslog": "-",
            "loglevel": "info",
        },
    ).run()


def socket_mode(settings: Settings) -> None:
    settings.require("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN")
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot.slack.app import build_app

    SocketModeHandler(build_app(settings), settings.SLACK_APP_TOKEN).start()
