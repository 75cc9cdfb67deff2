"""The rows behind an answer as CSV: every figure with its place, offence, period, value,
unit, the release (and publication date) it came from, and whether a newer release revised it.

Pure: takes an answer (and the manifest, to date the release a revised figure first came
from) and returns the text. A reporter opens it in a spreadsheet to check or chart the
figures; a desk keeps it with the story as the record of what was printed and from where.
"""

from __future__ import annotations

import csv
import io

from bot.datastore.manifest import ReleaseEntry
from bot.render.answer import Answer, Figure

COLUMNS = (
    "place",
    "offence",
    "figure",
    "period_start",
    "period_end",
    "value",
    "unit",
    "release",
    "published",
    "table",
    "revised",
    "revised_from",
    "revised_in",
    "revised_in_published",
)


def answer_csv(answer: Answer, manifest: list[ReleaseEntry] | None = None) -> str:
    """One row per figure, in the answer's order; a header row only for a reply that has no
    figures (a clarification)."""
    published = {entry["release"]: entry.get("release_date") or "" for entry in manifest or []}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for figure in answer.figures if answer.is_answer else []:
        writer.writerow(_row(figure, published))
    return buffer.getvalue()


def _row(figure: Figure, published: dict[str, str]) -> list[object]:
    """Several sources (a rate: the counts' release and the population estimate's) are joined
    with "; " in the same order in the release, published and table columns."""
    revised = figure.revised_from is not None
    return [
        figure.place,
        figure.offence,
        figure.label,
        figure.period_start,
        figure.period_end,
        figure.value,
        figure.unit,
        "; ".join(source.release for source in figure.sources),
        "; ".join(source.published for source in figure.sources),
        "; ".join(source.table for source in figure.sources),
        "yes" if revised else "no",
        figure.revised_from if revised else "",
        figure.revised_in,
        published.get(figure.revised_in, "") if figure.revised_in else "",
    ]
