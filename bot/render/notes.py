"""The notes under an answer, in words: what was counted, why earlier years may not compare,
the caveats on recorded crime and on recent outcomes, what England and Wales means."""

from __future__ import annotations

import datetime as dt

from bot.core.periods import Quarter
from bot.core.plan import Measure, PlaceKind, ReadAs, ReadingNote
from bot.datastore.manifest import ReleaseEntry
from bot.query.findings import (
    Basis,
    ClassificationChange,
    Comparability,
    Counted,
    Findings,
    InForceArea,
    Note,
)
from bot.query.findings.model import RecordingStep
from bot.query.rates import SMALL_RESIDENT_FORCES
from bot.render.numbers import count, movement
from bot.render.releases import stale_note
from bot.render.style import house_style

RECORDING_CAVEAT = (
    "Police recorded crime counts what the police record: it moves with recording practice "
    "and with victims' willingness to report, not only with crime itself."
)
OUTCOMES_CAVEAT = (
    "Outcomes for recent offences are still coming in: many recorded in the latest quarters "
    "are still under investigation, so this share will rise as cases close."
)
AWAITING_CAVEAT = (
    "Outcomes for recent offences are still coming in: many recorded in the latest quarters "
    "are still under investigation, so this share will fall as cases close."
)
AWAITING = ("0",)  # outcome type 0: not yet assigned an outcome
NATIONAL_BASIS = (
    "England and Wales here means the 43 territorial police forces; British Transport Police "
    "and the national fraud bodies (Action Fraud, CIFAS, UK Finance) are not included."
)
NOT_COMPARABLE = ", so earlier years are not directly comparable."
NOTES = {
    Note.INCOMPLETE_2014_15_OUTCOMES: (
        "Some forces did not supply all their 2014/15 outcomes, so 2014/15 outcome figures for "
        "them (and for England and Wales) are understated."
    ),
}
COUNTED = {
    Basis.ALL_CRIME: "all police recorded crime",
    Basis.ANNUAL_TOTALS: (
        "all police recorded crime, from the annual force totals (no offence detail): the "
        "forces' own recording; fraud recorded centrally by Action Fraud, CIFAS and UK Finance "
        "is not included"
    ),
    Basis.LOCAL_TOTALS: (
        "all police recorded crime in the area excluding fraud (recorded centrally), from the "
        "Community Safety Partnership totals; a partnership covers a local authority area"
    ),
}


def counted_text(counted: Counted) -> str:
    """What was counted, in the data's own words: 'Harassment (8L)'."""
    if counted.basis is Basis.OFFENCES:
        return "; ".join(f"{c.name} ({c.code})" for c in counted.codes)
    if counted.basis is Basis.GROUPS:
        groups = list(counted.groups)
        listed = groups[0] if len(groups) == 1 else ", ".join(groups[:-1]) + " and " + groups[-1]
        plural = "s" if len(groups) > 1 else ""
        codes = "s" if counted.code_count != 1 else ""
        return f"the {listed} {counted.level}{plural} ({counted.code_count} offence code{codes})"
    return COUNTED[counted.basis]


def _starts(quarter: int) -> str:
    return Quarter.from_index(quarter).label()


def classification_text(change: ClassificationChange) -> str:
    """Two codes or fewer are named with the quarter they start; more are counted by it."""
    if len(change.late) <= 2:
        parts = [
            f"{c.name} ({c.code}) is counted only from "
            + Quarter.from_index(c.first_quarter).label()
            for c in change.late
        ]
        return "; ".join(parts) + NOT_COMPARABLE
    starts: dict[int, int] = {}
    for code in change.late:
        starts[code.first_quarter] = starts.get(code.first_quarter, 0) + 1
    (first, count), *later = sorted(starts.items())
    begin = "begins" if count == 1 else "begin"
    phrases = [
        f"{count} of the {change.codes} offence codes counted {begin} in {_starts(first)}",
        *(f"{n} in {_starts(quarter)}" for quarter, n in later),
    ]
    listed = phrases[0] if len(phrases) == 1 else ", ".join(phrases[:-1]) + " and " + phrases[-1]
    return f"The classification changed: {listed}{NOT_COMPARABLE}"


def step_text(step: RecordingStep) -> str:
    moved = movement(step.after, step.before, house_style())
    went = (
        f"from {count(step.before)} in {Quarter.from_index(step.quarter - 1).label()} to "
        f"{count(step.after)} in {Quarter.from_index(step.quarter).label()} ({moved}) and "
        "stayed there: more likely a change in how it is recorded than in how often it "
        "happens, so years before and after it are not directly comparable."
    )
    if step.part:  # one offence of those counted
        return f"{step.part}, counted here, went across England and Wales {went}"
    return f"Across England and Wales this offence went {went}"


def comparability_text(comparability: Comparability | None) -> str:
    if comparability is None:
        return ""
    if isinstance(comparability, Note):
        return NOTES[comparability]
    if isinstance(comparability, RecordingStep):
        return step_text(comparability)
    return classification_text(comparability)


def in_force_area_text(area: InForceArea) -> str:
    return (
        f"{area.local.label} is in the {area.force.label} area: figures are for the whole force "
        "area; local totals are loaded only for all crime in 2024/25"
    )


def reading_note_text(note: ReadingNote) -> str:
    match note.kind:
        case ReadAs.CLOSE_WORD:
            return f"read “{note.said}” as {note.meant}"
        case ReadAs.TOWN:
            return f"{note.said} is in the {note.meant} area: figures are for the whole force area"
        case ReadAs.FY:
            start = note.year or 0
            return (
                f"FY{note.said} read as the financial year {start}/{(start + 1) % 100:02d} "
                f"(April {start} to March {start + 1})"
            )
    return note.meant  # an offence's own note, as vocabulary.toml writes it


def reading_notes(findings: Findings) -> tuple[str, ...]:
    """How the question was read, beyond the plan: the parser's notes, then the local areas
    answered for their force area."""
    return tuple(reading_note_text(n) for n in findings.plan.notes) + tuple(
        in_force_area_text(a) for a in findings.in_force_area
    )


def answer_notes(
    findings: Findings, manifest: list[ReleaseEntry], today: dt.date | None
) -> list[str]:
    """The notes under an answer, in the order they are printed."""
    plan = findings.plan
    # A town answered for its force area leads the notes: a reporter must not print the
    # force's figure as the town's.
    notes = [reading_note_text(n) for n in plan.notes if n.kind is ReadAs.TOWN]
    notes += [in_force_area_text(a) for a in findings.in_force_area]
    if plan.outcome is not None and findings.outcomes_recent:
        awaiting = tuple(plan.outcome.types) == AWAITING
        notes.append(AWAITING_CAVEAT if awaiting else OUTCOMES_CAVEAT)
    comparability = comparability_text(findings.offence.comparability)
    if comparability:
        notes.append(comparability)
    if plan.measure in (Measure.TREND, Measure.RECORD, Measure.CHANGE):
        notes.append(RECORDING_CAVEAT)
    notes.append(f"Counted: {counted_text(findings.offence.counted)}.")
    few = [p for p in findings.places if p.place.name in SMALL_RESIDENT_FORCES]
    if few and plan.per_head and any(few[0].population):
        notes.append(
            f"{few[0].place.label} has few residents but a large daytime population of "
            "workers and visitors: a rate per resident overstates crime there, and is not "
            "comparable with other forces'."
        )
    if (
        findings.national
        or findings.ranking
        or any(p.kind is PlaceKind.NATIONAL for p in plan.places)
    ):
        notes.append(NATIONAL_BASIS)
    stale = stale_note(findings.releases, manifest, today) if today else ""
    if stale:
        notes.append(stale)
    return notes
