"""Revision alerts as a use case: log the figures each thread was told, and, once newer data
is loaded, find the threads whose figures a newer release revised.

A told figure is kept with the plan that answers it again, its period pinned (a "latest"
question asked in March meant the year it answered, not whichever year is latest now), and
matched against the new answer by its label, unit, place, offence and period. A figure counts
as revised when its value differs and it now comes from a release published after the one
the thread was told it from (so a rollback to older data is no revision). Posting the alert,
once per thread and release, is ``bot.slack.replies.alerts``'s job.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.answers.ask import answer_plan, pinned
from bot.core.places import areas, force_place
from bot.core.plan import LATEST, Measure, PeriodKind, PeriodSpec, QueryPlan, plan_from_dict
from bot.core.plan import plan_to_dict as plan_json
from bot.datastore.manifest import ReleaseEntry
from bot.query.database import Database
from bot.query.leads.series import lead_offences
from bot.render.alerts import Revised, revision_alert
from bot.render.answer import Answer, Figure, Provenance, Unit
from bot.state.store import State
from bot.state.told import KEEP_TOLD, ShownLeadRow, Told, ToldFigure, ToldRow

log = logging.getLogger(__name__)
FIXED = (PeriodKind.YEAR_TO, PeriodKind.FINANCIAL_YEAR)  # periods that mean the same next year


def data_version(manifest: list[ReleaseEntry]) -> str:
    """A name for the loaded data: it changes when a release is loaded (or rolled back)."""
    names = sorted(f"{e['release']}:{e.get('sha256', '')}" for e in manifest)
    return hashlib.sha256("\n".join(names).encode()).hexdigest()


def figure_key(figure: Figure) -> str:
    parts = (figure.label, figure.unit.value, figure.place, figure.offence)
    period = (figure.period_start, figure.period_end)
    return hashlib.sha256("|".join(parts + period).encode()).hexdigest()


def pin(plan: QueryPlan, answer: Answer) -> QueryPlan:
    """The plan with the period it answered in place of "latest", a bare year or "since":
    asked again on newer data, it gives the same figures, revised or not."""
    if plan.period.kind in FIXED or not answer.figures:
        return plan
    end = dt.date.fromisoformat(answer.figures[0].period_end)
    period = PeriodSpec(PeriodKind.YEAR_TO, end.year, end.month, 0, plan.period.quarters)
    return plan.with_changes(period=period)


def newest(sources: tuple[Provenance, ...]) -> Provenance | None:
    return max(sources, key=lambda s: (s.published, s.release), default=None)


def told_figure(figure: Figure, plan_text: str) -> ToldFigure:
    source = newest(figure.sources)
    return ToldFigure(
        figure_key(figure),
        figure.label,
        figure.unit.value,
        figure.period_start,
        figure.period_end,
        plan_text,
        figure.value,
        source.release if source else "",
        source.published if source else "",
    )


def answer_told(plan: QueryPlan | None, answer: Answer) -> list[ToldFigure]:
    """What an answer tells a thread: each figure with its release (none for a clarification)."""
    if plan is None or not answer.is_answer or not answer.figures:
        return []
    text = json.dumps(plan_json(pin(plan, answer)), sort_keys=True)
    return [told_figure(figure, text) for figure in answer.figures]


def record_answer(
    state: State, channel: str, thread_ts: str, plan: QueryPlan | None, answer: Answer
) -> None:
    """Log what a posted answer told its thread (after Slack took the post)."""
    Told(state).record(channel, thread_ts, answer_told(plan, answer))


def _lead_plan(db: Database, lead: ShownLeadRow) -> QueryPlan | None:
    place_name, _, offence = lead.lead_key.split("|", 2)
    selections = {selection.label: selection for selection, _, _ in lead_offences(db)}
    place = areas().get(place_name)
    if place is None:
        try:
            place = force_place(place_name)
        except KeyError:
            return None
    selection = selections.get(offence)
    return QueryPlan(Measure.COUNT, (place,), selection, LATEST) if selection else None


def digest_told(db: Database, leads: list[ShownLeadRow]) -> list[ToldFigure]:
    """A digest's leads' counts (now and the year before), as the thread was told them:
    each lead's count asked again, kept where it matches what the digest printed."""
    found: list[ToldFigure] = []
    for lead in leads:
        plan = _lead_plan(db, lead)
        if plan is None:
            continue
        answer = answer_plan(plan, db)
        printed = {lead.figures.get("now"), lead.figures.get("before")} - {None}
        own = [
            f
            for f in answer_told(plan, answer)[:2]
            if f.unit == Unit.OFFENCES and f.value in printed
        ]
        if own and own[0].label.endswith(lead.period):
            found += own
    return found


def record_digest(
    state: State, channel: str, day: str, ts: str, database: Callable[[], Database]
) -> None:
    """Log what a posted digest told its channel; its thread gets any alert. Never raises:
    a failure costs the digest's alerts, not the digest."""
    try:
        told = Told(state)
        leads = told.digest_leads(channel, day)
        if leads:
            told.record(channel, ts, digest_told(pinned(database()), leads))
    except Exception:
        log.exception("could not log what the digest for %s told it", channel)


@dataclass
class ThreadAlert:
    """One thread's revised figures, and the newest release that revised them."""

    channel: str
    thread_ts: str
    release: str
    published: str
    revised: list[Revised] = field(default_factory=list)
    now_told: list[ToldFigure] = field(default_factory=list)  # their new values, to log
    rows: list[ToldRow] = field(default_factory=list)  # every figure of the thread checked

    @property
    def text(self) -> str:
        date = dt.date.fromisoformat(self.published) if self.published else None
        return revision_alert(self.revised, self.release, date)


def _answers(db: Database, rows: list[ToldRow]) -> dict[str, dict[str, Figure]]:
    """Each distinct plan answered once on the loaded data: its figures by identity."""
    found: dict[str, dict[str, Figure]] = {}
    for row in rows:
        if row.plan in found:
            continue
        answer = answer_plan(plan_from_dict(json.loads(row.plan)), db)
        found[row.plan] = {figure_key(f): f for f in answer.figures if answer.is_answer}
    return found


def _thread_alert(rows: list[ToldRow], answers: dict[str, dict[str, Figure]]) -> ThreadAlert:
    alert = ThreadAlert(rows[0].channel, rows[0].thread_ts, "", "", rows=rows)
    for row in rows:
        now = answers[row.plan].get(row.figure)
        source = newest(now.sources) if now else None
        if now is None or source is None or now.value == row.value:
            continue
        if source.published <= row.published:
            continue  # older data loaded again (a rollback): not a revision
        alert.revised.append(Revised(now, row.value))
        alert.now_told.append(told_figure(now, row.plan))
        if (source.published, source.release) > (alert.published, alert.release):
            alert.release, alert.published = source.release, source.published
    return alert


def find_alerts(state: State, db: Database) -> tuple[list[ThreadAlert], str]:
    """The threads told figures a newer release has revised, and the loaded data's version.
    Threads with nothing revised are marked checked against this data at once."""
    db = pinned(db)
    version = data_version(db.manifest["releases"])
    told = Told(state)
    forgotten = told.forget_old()
    if forgotten:
        log.info(
            "%d told figure(s) older than %d days no longer watched", forgotten, KEEP_TOLD.days
        )
    rows = told.unchecked(version)
    if not rows:
        return [], version
    answers = _answers(db, rows)
    threads: dict[tuple[str, str], list[ToldRow]] = {}
    for row in rows:
        threads.setdefault((row.channel, row.thread_ts), []).append(row)
    alerts = []
    for thread_rows in threads.values():
        alert = _thread_alert(thread_rows, answers)
        if alert.revised:
            alerts.append(alert)
        else:
            told.mark_checked(thread_rows, version)
    return alerts, version
