"""What the App Home tab says about the loaded data: coverage, places, offences, releases."""

from __future__ import annotations

from bot.answers.ask import pinned
from bot.core.periods import Period, Quarter
from bot.query.database import Database
from bot.render.home import Coverage, DataLoaded

KINDS = (("recorded", "Offences recorded"), ("outcomes", "Outcomes"))


def data_loaded(db: Database) -> DataLoaded:
    """Read from one loaded version throughout (a release ingested meanwhile waits)."""
    db = pinned(db)
    rows = {r["kind"]: r for r in db.query("coverage")}
    coverage = []
    for kind, label in KINDS:
        row = rows.get(kind) or {}
        if row.get("first_quarter") is not None:
            # The first quarter with a whole rolling year behind it.
            first = Period(Quarter.from_index(row["first_quarter"] + 3))
            coverage.append(Coverage(label, first, Period(Quarter.from_index(row["last_quarter"]))))
    offences = db.table("offences")
    return DataLoaded(
        sample=db.is_sample,
        coverage=tuple(coverage),
        territorial_forces=sum(1 for f in db.table("forces") if f["kind"] == "territorial"),
        offence_codes=len(offences),
        offence_groups=tuple(sorted({o["offence_group"] for o in offences})),
        releases=tuple(db.manifest["releases"]),
    )
