"""The bot's own state (not the crime data): deliveries already answered, each thread's last
question, digest subscriptions, the digests posted and the leads they showed. Any SQLAlchemy
URL: a SQLite file by default, Postgres in production.

The schema is Alembic's (``bot/state/migrations``; the tables in ``bot.state.schema``): opening a
``State`` upgrades the database to the newest revision under a lock (SQLite: ``BEGIN
IMMEDIATE``; Postgres: ``pg_advisory_xact_lock``), so any number of workers can start at once
on a fresh or an older database.

An unusable database (read-only, deleted, unreachable) must not stop the bot answering: the
mention path degrades (``first_delivery`` says "first", thread context is neither read nor
saved), one warning is logged per outage, ``healthy()`` reports it, and the next call after
the database is back uses it again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, overload

from sqlalchemy import (
    create_engine,
    delete,
    insert,
    select,
)
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from bot.core.plan import QueryPlan, plan_from_dict, plan_to_dict
from bot.state.schema import (
    deliveries,
    threads,
    upgrade_schema,
)
from bot.state.sqlite import sqlite_file_engine

KEEP_DELIVERIES = dt.timedelta(days=2)  # Slack retries within minutes; keep a margin
RETRY_AFTER = 5.0  # seconds: while the database is down, calls skip it this long after a try
HEALTH_TTL = 2.0  # seconds a healthy() answer is reused

log = logging.getLogger(__name__)
T = TypeVar("T")


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@overload
def as_utc(moment: dt.datetime) -> dt.datetime: ...
@overload
def as_utc(moment: None) -> None: ...
def as_utc(moment: dt.datetime | None) -> dt.datetime | None:
    """A time read back from the database: SQLite hands back naive ones, stored in UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment


def _engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        options: dict[str, Any] = {"connect_args": {"timeout": 15}}
        path = _sqlite_path(url)
        if path is not None:
            return sqlite_file_engine(url, path, options)
        return create_engine(url, **options)
    options = {"pool_pre_ping": True}  # a restarted server's dead connections are replaced
    if parsed.get_backend_name() == "postgresql" and "connect_timeout" not in parsed.query:
        options["connect_args"] = {"connect_timeout": 5}
    return create_engine(url, **options)


def _sqlite_path(url: str) -> Path | None:
    """The database file of a SQLite URL (None: in memory)."""
    parsed = make_url(url)
    database = parsed.database or ""
    if database.startswith("file:") and parsed.query.get("uri"):
        if parsed.query.get("mode") == "memory":
            return None
        database = database.removeprefix("file:").split("?")[0]
    if database in ("", ":memory:"):
        return None
    return Path(database)


# --- state -------------------------------------------------------------------------------

# What "the database is unusable" looks like: anything the driver raises (read-only, no such
# file or table, connection refused or lost) except a constraint doing its job.
_UNUSABLE = (DBAPIError, PoolTimeout)  # PoolTimeout: every pooled connection busy too long


def _reason(error: BaseException) -> str:
    detail = getattr(error, "orig", None) or error
    return f"{type(detail).__name__}: {str(detail).strip().splitlines()[0] if str(detail) else ''}"


class State:
    def __init__(
        self, url: str, retry_after: float = RETRY_AFTER, health_ttl: float = HEALTH_TTL
    ) -> None:
        self.engine = _engine(url)
        self.retry_after = retry_after
        self.health_ttl = health_ttl
        self._lock = threading.Lock()
        self._schema_ready = False
        self._down_since: float | None = None  # time.monotonic() of the outage's first failure
        self._last_try = 0.0
        self._health: tuple[float, bool] | None = None
        with contextlib.suppress(*_UNUSABLE):  # logged; the next call tries again
            self.ensure_schema()

    def __enter__(self) -> State:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the pooled connections now (a long-lived process making a State per job
        would otherwise hold them until the garbage collector runs)."""
        self.engine.dispose()

    def ensure_schema(self) -> None:
        """Upgrade the schema if this State has not yet; raises if the database is unusable
        (the digest ledger and subscriptions need it, and say so)."""
        if self._schema_ready:
            return
        try:
            upgrade_schema(self.engine)
        except _UNUSABLE as error:
            if isinstance(error, IntegrityError):
                raise
            self._failed(error)
            raise
        self._schema_ready = True

    # -- degrading ------------------------------------------------------------------------

    def _failed(self, error: BaseException) -> None:
        with self._lock:
            self._schema_ready = False  # a database deleted and recreated needs its tables
            self._health = (time.monotonic(), False)
            if self._down_since is not None:
                log.debug("state database still unusable: %s", _reason(error))
                return
            self._down_since = time.monotonic()
        log.warning(
            "The state database is unusable (%s). Until it is back every mention is answered "
            "(a Slack retry may get a second answer), thread follow-ups have no context and "
            "none is saved.",
            _reason(error),
        )

    def _succeeded(self) -> None:
        if self._down_since is None:
            return
        with self._lock:
            if self._down_since is None:
                return
            down_for = time.monotonic() - self._down_since
            self._down_since = None
            self._health = None
        log.info("The state database is back after %.0f s.", down_for)

    def _use(
        self, operation: Callable[[], T], fallback: T, writes: bool = True, backoff: bool = True
    ) -> T:
        """``operation()``, or ``fallback`` if the database is unusable (or was a moment ago).
        Only a write ends an outage: a read-only database reads."""
        if (
            backoff
            and self._down_since is not None
            and time.monotonic() - self._last_try < self.retry_after
        ):
            return fallback
        self._last_try = time.monotonic()
        try:
            self.ensure_schema()
            result = operation()
        except IntegrityError:
            raise
        except _UNUSABLE as error:
            self._failed(error)  # logs once per outage
            return fallback
        if writes:
            self._succeeded()
        return result

    def healthy(self) -> bool:
        """Whether the bot can record deliveries now (a write, rolled back), for /healthz:
        the answer is reused for ``health_ttl`` seconds."""
        cached = self._health
        if cached is not None and time.monotonic() - cached[0] < self.health_ttl:
            return cached[1]

        def probe() -> bool:
            with self.engine.connect() as connection, connection.begin() as transaction:
                key = f"healthz:{uuid.uuid4().hex}"
                connection.execute(insert(deliveries).values(key=key, seen_at=utc_now()))
                transaction.rollback()
            return True

        ok = self._use(probe, False, backoff=False)
        self._health = (time.monotonic(), ok)
        return ok

    # -- the mention path -----------------------------------------------------------------

    def first_delivery(self, key: str) -> bool:
        """True once per key, across threads, processes and restarts (a unique insert).
        True, too, when the database is unusable: a second answer is better than none."""

        def record() -> bool:
            try:
                with self.engine.begin() as connection:
                    connection.execute(insert(deliveries).values(key=key, seen_at=utc_now()))
                return True
            except IntegrityError:
                return False

        return self._use(record, True)

    def forget_old_deliveries(self) -> None:
        def forget() -> None:
            with self.engine.begin() as connection:
                connection.execute(
                    delete(deliveries).where(deliveries.c.seen_at < utc_now() - KEEP_DELIVERIES)
                )

        self._use(forget, None)

    def thread_plan(self, channel: str, thread_ts: str) -> QueryPlan | None:
        def read() -> str | None:
            with self.engine.connect() as connection:
                return connection.execute(
                    select(threads.c.plan).where(
                        threads.c.channel == channel, threads.c.thread_ts == thread_ts
                    )
                ).scalar()

        stored = self._use(read, None, writes=False)
        return plan_from_dict(json.loads(stored)) if stored else None

    def save_thread_plan(self, channel: str, thread_ts: str, plan: QueryPlan) -> None:
        text = json.dumps(plan_to_dict(plan))

        def save() -> None:
            with self.engine.begin() as connection:
                connection.execute(
                    delete(threads).where(
                        threads.c.channel == channel, threads.c.thread_ts == thread_ts
                    )
                )
                connection.execute(
                    insert(threads).values(
                        channel=channel, thread_ts=thread_ts, plan=text, updated_at=utc_now()
                    )
                )

        self._use(save, None)


class StateStore:
    """A store over the state database whose every use first brings the schema up to date
    (once per State): it may be made while the database is down and used once it is back."""

    state: State

    @property
    def engine(self) -> Engine:
        self.state.ensure_schema()
        return self.state.engine
