"""gunicorn, run from Python: threads, a read deadline on every connection, and the app
built in each worker after the fork.

gunicorn's gthread worker gives each connection a thread that reads it with no deadline;
PatientThreadWorker adds one (READ_TIMEOUT) and the server gives it many threads, so
clients that stall mid-request cannot take every thread from Slack.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import sys
from collections.abc import Callable
from typing import Any

from gunicorn.app.base import BaseApplication
from gunicorn.workers.gthread import ThreadWorker

from bot.slack.guard import WSGIApp, unavailable

# Threads per process that read requests. Slack's requests come whole in a few ms, but a
# client that stops mid-request holds a thread until READ_TIMEOUT: with many cheap threads,
# a few hundred of those at once still leave threads for Slack.
CONNECTION_THREADS = 256
READ_TIMEOUT = 5  # seconds a client may go silent in the middle of a request
SWITCH_INTERVAL = 0.001  # seconds; Python's default is 0.005

log = logging.getLogger(__name__)


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

    def __init__(self, listener: Any) -> None:
        self.listener = listener

    def accept(self) -> tuple[socket.socket, object]:
        client, address = self.listener.accept()
        return _PatientSocket(fileno=client.detach()), address

    def getsockname(self) -> object:
        return self.listener.getsockname()


class PatientThreadWorker(ThreadWorker):
    """gunicorn's gthread worker, with a read deadline on every client connection."""

    def accept(self, listener: Any) -> None:
        super().accept(_Listener(listener))


class Gunicorn(BaseApplication):
    """gunicorn with these ``options``, serving what ``build`` returns in each worker."""

    def __init__(self, options: dict[str, Any], build: Callable[[], WSGIApp]) -> None:
        self.options = options
        self.build = build
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> WSGIApp:
        # Built in the worker, after the fork: DuckDB connections must not cross a fork.
        # A short GIL switch interval lets request threads ack between slices of answer work.
        sys.setswitchinterval(SWITCH_INTERVAL)
        from bot.datastore.versions import DataMissing

        try:
            return self.build()
        except DataMissing as error:
            # A worker that exits on boot makes gunicorn stop the whole server: stay up, say
            # why on every request and on /healthz, and let the healthy workers serve.
            log.error("worker cannot load the data: %s", error)
            return unavailable(str(error))
