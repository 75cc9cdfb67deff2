"""A lead -> one sentence a reporter could paste, with its figures and period, the tag that
says what kind of story it is, and the question "Write it up" drafts from."""

from __future__ import annotations

from bot.core.plan import Measure, PeriodKind, PeriodSpec, QueryPlan
from bot.parse.canonical import question_for
from bot.query.leads.candidates import Lead, LeadKind
from bot.query.leads.ranking import is_small
from bot.query.leads.series import Series
from bot.render import numbers as num
from bot.render.phrases import offences_phrase, record_phrase, recorded_by, subject


def lead_tag(lead: Lead) -> str:
    """'Ten-year high · harassment': what kind of story, about what."""
    years = len(lead.series.offences)
    span = "Ten-year" if years == 10 else f"{num.words(years).capitalize()}-year"
    tag = {
        LeadKind.HIGH: f"{span} high",
        LeadKind.LOW: f"{span} low",
        LeadKind.RISE: "Rise",
        LeadKind.FALL: "Fall",
        LeadKind.CHARGE_LOW: "Charge rate at a low",
        LeadKind.CHARGE_FALL: "Charge rate falling",
        LeadKind.NATIONAL_CHANGE: "Against England and Wales",
        LeadKind.NATIONAL_CHARGE: "Charge rate against England and Wales",
    }[lead.kind]
    return f"{tag} · {lead.series.offence.label}"


def lead_sentence(lead: Lead) -> str:
    """One sentence with the lead's figures and period, in the style of an answer."""
    series, place, period = lead.series, lead.place, lead.period.label()
    selection = series.offence
    now, before = series.now, series.before
    assert before is not None
    if lead.kind in (LeadKind.CHARGE_LOW, LeadKind.CHARGE_FALL, LeadKind.NATIONAL_CHARGE):
        charged = series.charges[0].value
        text = (
            f"{num.share(charged, now)} of the {offences_phrase(selection, now)} "
            f"{recorded_by(place)} in {period} resulted in a charge or summons"
        )
        if lead.kind is LeadKind.NATIONAL_CHARGE:
            assert lead.national is not None
            national = lead.national
            return (
                text + f", against {num.rate_text(national.charges[0].value, national.now)} "
                "across England and Wales."
            )
        text += f", down from {num.rate_text(series.charges[1].value, before)} the year before"
        if lead.kind is LeadKind.CHARGE_LOW:
            years = num.words(len(series.charges))
            text += f", the lowest share in the {years} years of outcome figures"
        return text + "."
    text = (
        f"{subject(place)} recorded {offences_phrase(selection, now)} in {period}, "
        f"{lead_change(now, before)}"
    )
    if lead.kind is LeadKind.NATIONAL_CHANGE:
        assert lead.national is not None
        return text + f", against {national_change(lead.national):+.1f}% across England and Wales."
    record = record_phrase(list(series.offences))
    text += f" and {record}" if record else ""
    if lead.national is not None and lead.national.before:
        # A count lead carries England and Wales only when the force went the other way.
        text += f", against {national_change(lead.national):+.1f}% across England and Wales"
    return text + "."


def national_change(national: Series) -> float:
    """England and Wales' change on the year before, in per cent."""
    assert national.before is not None
    return (national.now - national.before) / national.before * 100


def lead_change(now: int, before: int) -> str:
    """'up from 7,892 the year before (+22.0%)'; no percentage on a lead's small counts."""
    if is_small(now, before) and now != before:
        return f"{'up' if now > before else 'down'} from {num.count(before)} the year before"
    return num.change(now, before)


def story_question(lead: Lead) -> str:
    """The question "Write it up" drafts from: the lead's offence, force and period."""
    end = lead.period.end
    plan = QueryPlan(
        Measure.COUNT,
        (lead.place,),
        lead.series.offence,
        PeriodSpec(PeriodKind.YEAR_TO, end.end_year, end.end_month),
    )
    return question_for(plan)
