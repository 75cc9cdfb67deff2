"""What is loaded, in words: each release with its publication date and what it covers, for
the App Home, `ask help` and `/crimestats help`."""

from __future__ import annotations

import datetime as dt

from bot.core.periods import Quarter

TABLE_NAMES = {
    "recorded": "recorded crime by offence and quarter",
    "outcomes": "outcomes by offence and quarter",
    "annual_recorded": "all crime by financial year",
    "annual_outcomes": "outcomes of all crime by financial year",
    "population": "residents on 30 June",
}


def _coverage(table: str, span: dict) -> str:
    first = Quarter.from_index(span["first_quarter_index"])
    last = Quarter.from_index(span["last_quarter_index"])
    if table == "population":
        return f"mid-{first.fy_start} to mid-{last.fy_start}"
    if table.startswith("annual_"):
        return f"{first.financial_year} to {last.financial_year}"
    start = dt.date(first.end_date.year, first.end_date.month - 2, 1)
    return f"quarters from {start:%B %Y} to {last.end_date:%B %Y}"


def release_lines(manifest: list[dict]) -> list[str]:
    """One line a release, newest first: what it is, when it was published, what it covers."""
    lines = []
    for entry in sorted(manifest, key=lambda e: e.get("release_date") or "", reverse=True):
        date = entry.get("release_date")
        if date:
            published = f"published {dt.date.fromisoformat(date):%-d %B %Y}"
        else:
            published = "publication date not recorded"
        covers = "; ".join(
            f"{TABLE_NAMES.get(table, table)}, {_coverage(table, span)}"
            for table, span in entry.get("tables", {}).items()
        )
        sample = " — SAMPLE, not official" if entry.get("sample") else ""
        lines.append(f"{entry.get('source') or entry['release']} ({published}): {covers}{sample}")
    return lines
