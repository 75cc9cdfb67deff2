"""Production HTTP serving (gunicorn, threads, Bolt's WSGI adapter) and Socket Mode.

Every request passes the guard (bot.slack.guard: signature, shape, replays) before Bolt
sees it; gunicorn runs with patient thread workers (bot.slack.workers).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from bot.settings import Settings
from bot.slack.acks_first import InFlight
from bot.slack.guard import Guard, WSGIApp
from bot.slack.workers import CONNECTION_THREADS, Gunicorn, PatientThreadWorker

if TYPE_CHECKING:
    from bot.state.store import State


def wsgi_app(settings: Settings) -> WSGIApp:
    from slack_bolt.adapter.wsgi import SlackRequestHandler

    from bot.slack.app import build_app
    from bot.state.store import State

    state = State(settings.CRIMEBOT_STATE_URL)
    first_delivery: Callable[[str], bool] = state.first_delivery
    if settings.CRIMEBOT_STATE_URL.startswith("sqlite"):
        first_delivery = _one_at_a_time(first_delivery)
    in_flight = InFlight()  # answers start once the acks in flight are out
    return Guard(
        SlackRequestHandler(build_app(settings, before_answer=in_flight.wait_quiet)),
        settings.SLACK_SIGNING_SECRET,
        first_delivery,
        health=lambda: health_problems(state, settings.data_dir),
        oauth_paths=_oauth_paths(settings),
        in_flight=in_flight,
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
    options = {
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
    }
    Gunicorn(options, functools.partial(wsgi_app, settings)).run()


def socket_mode(settings: Settings) -> None:
    settings.require("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN")
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot.slack.app import build_app

    SocketModeHandler(build_app(settings), settings.SLACK_APP_TOKEN).start()
