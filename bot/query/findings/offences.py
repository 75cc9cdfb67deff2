"""Which offence codes a selection counts, and what the data can say about them."""

from __future__ import annotations

from dataclasses import replace

from bot.core.periods import Period, Quarter
from bot.core.plan import OffenceLevel, OffenceSelection, PeriodKind, PeriodSpec
from bot.query.database import Database
from bot.query.errors import Reason, Refusal, Unanswerable
from bot.query.findings.model import (
    Basis,
    ClassificationChange,
    Counted,
    CountedCode,
    LateCode,
    RecordingStep,
    ResolvedOffence,
    YearFigure,
)
from bot.query.leads.ranking import step_at


def resolve_offence(db: Database, selection: OffenceSelection) -> ResolvedOffence:
    rows = db.reference("offence_codes", level=selection.level, keys=list(selection.keys))
    if not rows:
        raise Unanswerable(Refusal(Reason.NO_SUCH_OFFENCE, label=selection.label))
    if selection.level is OffenceLevel.ALL:
        counted = Counted(Basis.ALL_CRIME)
    elif selection.level is OffenceLevel.OFFENCE:
        codes = tuple(CountedCode(r["offence"], r["offence_code"]) for r in rows)
        counted = Counted(Basis.OFFENCES, codes=codes)
    else:
        column = "subgroup" if selection.level is OffenceLevel.SUBGROUP else "offence_group"
        names = tuple(sorted({r[column] for r in rows}))
        counted = Counted(Basis.GROUPS, groups=names, level=selection.level, code_count=len(rows))
    return ResolvedOffence(selection, tuple(r["offence_code"] for r in rows), counted)


def classification_change(
    db: Database, offence: ResolvedOffence, series: list[YearFigure]
) -> ClassificationChange | None:
    """The codes counted that begin after the series does, if any."""
    if len(series) < 2 or len(offence.codes) < 2:
        return None
    first = series[-1].period.first_index
    rows = db.reference("code_coverage", codes=list(offence.codes))
    late = [r for r in rows if r["first_quarter"] > first]
    if not late:
        return None
    names: dict[str, str] = {}
    if len(late) <= 2:  # few enough to name
        keys = [r["offence_code"] for r in late]
        names = {
            r["offence_code"]: r["offence"]
            for r in db.reference("offence_codes", level="offence", keys=keys)
        }
    return ClassificationChange(
        len(offence.codes),
        tuple(
            LateCode(r["offence_code"], r["first_quarter"], names.get(r["offence_code"], ""))
            for r in late
        ),
    )


def recording_step(
    db: Database, offence: ResolvedOffence, series: list[YearFigure]
) -> RecordingStep | None:
    """The latest step in England and Wales's quarterly count inside the years compared
    (the digest's rule: ``step_at``), or None. All crime is left alone: no one recording
    change moves it so. Worked out once per loaded data, offence and span."""
    if len(series) < 2 or offence.selection.level is OffenceLevel.ALL:
        return None
    codes, first, last = offence.codes, series[-1].period.first_index, series[0].period.last_index
    return db.remembered(
        ("recording step", codes, first, last), lambda: _step_in(db, codes, first, last)
    )


RETIRED_AFTER = 8  # quarters without a single offence in England and Wales

# A note says an offence's recording changed only for a jump of three-quarters (or a drop to
# four-sevenths) that stays; the digest's own rule (1.5) also catches a noisy series falling.
NOTE_STEP = 1.75
# A part of the selection that steps is named when its jump is a tenth of the selection's
# count in that quarter: robbery of business property's 3,081 in robbery's 21,000 or so.
MATERIAL = 0.10


def _step_in(db: Database, codes: tuple[str, ...], first: int, last: int) -> RecordingStep | None:
    rows = db.reference("national_series", codes=list(codes))
    whole = {r["quarter_index"]: int(r["offences"]) for r in rows}
    step = _series_step(whole, first, last)
    if step is not None or len(codes) < 2:
        return step
    by_code: dict[str, dict[int, int]] = {}
    for r in db.reference("national_series_by_code", codes=list(codes)):
        by_code.setdefault(r["offence_code"], {})[r["quarter_index"]] = int(r["offences"])
    for code, counts in sorted(by_code.items()):
        part = _series_step(counts, first, last)
        if part and abs(part.after - part.before) >= MATERIAL * whole.get(part.quarter, 0):
            return replace(part, part=_offence_name(db, code))
    return None


def _series_step(counts: dict[int, int], first: int, last: int) -> RecordingStep | None:
    if not counts:
        return None
    quarters = [(q, counts.get(q, 0)) for q in range(min(counts), last + 1)]  # consecutive
    step = step_at(quarters, recent=last - first)
    if step is None or step == last:  # a jump in the last quarter has not yet stayed
        return None
    before, after = counts.get(step - 1, 0), counts.get(step, 0)
    if max(before, after) < NOTE_STEP * min(before, after):
        return None  # enough to keep a lead out of the digest, not to say so in an answer
    return RecordingStep(step, before, after)


def _offence_name(db: Database, code: str) -> str:
    rows = db.reference("offence_codes", level="offence", keys=[code])
    return str(rows[0]["offence"]) if rows else code


def check_still_recorded(db: Database, offence: ResolvedOffence, period: Period) -> None:
    """Refuse a period two years or more after any force last recorded one of the codes
    counted: codes replaced by others (non-domestic burglary in 2017) go on being published
    as zeros, which are no figure to print. The year to that last quarter is offered."""
    if offence.selection.level is OffenceLevel.ALL:
        return
    rows = db.reference("code_coverage", codes=list(offence.codes))
    last = max((int(r["last_quarter"]) for r in rows), default=None)
    if last is None or last > period.first_index - RETIRED_AFTER:
        return
    ended = Quarter.from_index(last)
    raise Unanswerable(
        Refusal(Reason.NO_LONGER_RECORDED, label=offence.selection.label, last=last, period=period),
        periods=(PeriodSpec(PeriodKind.YEAR_TO, ended.end_year, ended.end_month),),
    )


def is_fraud(db: Database, offence: ResolvedOffence) -> bool:
    """Whether every code counted is a fraud offence (recorded centrally, not by forces)."""
    if offence.selection.level is OffenceLevel.ALL or not offence.codes:
        return False
    rows = db.reference("offence_codes", level="offence", keys=list(offence.codes))
    return bool(rows) and all(r["offence_group"] == "Fraud offences" for r in rows)


def group_of(db: Database, offence: ResolvedOffence) -> str | None:
    """The one offence group an offence or subgroup belongs to (None for all crime, or a
    selection spanning groups)."""
    if offence.selection.level in (OffenceLevel.ALL, OffenceLevel.GROUP):
        return None
    rows = db.reference("offence_codes", level="offence", keys=list(offence.codes))
    groups = {r["offence_group"] for r in rows}
    return groups.pop() if len(groups) == 1 else None
