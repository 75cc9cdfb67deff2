"""The bot's own state (not the crime data): deliveries already answered, each thread's last
question, digest subscriptions and the digests posted. Any SQLAlchemy URL: a SQLite file by
default, Postgres in production."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    insert,
    select,
)
from sqlalchemy.exc import IntegrityError

from bot.query.plan import QueryPlan, plan_from_dict, plan_to_dict

metadata = MetaData()
deliveries = Table(
    "deliveries",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("seen_at", DateTime(timezone=True), nullable=False),
)
threads = Table(
    "threads",
    metadata,
    Column("channel", String(40), primary_key=True),
    Column("thread_ts", String(40), primary_key=True),
    Column("plan", Text, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
subscriptions = Table(
    "subscriptions",
    metadata,
    Column("channel", String(40), primary_key=True),
    Column("forces", Text, nullable=False),  # JSON list of force names
    Column("hour", Integer, nullable=False),
    Column("minute", Integer, nullable=False),
    Column("subscribed_by", String(40), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
# One row per channel and day, inserted before a digest is composed: the primary key is what
# makes a digest post once however many clocks, restarts and re-runs there are.
digests = Table(
    "digests",
    metadata,
    Column("channel", String(40), primary_key=True),
    Column("day", String(10), primary_key=True),  # ISO date in the digest's time zone
    Column("status", String(12), nullable=False),  # claimed | composed | posting | posted
    Column("claim", String(40), nullable=False),  # who is working on it
    Column("claimed_at", DateTime(timezone=True), nullable=False),
    Column("message", Text),  # the composed message (JSON), posted as composed
    Column("releases", Text),  # JSON list: the releases it was built on
    Column("posting_at", DateTime(timezone=True)),
    Column("ts", String(40)),
    Column("error", Text),
)
KEEP_DELIVERIES = dt.timedelta(days=2)  # Slack retries within minutes; keep a margin


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class State:
    def __init__(self, url: str) -> None:
        options = {"connect_args": {"timeout": 15}} if url.startswith("sqlite") else {}
        self.engine = create_engine(url, **options)
        metadata.create_all(self.engine)

    def first_delivery(self, key: str) -> bool:
        """True once per key, across threads, processes and restarts (a unique insert)."""
        try:
            with self.engine.begin() as connection:
                connection.execute(insert(deliveries).values(key=key, seen_at=_now()))
            return True
        except IntegrityError:
            return False

    def forget_old_deliveries(self) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                delete(deliveries).where(deliveries.c.seen_at < _now() - KEEP_DELIVERIES)
            )

    def thread_plan(self, channel: str, thread_ts: str) -> QueryPlan | None:
        with self.engine.connect() as connection:
            text = connection.execute(
                select(threads.c.plan).where(
                    threads.c.channel == channel, threads.c.thread_ts == thread_ts
                )
            ).scalar()
        return plan_from_dict(json.loads(text)) if text else None

    def save_thread_plan(self, channel: str, thread_ts: str, plan: QueryPlan) -> None:
        text = json.dumps(plan_to_dict(plan))
        with self.engine.begin() as connection:
            connection.execute(
                delete(threads).where(
                    threads.c.channel == channel, threads.c.thread_ts == thread_ts
                )
            )
            connection.execute(
                insert(threads).values(
                    channel=channel, thread_ts=thread_ts, plan=text, updated_at=_now()
                )
            )
