"""The release watch as a use case: in release weeks, look for a new release on the gov.uk
page (at most every ``every``), load it, and note it for the channels subscribed at that
moment; then the notes still to post, claimed one channel at a time so that no two clocks
post the same note. Posting them is ``bot.slack.release_watch``'s job."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.core.release_weeks import release_week_at
from bot.datastore.manifest import ReleaseEntry
from bot.ingest.release_record import Delivery, News, Told, changing, read_record
from bot.ingest.release_watch import Check, Status, check_page
from bot.render.release_news import release_note
from bot.state.store import State
from bot.state.subscriptions import Subscriptions

KEEP_NEWS = 8  # notes remembered (two years of releases): enough to never post one twice


@dataclass(frozen=True)
class Note:
    key: str  # the news it tells
    channel: str
    text: str


def watch(
    data_dir: Path,
    page_url: str | None,
    now: dt.datetime,
    timezone: ZoneInfo,
    every: dt.timedelta | None,
    state: State,
) -> Check:
    """One look for a new release: only in a release week and not within ``every`` of the
    last (``every`` None: now, whatever the date, as an operator asks)."""
    if every is not None and not release_week_at(now, timezone):
        return Check(Status.NOT_DUE)
    check = check_page(data_dir, page_url, now, every)
    if check.status is Status.LOADED:
        _add_news(data_dir, check.loaded, state, now)
    return check


def _add_news(data_dir: Path, loaded: list[ReleaseEntry], state: State, now: dt.datetime) -> None:
    def newest(kind: str) -> int | None:
        ends = [e["tables"][kind]["last_quarter_index"] for e in loaded if kind in e["tables"]]
        return max(ends, default=None)

    files = sorted(entry["release"] for entry in loaded)
    dates = [entry["release_date"] for entry in loaded if entry.get("release_date")]
    news: News = {
        "key": "+".join(files),
        "files": files,
        "loaded_at": now.isoformat(),
        "published": max(d for d in dates if d) if dates else None,
        "recorded_to": newest("recorded"),
        "outcomes_to": newest("outcomes"),
        "to": {s.channel: (s.forces[0] if s.forces else "") for s in Subscriptions(state).all()},
        "told": {},
    }
    with changing(data_dir) as record:
        if all(item["key"] != news["key"] for item in record["news"]):
            record["news"] = [*record["news"], news][-KEEP_NEWS:]


def notes_to_post(data_dir: Path) -> list[Note]:
    """Every channel a note is owed to and has not had (nor is being posted to)."""
    return [
        Note(news["key"], channel, _text(news, force))
        for news in read_record(data_dir)["news"]
        for channel, force in news["to"].items()
        if channel not in news["told"]
    ]


def _text(news: News, force: str) -> str:
    published = dt.date.fromisoformat(news["published"]) if news["published"] else None
    return release_note(news["recorded_to"], news["outcomes_to"], published, force)


def claim(data_dir: Path, note: Note) -> bool:
    """Mark the note as being posted to its channel; False: another run has it."""
    with changing(data_dir) as record:
        for news in record["news"]:
            if news["key"] == note.key and note.channel not in news["told"]:
                news["told"][note.channel] = Told(status=Delivery.POSTING, ts="", reason="")
                return True
    return False


def told(data_dir: Path, note: Note, outcome: Told) -> None:
    """Record what became of a claimed note: its ts, or why it was not posted."""
    with changing(data_dir) as record:
        for news in record["news"]:
            if news["key"] == note.key:
                news["told"][note.channel] = outcome
