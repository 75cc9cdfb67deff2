"""The loaded releases in words: the list of what is loaded (App Home, `ask help`,
`/crimestats help`), the source line under every answer, and the note on a stale release.

``newest_first`` is the one reading of the manifest's release list: every list of releases
printed starts from it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.core.periods import Period, Quarter
from bot.datastore.manifest import Coverage, ReleaseEntry

TABLE_NAMES = {
    "recorded": "recorded crime by offence and quarter",
    "outcomes": "outcomes by offence and quarter",
    "group_outcomes": "outcomes by offence group and quarter",
    "local_totals": "local authority area (Community Safety Partnership) totals excluding fraud",
    "annual_recorded": "all crime by financial year",
    "annual_outcomes": "outcomes of all crime by financial year",
    "population": "residents on 30 June",
}
SOURCE_DEFAULT = "Home Office, police recorded crime and outcomes open data tables"
DATASET_PAGE = (
    "https://www.gov.uk/government/statistics/police-recorded-crime-and-outcomes-open-data-tables"
)
STALE_AFTER_MONTHS = 4


@dataclass(frozen=True)
class Release:
    """A loaded release, as the manifest records it."""

    name: str  # the file it was loaded from
    published: dt.date | None
    source: str = ""  # the publication it is part of, "" when the manifest names none
    sample: bool = False
    tables: dict[str, Coverage] = field(default_factory=dict)  # table -> quarter span

    @classmethod
    def from_entry(cls, entry: ReleaseEntry) -> Release:
        date = entry.get("release_date")
        return cls(
            entry["release"],
            dt.date.fromisoformat(date) if date else None,
            entry.get("source") or "",
            bool(entry.get("sample")),
            dict(entry.get("tables", {})),
        )


def newest_first(manifest: list[ReleaseEntry], names: Iterable[str] | None = None) -> list[Release]:
    """The releases of the manifest (only those named, when ``names`` is given), the newest
    publication first; releases without a date last, in manifest order."""
    wanted = None if names is None else set(names)
    entries = [e for e in manifest if wanted is None or e["release"] in wanted]
    ordered = sorted(entries, key=lambda e: e.get("release_date") or "", reverse=True)
    return [Release.from_entry(e) for e in ordered]


def dated(date: dt.date) -> str:
    """'23 April 2026'."""
    return f"{date.day} {date:%B %Y}"


def release_phrase(name: str, date: dt.date | None) -> str:
    """'the 23 April 2026 release', or the file's name when it carries no date."""
    return f"the {dated(date)} release" if date else f"the release {name}"


def published(entry: ReleaseEntry) -> str:
    release = Release.from_entry(entry)
    return release_phrase(release.name, release.published)


def _coverage(table: str, span: Coverage) -> str:
    first = Quarter.from_index(span["first_quarter_index"])
    last = Quarter.from_index(span["last_quarter_index"])
    if table == "population":
        return f"mid-{first.fy_start} to mid-{last.fy_start}"
    if table.startswith("annual_"):
        return f"{first.financial_year} to {last.financial_year}"
    if table == "local_totals":  # one row a year, at its last quarter
        return (
            last.financial_year
            if first == last
            else f"{first.financial_year} to {last.financial_year}"
        )
    start = dt.date(first.end_date.year, first.end_date.month - 2, 1)
    return f"quarters from {start:%B %Y} to {last.end_date:%B %Y}"


def release_lines(manifest: list[ReleaseEntry]) -> list[str]:
    """One line a release, newest first: what it is, when it was published, what it covers."""
    lines = []
    for release in newest_first(manifest):
        if release.published:
            when = f"published {dated(release.published)}"
        else:
            when = "publication date not recorded"
        covers = "; ".join(
            f"{TABLE_NAMES.get(table, table)}, {_coverage(table, span)}"
            for table, span in release.tables.items()
        )
        sample = " — SAMPLE, not official" if release.sample else ""
        lines.append(f"{release.source or release.name} ({when}): {covers}{sample}")
    return lines


def release_list(manifest: list[ReleaseEntry], bullet: str = "• ") -> str:
    """The releases loaded, one bulleted line each, newest first (App Home, `ask help`)."""
    return "\n".join(f"{bullet}{line}" for line in release_lines(manifest))


def source_line(releases: Iterable[str], period: Period, manifest: list[ReleaseEntry]) -> str:
    """One line: the releases the figures came from, with their dates, the period, the licence.
    The file names are in the --json figures and the manifest, not here."""
    return (
        f"{sources(releases, manifest)} ({DATASET_PAGE}). "
        f"Period: {period.long_label()}. Open Government Licence v3.0."
    )


def sources(releases: Iterable[str], manifest: list[ReleaseEntry]) -> str:
    """'Source: Home Office, …, 23 April 2026 release': the releases with their dates."""
    found = newest_first(manifest, releases) or newest_first(manifest[-1:])
    by_source: dict[str, list[str]] = {}
    for release in found:
        dates = by_source.setdefault(release.source or SOURCE_DEFAULT, [])
        if release.published:
            dates.append(f"{dated(release.published)} release")
        if release.sample:
            dates.append("SAMPLE, not official")
    parts = [
        f"{source}, {' and '.join(dates)}" if dates else source
        for source, dates in by_source.items()
    ]
    return f"Source: {'; '.join(parts)}"


def stale_note(releases: Iterable[str], manifest: list[ReleaseEntry], today: dt.date) -> str:
    """One line when the newest release behind an answer is over four months old: the
    Home Office publishes quarterly, so a newer one has probably come out."""
    dates = [r.published for r in newest_first(manifest, releases) if r.published]
    if not dates:
        return ""
    newest = max(dates)
    months = (today.year - newest.year) * 12 + today.month - newest.month
    if months < STALE_AFTER_MONTHS or (months == STALE_AFTER_MONTHS and today.day <= newest.day):
        return ""
    return (
        f"These figures are from {release_phrase('', newest)}; newer figures may have been "
        "published since. Load them with `python -m bot ingest --download`."
    )
