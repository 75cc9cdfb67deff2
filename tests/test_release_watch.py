"""The release watch with real parts: a local server standing in for the gov.uk page and its
files, a real data directory and ingest, a real state database, and the Slack stub."""

from __future__ import annotations

import datetime as dt
import http.server
import logging
import threading
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.cli.main import main
from bot.core.periods import Quarter
from bot.core.release_weeks import is_release_week, release_week_at
from bot.datastore import versions as datastore
from bot.datastore.manifest import read_manifest
from bot.ingest.release_watch import Status
from bot.render.release_news import release_note
from bot.settings import LONDON, Settings
from bot.slack import release_watch
from bot.slack.release_watch import NOTE_EVENT
from bot.state.store import State
from bot.state.subscriptions import Subscriptions
from tests.fixtures.article import annual_values, quarterly, write_pfa_workbook
from tests.slack_stub import SlackStub

NEW_PFA = "prc-pfa-mar2013-onwards-tables-220124.xlsx"
PFA_TITLE = (
    "Police recorded crime open data Police Force Area tables, year ending March 2013 onwards"
)
RELEASE_DAY = dt.datetime(2024, 1, 22, 10, 0, tzinfo=dt.UTC)  # a Monday in a release week
HOUR = dt.timedelta(hours=1)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 1, 15), False),
        (dt.date(2026, 1, 16), True),
        (dt.date(2026, 1, 31), True),
        (dt.date(2026, 2, 1), False),
        (dt.date(2026, 4, 23), True),
        (dt.date(2026, 7, 23), True),
        (dt.date(2023, 10, 19), True),
        (dt.date(2026, 10, 5), False),
        (dt.date(2026, 11, 22), False),
        (dt.date(2026, 12, 20), False),
    ],
)
def test_release_weeks_are_the_second_half_of_january_april_july_and_october(day, expected):
    assert is_release_week(day) is expected


def test_the_release_week_is_the_newsrooms_day_not_utcs():
    """23:30 UTC on 15 April is 00:30 on the 16th in London (BST): a release week there."""
    late = dt.datetime(2026, 4, 15, 23, 30, tzinfo=dt.UTC)
    assert release_week_at(late, LONDON)
    assert not release_week_at(late, ZoneInfo("UTC"))
    assert not release_week_at(dt.datetime(2026, 1, 15, 23, 30, tzinfo=dt.UTC), LONDON)  # GMT


def test_the_note_names_the_period_the_publication_and_a_question():
    december = Quarter.ending(2025, 12).index
    assert release_note(december, None, dt.date(2026, 1, 22), "Kent").startswith(
        "New Home Office figures loaded: the year to December 2025 (published 22 January "
        "2026). Ask `/crimestats all crime Kent`"
    )
    assert release_note(None, december, None, "").startswith(
        "New Home Office outcome figures loaded: outcomes to December 2025. Ask "
        "`/crimestats all crime`"
    )


@pytest.fixture(scope="module")
def new_pfa(tmp_path_factory) -> Path:
    """A release a quarter newer than the article's: October to December 2023."""
    rows = quarterly(annual_values())
    later = {(f, c, Quarter(2023, 3)): v for (f, c, q), v in rows.items() if q == Quarter(2023, 2)}
    path = tmp_path_factory.mktemp("new-release") / NEW_PFA
    return write_pfa_workbook(path, later, {"City of London": "London, City of"})


class GovUk:
    """A local gov.uk: ``routes`` maps a path to a body (None: 404), ``slow`` paths take a
    while; ``requested`` logs every path asked for."""

    def __init__(self) -> None:
        self.routes: dict[str, bytes] = {}
        self.slow: set[str] = set()
        self.requested: list[str] = []
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                site.requested.append(self.path)
                body = site.routes.get(self.path)
                if body is None:
                    self.send_error(404)
                    return
                if self.path in site.slow:
                    time.sleep(0.5)
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def publish(self, pfa: tuple[str, bytes], outcomes: list[Path]) -> None:
        """The page links the PFA tables and the outcomes workbooks, each under a media id."""
        links = [(f"/media/pfa1/{pfa[0]}", PFA_TITLE)]
        self.routes[links[0][0]] = pfa[1]
        for path in outcomes:
            year = path.name.split("-mar")[1][:4]
            href = f"/media/out{year}/{path.name}"
            links.append((href, f"Crime outcomes open data, year ending March {year}"))
            self.routes[href] = path.read_bytes()
        page = "".join(f'<p><a href="{href}">{title}</a></p>' for href, title in links)
        self.routes["/page"] = page.encode()

    def files_requested(self) -> list[str]:
        return [path for path in self.requested if path != "/page"]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def govuk():
    site = GovUk()
    yield site
    site.close()


@pytest.fixture
def stub():
    """A Slack stub of each test's own: the channels' notes are counted from zero."""
    stub = SlackStub()
    yield stub
    stub.close()


@pytest.fixture
def settings(data_copy, tmp_path, govuk, stub) -> Settings:
    settings = Settings(
        CRIMEBOT_DATA_DIR=data_copy,
        CRIMEBOT_STATE_URL=f"sqlite:///{tmp_path / 'state.db'}",
        CRIMEBOT_RELEASE_PAGE_URL=f"{govuk.url}/page",
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_API_URL=f"{stub.url}/api/",
    )
    subscriptions = Subscriptions(State(settings.CRIMEBOT_STATE_URL))
    subscriptions.subscribe("CWATCH1", ("Thames Valley",), None, "U1")
    subscriptions.subscribe("CWATCH2", ("Kent", "Cumbria"), None, "U1")
    return settings


def notes(stub: SlackStub, channel: str) -> list[str]:
    return [
        call.body["text"]
        for call in stub.find("chat.postMessage", channel=channel)
        if (call.body.get("metadata") or {}).get("event_type") == NOTE_EVENT
    ]


def outcomes_files(article_files: list[Path]) -> list[Path]:
    return [path for path in article_files if "outcomes" in path.name]


def test_outside_release_weeks_nothing_is_fetched(settings, govuk, stub, new_pfa, article_files):
    govuk.publish((NEW_PFA, new_pfa.read_bytes()), outcomes_files(article_files))
    before = read_manifest(settings.data_dir)
    for day in (
        dt.datetime(2024, 1, 15, 10, tzinfo=dt.UTC),
        dt.datetime(2024, 2, 20, tzinfo=dt.UTC),
    ):
        release_watch.tick(settings, day)
    assert govuk.requested == []
    assert read_manifest(settings.data_dir) == before
    assert notes(stub, "CWATCH1") == []


def test_a_new_release_is_loaded_and_each_channel_told_once(
    settings, govuk, stub, new_pfa, article_files, capsys
):
    govuk.publish((NEW_PFA, new_pfa.read_bytes()), outcomes_files(article_files))
    release_watch.tick(settings, RELEASE_DAY)
    names = [entry["release"] for entry in read_manifest(settings.data_dir)["releases"]]
    assert names.count(NEW_PFA) == 1
    # The outcomes workbooks were fetched once to find they are already loaded, no more.
    fetched = govuk.files_requested()
    assert sorted(fetched) == sorted(set(fetched)) and len(fetched) == 5
    [tvp] = notes(stub, "CWATCH1")
    assert tvp.startswith(
        "New Home Office figures loaded: the year to December 2023 (published 22 January "
        "2024). Ask `/crimestats all crime Thames Valley`"
    )
    assert "`/crimestats all crime Kent`" in notes(stub, "CWATCH2")[0]
    # The answer comes from the new release.
    capsys.readouterr()
    question = "harassment Thames Valley latest"
    assert main(["ask", "--data-dir", str(settings.data_dir), question]) == 0
    assert "in the year to December 2023" in capsys.readouterr().out

    # A tick within the hour does not look; one after it looks and finds nothing new.
    requests = len(govuk.requested)
    release_watch.tick(settings, RELEASE_DAY + dt.timedelta(minutes=5))
    assert len(govuk.requested) == requests
    release_watch.tick(settings, RELEASE_DAY + HOUR)
    assert govuk.requested[requests:] == ["/page"]
    assert len(notes(stub, "CWATCH1")) == len(notes(stub, "CWATCH2")) == 1


def test_a_broken_file_changes_nothing_and_is_logged_once(
    settings, govuk, stub, article_files, caplog
):
    govuk.publish((NEW_PFA, b"PK\x03\x04 not a workbook"), outcomes_files(article_files))
    live = datastore.live_version(settings.data_dir)
    before = read_manifest(settings.data_dir)
    with caplog.at_level(logging.INFO):
        for ticks in range(4):
            release_watch.tick(settings, RELEASE_DAY + ticks * HOUR)
    assert datastore.live_version(settings.data_dir) == live
    assert read_manifest(settings.data_dir) == before
    problems = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(problems) == 1, [r.getMessage() for r in problems]
    assert NEW_PFA in problems[0].getMessage() and "nothing was changed" in problems[0].getMessage()
    assert govuk.files_requested().count(f"/media/pfa1/{NEW_PFA}") == 1  # not tried again
    assert notes(stub, "CWATCH1") == []


def test_a_failed_download_is_tried_again_but_logged_once(
    settings, govuk, stub, new_pfa, article_files, caplog
):
    govuk.publish((NEW_PFA, new_pfa.read_bytes()), outcomes_files(article_files))
    body = govuk.routes.pop(f"/media/pfa1/{NEW_PFA}")  # listed, not yet uploaded: 404
    before = read_manifest(settings.data_dir)
    with caplog.at_level(logging.INFO):
        for ticks in range(3):
            release_watch.tick(settings, RELEASE_DAY + ticks * HOUR)
    assert read_manifest(settings.data_dir) == before
    problems = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(problems) == 1 and "could not download" in problems[0].getMessage()
    assert govuk.files_requested().count(f"/media/pfa1/{NEW_PFA}") == 3
    govuk.routes[f"/media/pfa1/{NEW_PFA}"] = body
    release_watch.tick(settings, RELEASE_DAY + 3 * HOUR)
    assert NEW_PFA in [e["release"] for e in read_manifest(settings.data_dir)["releases"]]
    assert len(notes(stub, "CWATCH1")) == 1


def test_two_checks_at_once_load_once_and_post_once(settings, govuk, stub, new_pfa, article_files):
    govuk.publish((NEW_PFA, new_pfa.read_bytes()), outcomes_files(article_files))
    govuk.slow.add(f"/media/pfa1/{NEW_PFA}")
    versions = len(datastore.versions(settings.data_dir))
    start = threading.Barrier(2)
    results = []

    def clock() -> None:
        start.wait()
        results.append(release_watch.check(settings, RELEASE_DAY, HOUR))

    threads = [threading.Thread(target=clock) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r.status for r in results if r) == sorted([Status.LOADED, Status.BUSY])
    assert len(datastore.versions(settings.data_dir)) == versions + 1
    assert len(notes(stub, "CWATCH1")) == len(notes(stub, "CWATCH2")) == 1
    # A third clock a little later neither loads nor posts.
    release_watch.check(settings, RELEASE_DAY + dt.timedelta(minutes=1), HOUR)
    assert len(notes(stub, "CWATCH1")) == 1


def test_an_operator_checks_now_whatever_the_date(
    settings, govuk, stub, new_pfa, article_files, monkeypatch, capsys
):
    govuk.publish((NEW_PFA, new_pfa.read_bytes()), outcomes_files(article_files))
    for name in ("CRIMEBOT_STATE_URL", "SLACK_BOT_TOKEN", "SLACK_API_URL"):
        monkeypatch.setenv(name, str(getattr(settings, name)))
    data = ["--data-dir", str(settings.data_dir)]
    assert main(["releases", "--check", "--page-url", f"{govuk.url}/page", *data]) == 0
    out = capsys.readouterr().out
    assert f"Loaded {NEW_PFA}." in out and "Release check: loaded." in out
    assert len(notes(stub, "CWATCH2")) == 1
    assert main(["releases", *data]) == 0
    assert f"{NEW_PFA}: told 2 of 2 channels" in capsys.readouterr().out
