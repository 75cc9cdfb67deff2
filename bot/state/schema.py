"""The state database's tables, and bringing a database up to them.

The tables are declared here for SQLAlchemy's queries; the schema itself is Alembic's
(``bot/state/migrations``), and ``upgrade_schema`` applies it under a lock, so any number of
workers can start at once on a fresh or an older database.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, Text, text
from sqlalchemy.engine import Connection, Engine

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
    # claimed | composed | posting | threading | posted | quiet (``ledger.DigestStatus``)
    Column("status", String(12), nullable=False),
    Column("claim", String(40), nullable=False),  # who is working on it
    Column("claimed_at", DateTime(timezone=True), nullable=False),
    Column("message", Text),  # the composed message (JSON), posted as composed
    Column("releases", Text),  # JSON list: the releases it was built on
    Column("posting_at", DateTime(timezone=True)),
    Column("ts", String(40)),
    Column("error", Text),
    # A regional desk's thread: how many replies are posted (NULL: none), and when the next
    # was sent, if it may have reached Slack (NULL: not in flight).
    Column("replies", Integer),
    Column("reply_posting_at", DateTime(timezone=True)),
)
# What each digest showed its channel (written with the composed message, counted as shown
# once that day's digest is posted): a lead is posted again only when its figures change.
leads_shown = Table(
    "leads_shown",
    metadata,
    Column("channel", String(40), primary_key=True),
    Column("day", String(10), primary_key=True),  # the digest's day
    Column("lead_key", String(200), primary_key=True),  # place | kind | offence
    Column("signature", String(64), nullable=False),  # sha256 of the figures and period
    Column("figures", Text, nullable=False),  # JSON: the figures as shown
    Column("period", String(60), nullable=False),
    Column("releases", Text, nullable=False),  # JSON list: the releases they came from
)

# What each thread was told: one row per figure (its identity a hash of its label, unit and
# period), with the plan that answers it again, so a release that revises it can be noticed.
told = Table(
    "told",
    metadata,
    Column("channel", String(40), primary_key=True),
    Column("thread_ts", String(40), primary_key=True),  # the thread (or digest) it is in
    Column("figure", String(64), primary_key=True),  # sha256 of label|unit|place|offence|period
    Column("label", Text, nullable=False),
    Column("unit", String(30), nullable=False),
    Column("period_start", String(10), nullable=False),
    Column("period_end", String(10), nullable=False),
    Column("plan", Text, nullable=False),  # JSON: the plan, its period pinned
    Column("value", String(40), nullable=False),  # JSON number: what the thread was last told
    Column("release", String(200), nullable=False),  # the newest release the value came from
    Column("published", String(10), nullable=False),  # its ISO date, "" when it has none
    Column("told_at", DateTime(timezone=True), nullable=False),
    Column("checked", String(64), nullable=False, index=True),  # the data last checked against
    Column("alerted_release", String(200)),  # the release of the last revision alert
)
# One row per thread and revising release, inserted before the alert is posted: the primary
# key is what makes an alert post once however many runs there are.
revision_alerts = Table(
    "revision_alerts",
    metadata,
    Column("channel", String(40), primary_key=True),
    Column("thread_ts", String(40), primary_key=True),
    Column("release", String(200), primary_key=True),
    Column("status", String(12), nullable=False),  # claimed | posting | posted | failed
    Column("claim", String(40), nullable=False),
    Column("claimed_at", DateTime(timezone=True), nullable=False),
    Column("text", Text),
    Column("ts", String(40)),
    Column("error", Text),
)

MIGRATIONS = Path(__file__).with_name("migrations")
SCHEMA_LOCK = 0x63726D62  # pg_advisory_xact_lock key for schema upgrades ("crmb")

log = logging.getLogger(__name__)

_upgrading = threading.Lock()  # Alembic's context is process-global: one upgrade at a time
_heads: set[str] = set()


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def _newest() -> set[str]:
    if not _heads:
        _heads.update(ScriptDirectory.from_config(_config()).get_heads())
    return _heads


def _current(connection: Connection) -> set[str]:
    return set(MigrationContext.configure(connection).get_current_heads())


def upgrade_schema(engine: Engine) -> None:
    """Bring the database to the newest migration; safe to call from many processes at once:
    the first takes the database's write lock (SQLite: BEGIN IMMEDIATE; Postgres: an advisory
    lock), the others wait for it, then find nothing left to do."""
    with engine.connect() as connection:
        if _current(connection) == _newest():
            return
    with _upgrading, engine.connect() as connection:
        if engine.dialect.name == "sqlite":  # the write lock, before anything is read
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        elif engine.dialect.name == "postgresql":  # held until this transaction ends
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK})
        if _current(connection) != _newest():  # another process may have done it meanwhile
            config = _config()
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            log.info("state database upgraded to %s", ", ".join(sorted(_newest())))
        connection.commit()
