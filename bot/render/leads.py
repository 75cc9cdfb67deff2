"""A lead -> one sentence a reporter could paste, with its figures and period, the tag that
says what kind of story it is, and the question "Write it up" drafts from."""

from __future__ import annotations

from bot.core.plan import CHARGE, Measure, PeriodKind, PeriodSpec, QueryPlan
from bot.parse.canonical import question_for
from bot.query.leads.candidates import Lead, LeadKind
from bot.query.leads.ranking import is_small
from bot.query.leads.series import Series
from bot.render import numbers as num
from bot.render.phrases import offences_phrase, outcome_words, record_phrase, subject
from bot.render.style import WORDS
from bot.settings import PercentStyle


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


def lead_sentence(lead: Lead, style: PercentStyle = WORDS) -> str:
    """One sentence with the lead's figures and period, in the style of an answer."""
    series, place, period = lead.series, lead.place, lead.period.label()
    selection = series.offence
    now, before = series.now, series.before
    assert before is not None
    if lead.kind in (LeadKind.CHARGE_LOW, LeadKind.CHARGE_FALL, LeadKind.NATIONAL_CHARGE):
        return _charge_sentence(lead, style)
    text = (
        f"{subject(place)} recorded {offences_phrase(selection, now)} in {period}, "
        f"{lead_change(now, before, style)}"
    )
    if lead.kind is LeadKind.NATIONAL_CHANGE:
        assert lead.national is not None
        return text + f", against {national_move(lead.national, style)} across England and Wales."
    record = record_phrase(list(series.offences))
    text += f" and {record}" if record else ""
    if lead.national is not None and lead.national.before:
        # A count lead carries England and Wales only when the force went the other way.
        text += f", against {national_move(lead.national, style)} across England and Wales"
    return text + "."


def _charge_sentence(lead: Lead, style: PercentStyle) -> str:
    """'Kent Police charged or summonsed 1,234 (5.6 per cent) of the … it recorded in …, down
    from 7.1 per cent the year before, the lowest share in the ten years of outcome figures.'"""
    series, now, before = lead.series, lead.series.now, lead.series.before
    assert before is not None
    counted = offences_phrase(series.offence, now)
    charged = series.charges[0].value
    text = outcome_words(lead.place, counted, charged, now, lead.period.label(), CHARGE, style)
    if lead.kind is LeadKind.NATIONAL_CHARGE:
        assert lead.national is not None
        national = num.rate_text(lead.national.charges[0].value, lead.national.now, style)
        return text + f", against {national} across England and Wales."
    text += f", down from {num.rate_text(series.charges[1].value, before, style)} the year before"
    if lead.kind is LeadKind.CHARGE_LOW:
        years = num.words(len(series.charges))
        text += f", the lowest share in the {years} years of outcome figures"
    return text + "."


def national_change(national: Series) -> float:
    """England and Wales' change on the year before, in per cent."""
    assert national.before is not None
    return (national.now - national.before) / national.before * 100


def national_move(national: Series, style: PercentStyle = WORDS) -> str:
    """'a rise of 6.0 per cent', 'a fall of 2.2 per cent', 'virtually no change'."""
    change = national_change(national)
    if f"{abs(change):.1f}" == "0.0":
        return "virtually no change"
    return f"a {'rise' if change > 0 else 'fall'} of {num.per_cent(abs(change), style)}"


def lead_change(now: int, before: int, style: PercentStyle = WORDS) -> str:
    """'up 22.0 per cent from 7,892 the year before'; no percentage on a lead's small counts."""
    if is_small(now, before) and now != before:
        return f"{'up' if now > before else 'down'} from {num.count(before)} the year before"
    return num.change(now, before, style=style)


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
