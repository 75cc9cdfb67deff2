"""Find the period in a question: 'year to Sept 2023', '2022/23', '21/22', 'FY23', '2023',
'since 2015', 'Q3 2024/25', 'October to December 2024', 'the last quarter', '5-year trend',
and two of them compared ('2019/20 vs 2023/24')."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from bot.core.periods import Quarter
from bot.core.plan import PeriodKind, PeriodSpec, ReadAs, ReadingNote
from bot.parse.clarification import Ask, Clarification, Facts

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_NUMBERS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "decade": 10,
}
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_END_OF = r"(?:(?:the\s+)?end\s+of\s+)?"
_YEAR_TO = re.compile(
    r"\b(?:(?:the\s+)?(?:year|12\s+months|twelve\s+months)\s+(?:to|ending|ended|until|up\s+to|"
    r"to\s+the\s+end\s+of)|ye|y/e)\s+" + _END_OF + _MONTH + r"(?:\s+('?\d{2,4}))?\b"
)
_THREE_MONTHS = re.compile(
    r"\b(?:the\s+)?(?:(?:three|3)\s+months|quarter)\s+(?:to|ending|ended|until)\s+"
    + _END_OF
    + _MONTH
    + r"(?:\s+('?\d{2,4}))?\b"
)
_MONTH_RANGE = re.compile(r"\b" + _MONTH + r"\s*(?:to|-|until)\s*" + _MONTH + r"\s+('?\d{2,4})\b")
_QUARTER_FY = re.compile(r"\bq([1-4])\s+(?:of\s+)?(?:fy\s*)?(\d{4})\s*[/-]\s*(\d{2}|\d{4})\b")
_QUARTER_BARE = re.compile(r"\bq([1-4])\s+(?:of\s+)?(\d{4})\b")
_FINANCIAL = re.compile(r"\b(\d{4})\s*[/-]\s*(\d{2}|\d{4})\b")
_FINANCIAL_SPACED = re.compile(r"\b(\d{4})\s+(\d{2})\b")  # "2022 23"
_SHORT_FINANCIAL = re.compile(r"(?<![\d/])(\d{2})\s*[/-]\s*(\d{2})(?![\d/])")
_FINANCIAL_WORDS = re.compile(r"\bfinancial\s+year\s+(\d{4})\b(?!\s*[/-]\s*\d)")
_FY = re.compile(r"\bfy\s*'?(\d{2}|\d{4})\b")
_SINCE = re.compile(r"\b(?:since|from)\s+(\d{4})\b")
_YEAR = re.compile(r"\b(20\d{2}|19\d{2})\b")
_N_YEARS = re.compile(
    r"\b(?:(?:over|in|for|during)\s+)?(?:the\s+)?(?:last|past|previous)\s+"
    r"(two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+years\b"
    r"|\b(two|three|four|five|six|seven|eight|nine|ten|\d{1,2})[\s-]+years?[\s-]+"
    r"(?:trend|series|history)\b"
    r"|\b(?:(?:over|in|for|during)\s+)?(?:the\s+)?(?:last|past|previous)\s+(decade)\b"
)
_LATEST_QUARTER = ("last quarter", "latest quarter", "most recent quarter", "past quarter")
_LATEST_YEAR = (
    "last 12 months",
    "last twelve months",
    "past 12 months",
    "past twelve months",
    "latest 12 months",
    "past year",
    "latest",
    "most recent",
    "current",
)
_CALENDAR = (("last year", -1), ("previous year", -1), ("this year", 0))
TREND_YEARS = (2, 20)  # the shortest and longest trend asked for in years
_VERSUS = re.compile(r"\b(vs|v|versus|compared|compare|against|with|between)\b")


@dataclass(frozen=True)
class FoundPeriod:
    spec: PeriodSpec | None
    spans: tuple[tuple[int, int], ...] = ()
    problem: Clarification | None = None  # the period is there but unusable ("year to March")
    notes: tuple[ReadingNote, ...] = ()  # how a period was read ("FY25")
    years: int | None = None  # "5-year trend", "over the last decade"
    versus: PeriodSpec | None = None  # the earlier of two periods compared


def _ask(reason: Ask, facts: Facts | None = None) -> Clarification:
    """A period problem: asked with no example questions (the words say what to type)."""
    return Clarification(reason, facts or Facts(), ())


def _year(text: str) -> int:
    text = text.lstrip("'")
    year = int(text)
    return 2000 + year if year < 100 else year


def _span(text: str, phrase: str) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


def _quarter(end_year: int, end_month: int, span: tuple[int, int]) -> FoundPeriod:
    return FoundPeriod(PeriodSpec(PeriodKind.YEAR_TO, end_year, end_month, quarters=1), (span,))


def _quarters(text: str, today: dt.date) -> FoundPeriod | None:
    """A single quarter, however it is written."""
    if match := _QUARTER_FY.search(text):
        start, end = int(match.group(2)), int(match.group(3))
        if end % 100 == (start + 1) % 100:
            quarter = Quarter(start, int(match.group(1)))
            return _quarter(quarter.end_year, quarter.end_month, match.span())
    if match := _QUARTER_BARE.search(text):
        facts = Facts(quarter=int(match.group(1)), year=int(match.group(2)))
        return FoundPeriod(None, (match.span(),), problem=_ask(Ask.WHICH_QUARTER, facts))
    for pattern in (_THREE_MONTHS, _MONTH_RANGE):
        if match := pattern.search(text):
            last = match.lastindex or 0
            month = _MONTHS[match.group(last - 1 if pattern is _MONTH_RANGE else 1)[:3]]
            year_text = match.group(last) if pattern is _MONTH_RANGE else match.group(2)
            if pattern is _MONTH_RANGE:
                first = _MONTHS[match.group(1)[:3]]
                if (month - first) % 12 != 2:
                    continue
            if not year_text:
                facts = Facts(month=month, year=today.year - 1)
                problem = _ask(Ask.QUARTER_WITHOUT_YEAR, facts)
                return FoundPeriod(None, (match.span(),), problem=problem)
            if month not in (3, 6, 9, 12):
                return FoundPeriod(None, (match.span(),), problem=_ask(Ask.NOT_A_QUARTER))
            return _quarter(_year(year_text), month, match.span())
    for phrase in _LATEST_QUARTER:
        if phrase in text:
            return FoundPeriod(PeriodSpec(PeriodKind.LATEST, quarters=1), (_span(text, phrase),))
    return None


def _one(text: str, today: dt.date) -> FoundPeriod:
    """The first period written in ``text`` (cleaned, lower case)."""
    if found := _quarters(text, today):
        return found
    if match := _YEAR_TO.search(text):
        month = _MONTHS[match.group(1)[:3]]
        if not match.group(2):
            facts = Facts(month=month, year=today.year - 1)
            return FoundPeriod(None, (match.span(),), problem=_ask(Ask.YEAR_TO_WITHOUT_YEAR, facts))
        return FoundPeriod(
            PeriodSpec(PeriodKind.YEAR_TO, _year(match.group(2)), month), (match.span(),)
        )
    if match := _FINANCIAL_WORDS.search(text):
        facts = Facts(year=int(match.group(1)))
        return FoundPeriod(None, (match.span(),), problem=_ask(Ask.WHICH_FINANCIAL_YEAR, facts))
    for pattern in (_FINANCIAL, _FINANCIAL_SPACED, _SHORT_FINANCIAL):
        if match := pattern.search(text):
            start, end = _year(match.group(1)), int(match.group(2))
            if end % 100 == (start + 1) % 100:
                return FoundPeriod(PeriodSpec(PeriodKind.FINANCIAL_YEAR, start), (match.span(),))
    if match := _FY.search(text):
        end_year = _year(match.group(1))
        return FoundPeriod(
            PeriodSpec(PeriodKind.FINANCIAL_YEAR, end_year - 1),
            (match.span(),),
            notes=(ReadingNote(ReadAs.FY, match.group(1), year=end_year - 1),),
        )
    if match := _SINCE.search(text):
        return FoundPeriod(PeriodSpec(PeriodKind.SINCE, int(match.group(1))), (match.span(),))
    for phrase, offset in _CALENDAR:
        if phrase in text:
            spec = PeriodSpec(PeriodKind.CALENDAR_YEAR, today.year + offset)
            return FoundPeriod(spec, (_span(text, phrase),))
    years = list(_YEAR.finditer(text))
    distinct = sorted({int(m.group(1)) for m in years})
    if len(distinct) > 1:
        return FoundPeriod(
            None,
            tuple(m.span() for m in years),
            problem=_ask(Ask.WHICH_PERIOD, Facts(years=tuple(distinct))),
        )
    if years:
        return FoundPeriod(
            PeriodSpec(PeriodKind.CALENDAR_YEAR, distinct[0]), tuple(m.span() for m in years)
        )
    for phrase in _LATEST_YEAR:
        if phrase in text:
            return FoundPeriod(PeriodSpec(PeriodKind.LATEST), (_span(text, phrase),))
    return FoundPeriod(None)


def _order(spec: PeriodSpec) -> tuple[int, int]:
    """Roughly when a period ends, to tell the earlier of two apart."""
    match spec.kind:
        case PeriodKind.FINANCIAL_YEAR:
            return (spec.year or 0) + 1, 3
        case PeriodKind.YEAR_TO:
            return spec.year or 0, spec.month or 12
        case PeriodKind.CALENDAR_YEAR | PeriodKind.SINCE:
            return spec.year or 0, 12
    return 9999, 12


def _blank(text: str, spans: tuple[tuple[int, int], ...]) -> str:
    for start, end in spans:
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def find_period(text: str, today: dt.date) -> FoundPeriod:
    """``text`` must be cleaned (lower case)."""
    years: int | None = None
    year_spans: tuple[tuple[int, int], ...] = ()
    if match := _N_YEARS.search(text):
        word = next(g for g in match.groups() if g)
        years = _NUMBERS.get(word) or int(word)
        year_spans = (match.span(),)
        text = _blank(text, year_spans)
    first = _one(text, today)
    bare = list(_YEAR.finditer(text))
    if first.problem and _VERSUS.search(text) and len(bare) == 2:
        first = _one(text[: bare[0].end()], today)  # "2019 vs 2024": the first, then the other
    if first.spec is not None and not first.problem and _VERSUS.search(text):
        second = _one(_blank(text, first.spans), today)
        if second.spec == first.spec:
            return FoundPeriod(
                None, first.spans + second.spans, problem=_ask(Ask.SAME_PERIOD_TWICE)
            )
        third = _one(_blank(text, first.spans + second.spans), today) if second.spec else None
        if third is not None and third.spec is not None:
            return FoundPeriod(
                None,
                first.spans + second.spans + third.spans,
                problem=_ask(Ask.THREE_PERIODS),
            )
        if second.spec is not None and not second.problem:
            later, earlier = sorted((first.spec, second.spec), key=_order, reverse=True)
            if later.quarters != earlier.quarters:
                later, earlier = replace(later, quarters=1), replace(earlier, quarters=1)
            return FoundPeriod(
                later,
                first.spans + second.spans + year_spans,
                notes=first.notes + second.notes,
                versus=earlier,
            )
    if years is not None:
        if not TREND_YEARS[0] <= years <= TREND_YEARS[1]:
            problem = _ask(Ask.TREND_LENGTH, Facts(limits=TREND_YEARS))
            return FoundPeriod(None, year_spans, problem=problem)
        return replace(first, spans=first.spans + year_spans, years=years)
    return first
