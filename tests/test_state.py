"""The bot's own state: deliveries answered once, old ones forgotten, thread plans kept; the
schema migrated safely by many processes at once; an unusable database degrades, not drops.

Tests taking ``state_url`` run on SQLite and, with CRIMEBOT_TEST_POSTGRES_URL, on Postgres."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import socket
import subprocess
import sys
import threading
from pathlib import Path

from sqlalchemy import create_engine, inspect, text, update

from bot.parse import parse
from bot.state.schema import deliveries, metadata
from bot.state.store import KEEP_DELIVERIES, State
from tests.conftest import ROOT, TODAY, postgres_or_skip

PLAN_QUESTION = "charge rate harassment Thames Valley year to September 2023"


def test_delivery_is_first_once_and_old_ones_are_forgotten(state_url):
    state = State(state_url)
    assert state.first_delivery("message:C1:1.1")
    assert not state.first_delivery("message:C1:1.1")
    assert state.first_delivery("message:C1:2.2")
    long_ago = dt.datetime.now(dt.UTC) - KEEP_DELIVERIES - dt.timedelta(hours=1)
    with state.engine.begin() as connection:
        connection.execute(
            update(deliveries).where(deliveries.c.key == "message:C1:1.1").values(seen_at=long_ago)
        )
    state.forget_old_deliveries()
    assert state.first_delivery("message:C1:1.1")  # forgotten, so new again
    assert not state.first_delivery("message:C1:2.2")  # recent, still remembered
    assert state.healthy()


def test_thread_plan_survives_a_restart(state_url):
    plan = parse(PLAN_QUESTION, TODAY)
    State(state_url).save_thread_plan("C1", "1.1", plan)
    assert State(state_url).thread_plan("C1", "1.1") == plan
    assert State(state_url).thread_plan("C1", "9.9") is None


# --- the schema --------------------------------------------------------------------------

OPEN_AT_ONCE = """
import sys
from bot.state.store import State
print("ready", flush=True)
sys.stdin.readline()
state = State(sys.argv[1])
assert state.healthy() and state.first_delivery(sys.argv[2])
print("ok", flush=True)
"""


def test_workers_starting_at_once_on_a_fresh_database_all_start(state_url):
    """Four gunicorn workers opening a new database together: each one migrates or waits."""
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", OPEN_AT_ONCE, state_url, f"worker-{n}"],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(4)
    ]
    try:
        for worker in workers:  # all imported and waiting
            assert worker.stdout.readline().strip() == "ready"
        for worker in workers:  # then all open the database at once
            worker.stdin.write("\n")
            worker.stdin.flush()
        results = [worker.communicate(timeout=60) for worker in workers]
    finally:
        for worker in workers:
            worker.kill()
    assert [(w.returncode, out.strip()) for w, (out, _) in zip(workers, results, strict=True)] == [
        (0, "ok")
    ] * 4, [err for _, err in results]
    state = State(state_url)
    assert not any(state.first_delivery(f"worker-{n}") for n in range(4))  # all four recorded


def test_a_database_made_before_migrations_is_adopted_with_its_rows(tmp_path):
    url = f"sqlite:///{tmp_path / 'state.db'}"
    old = create_engine(url)
    metadata.create_all(old)  # what State did before migrations
    with old.begin() as connection:
        connection.execute(
            deliveries.insert().values(key="message:C1:1.1", seen_at=dt.datetime.now(dt.UTC))
        )
    old.dispose()
    state = State(url)
    assert not state.first_delivery("message:C1:1.1")
    assert "alembic_version" in inspect(state.engine).get_table_names()


# --- an unusable database ----------------------------------------------------------------


def state_warnings(caplog) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "bot.state.store" and r.levelno >= logging.WARNING
    ]


def back_again(caplog) -> bool:
    return any(
        r.name == "bot.state.store"
        and r.getMessage().startswith("The state database is back after")
        for r in caplog.records
    )


def assert_degraded(state: State, key: str) -> None:
    plan = parse(PLAN_QUESTION, TODAY)
    for _ in range(3):
        assert state.first_delivery(key)  # answered, not dropped
        assert state.thread_plan("C1", "1.1") is None
        state.save_thread_plan("C1", "1.1", plan)  # skipped, no exception
        state.forget_old_deliveries()
        assert not state.healthy()


def test_a_sqlite_database_that_cannot_be_opened_degrades_and_recovers(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="bot.state.store")
    path = tmp_path / "state.db"
    path.mkdir()  # a directory where the file should be: fails even for root
    state = State(f"sqlite:///{path}", retry_after=0, health_ttl=0)  # starts, no exception
    assert_degraded(state, "message:C1:1.1")
    [warning] = state_warnings(caplog)  # one warning for the whole outage
    assert warning.startswith("The state database is unusable (OperationalError: unable to open")

    path.rmdir()  # the database is back (empty): the schema is created, dedupe works again
    assert state.first_delivery("message:C1:1.1")
    assert not state.first_delivery("message:C1:1.1")
    assert state.healthy()
    assert len(state_warnings(caplog)) == 1
    assert back_again(caplog)


def test_a_sqlite_database_deleted_under_a_running_bot_degrades_and_recovers(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="bot.state.store")
    path = tmp_path / "state.db"
    state = State(f"sqlite:///{path}", retry_after=0, health_ttl=0)
    plan = parse(PLAN_QUESTION, TODAY)
    state.save_thread_plan("C1", "1.1", plan)
    assert state.first_delivery("message:C1:1.1")
    path.unlink()
    path.mkdir()  # deleted, and its path unusable
    assert_degraded(state, "message:C1:2.2")
    assert len(state_warnings(caplog)) == 1
    path.rmdir()
    assert state.first_delivery("message:C1:2.2")
    assert not state.first_delivery("message:C1:2.2")
    state.save_thread_plan("C1", "1.1", plan)
    assert state.thread_plan("C1", "1.1") == plan
    assert state.healthy()
    assert back_again(caplog)


def test_a_deleted_sqlite_database_is_recreated_by_the_next_call(tmp_path, caplog):
    path = tmp_path / "state.db"
    state = State(f"sqlite:///{path}", retry_after=0)
    assert state.first_delivery("message:C1:1.1")
    path.unlink()
    assert state.first_delivery("message:C1:2.2")  # no tables: answered, and a warning
    assert "no such table" in state_warnings(caplog)[0]
    assert state.first_delivery("message:C1:2.2")  # tables made again, and it is recorded
    assert not state.first_delivery("message:C1:2.2")
    assert len(state_warnings(caplog)) == 1


def test_a_sqlite_database_replaced_under_a_running_bot_is_read_afresh(tmp_path):
    """Connections are pooled: one must not go on reading and writing the file it opened
    once another has been moved into its place (a restore from backup, say)."""
    path = tmp_path / "state.db"
    state = State(f"sqlite:///{path}")
    assert state.first_delivery("message:C1:1.1")
    restored = tmp_path / "restored.db"
    backup = State(f"sqlite:///{restored}")
    assert backup.first_delivery("message:C1:2.2")
    backup.engine.dispose()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
        if Path(f"{restored}{suffix}").exists():
            Path(f"{restored}{suffix}").rename(f"{path}{suffix}")
    assert state.first_delivery("message:C1:1.1")  # not in the restored file
    assert not state.first_delivery("message:C1:2.2")  # in it
    assert not state.first_delivery("message:C1:1.1")  # and written to it


def test_a_read_only_sqlite_database_answers_and_warns_once(tmp_path, caplog):
    path = tmp_path / "state.db"
    writable = State(f"sqlite:///{path}")
    assert writable.first_delivery("message:C1:1.1")
    # A read-only open fails writes even for root (chmod would not).
    state = State(f"sqlite:///file:{path}?mode=ro&uri=true", retry_after=0, health_ttl=0)
    assert_degraded(state, "message:C1:2.2")
    [warning] = state_warnings(caplog)
    assert "readonly database" in warning


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_unreachable_postgres_degrades(caplog):
    postgres_or_skip()
    url = f"postgresql+psycopg://crimebot@127.0.0.1:{closed_port()}/crimebot"
    state = State(url, retry_after=0, health_ttl=0)  # starts, no exception
    assert_degraded(state, "message:C1:1.1")
    [warning] = state_warnings(caplog)
    assert warning.startswith("The state database is unusable (OperationalError")


class Proxy:
    """A TCP forwarder to the test Postgres that can be stopped (connections cut, new ones
    refused) and started again, like the server going down and coming back."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.up = True
        self.sockets: list[socket.socket] = []  # the open connections (both ends)
        self.opened: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.up:
                client.close()
                continue
            server = socket.create_connection(self.target)
            self.sockets += [client, server]
            self.opened += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        for end in (source, sink):
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)

    def stop(self) -> None:
        self.up = False
        for end in self.sockets:
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
        self.sockets = []

    def close(self) -> None:
        self.stop()
        self.listener.close()
        for end in self.opened:
            end.close()


def test_postgres_going_down_degrades_and_coming_back_recovers(postgres_schema_url, caplog):
    caplog.set_level(logging.INFO, logger="bot.state.store")
    from sqlalchemy import make_url

    url = make_url(postgres_schema_url)
    proxy = Proxy(url.host or "127.0.0.1", url.port or 5432)
    try:
        state = State(
            url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False),
            retry_after=0,
            health_ttl=0,
        )
        plan = parse(PLAN_QUESTION, TODAY)
        assert state.first_delivery("message:C1:1.1")
        state.save_thread_plan("C1", "1.1", plan)
        proxy.stop()
        assert_degraded(state, "message:C1:1.1")
        assert len(state_warnings(caplog)) == 1
        proxy.up = True
        assert not state.first_delivery("message:C1:1.1")  # remembered from before
        assert state.thread_plan("C1", "1.1") == plan
        assert state.healthy()
        assert len(state_warnings(caplog)) == 1
        assert back_again(caplog)
    finally:
        proxy.close()


def test_a_database_at_0003_gains_the_told_log_and_keeps_its_rows(state_url):
    """Migration 0004: the log of what threads were told and the revision alerts' claims."""
    from alembic import command

    from bot.state.schema import _config, subscriptions
    from bot.state.told import Told, ToldFigure

    engine = create_engine(state_url)
    with engine.begin() as connection:
        config = _config()
        config.attributes["connection"] = connection
        command.upgrade(config, "0003")
        connection.execute(
            subscriptions.insert().values(
                channel="C1",
                forces='["Thames Valley"]',
                hour=8,
                minute=0,
                subscribed_by="U1",
                updated_at=dt.datetime.now(dt.UTC),
            )
        )
    assert "told" not in inspect(engine).get_table_names()
    engine.dispose()
    state = State(state_url)
    tables = set(inspect(state.engine).get_table_names())
    assert {"told", "revision_alerts", "subscriptions"} <= tables
    figure = ToldFigure(
        "k" * 64, "label", "offences", "2022-10-01", "2023-09-30", "{}", 9632, "r", ""
    )
    Told(state).record("C1", "1.1", [figure])
    Told(state).record("C1", "1.1", [figure])  # told again: one row, the newest telling
    assert [row.value for row in Told(state).thread("C1", "1.1")] == [9632]
    with state.engine.connect() as connection:
        assert connection.execute(subscriptions.select()).first().channel == "C1"


def test_a_database_at_0004_gains_the_digest_thread_columns_and_keeps_its_digests(state_url):
    """Migration 0005: a regional desk's thread replies, counted in the digest ledger."""
    from alembic import command

    from bot.state.ledger import Ledger
    from bot.state.schema import _config

    engine = create_engine(state_url)
    with engine.begin() as connection:
        config = _config()
        config.attributes["connection"] = connection
        command.upgrade(config, "0004")
        connection.execute(
            text(
                "INSERT INTO digests (channel, day, status, claim, claimed_at, message, ts) "
                "VALUES ('C1', '2026-11-23', 'posting', 'old', :at, :message, NULL)"
            ),
            {"at": dt.datetime(2026, 11, 23, 8, tzinfo=dt.UTC), "message": '{"text": "t"}'},
        )
    columns = {column["name"] for column in inspect(engine).get_columns("digests")}
    assert "replies" not in columns
    engine.dispose()
    state = State(state_url)
    columns = {column["name"] for column in inspect(state.engine).get_columns("digests")}
    assert {"replies", "reply_posting_at"} <= columns
    claim = Ledger(state).claim("C1", "2026-11-23")  # the old claim is stale: taken over
    assert claim is not None
    assert (claim.status, claim.message, claim.replies, claim.reply_posting_at) == (
        "posting",
        {"text": "t"},
        0,
        None,
    )
