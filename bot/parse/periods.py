"""Find the period in a question: 'year to Sept 2023', '2022/23', 'FY23', '2023', 'since 2015'."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from bot.periods import MONTHS
from bot.query.plan import PeriodSpec

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
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_YEAR_TO = re.compile(
    r"\b(?:(?:the\s+)?(?:year|12\s+months|twelve\s+months)\s+(?:to|ending|ended|until|up\s+to|"
    r"to\s+the\s+end\s+of)|ye|y/e)\s+(?:the\s+end\s+of\s+)?" + _MONTH + r"(?:\s+('?\d{2,4}))?\b"
)
_FINANCIAL = re.compile(r"\b(\d{4})\s*[/-]\s*(\d{2}|\d{4})\b")
_FY = re.compile(r"\bfy\s*'?(\d{2}|\d{4})\b")
_SINCE = re.compile(r"\b(?:since|from)\s+(\d{4})\b")
_YEAR = re.compile(r"\b(20\d{2}|19\d{2})\b")


@dataclass(frozen=True)
class FoundPeriod:
    spec: PeriodSpec | None
    spans: tuple[tuple[int, int], ...] = ()
    problem: str = ""  # set when the period is there but unusable ("year to March" with no year)
    note: str = ""


def _year(text: str) -> int:
    text = text.lstrip("'")
    year = int(text)
    return 2000 + year if year < 100 else year


def find_period(text: str, today: dt.date) -> FoundPeriod:
    """``text`` must be cleaned (lower case)."""
    if match := _YEAR_TO.search(text):
        month = _MONTHS[match.group(1)[:3]]
        if not match.group(2):
            return FoundPeriod(
                None,
                (match.span(),),
                problem=f"Which year? For example “year to {MONTHS[month - 1]} {today.year - 1}”.",
            )
        return FoundPeriod(PeriodSpec("year_to", _year(match.group(2)), month), (match.span(),))
    if match := _FINANCIAL.search(text):
        start, end = int(match.group(1)), int(match.group(2))
        if end % 100 == (start + 1) % 100:
            return FoundPeriod(PeriodSpec("financial_year", start), (match.span(),))
    if match := _FY.search(text):
        end_year = _year(match.group(1))
        return FoundPeriod(
            PeriodSpec("financial_year", end_year - 1),
            (match.span(),),
            note=f"FY{match.group(1)} read as the financial year {end_year - 1}/"
            f"{end_year % 100:02d} (April {end_year - 1} to March {end_year})",
        )
    if match := _SINCE.search(text):
        return FoundPeriod(PeriodSpec("since", int(match.group(1))), (match.span(),))
    for phrase, offset in (("last year", -1), ("previous year", -1), ("this year", 0)):
        if phrase in text:
            start = text.index(phrase)
            return FoundPeriod(
                PeriodSpec("calendar_year", today.year + offset), ((start, start + len(phrase)),)
            )
    years = list(_YEAR.finditer(text))
    distinct = sorted({int(m.group(1)) for m in years})
    if len(distinct) > 1:
        return FoundPeriod(
            None,
            tuple(m.span() for m in years),
            problem="Which period? I found more than one year: "
            + ", ".join(str(y) for y in distinct)
            + ".",
        )
    if years:
        return FoundPeriod(PeriodSpec("calendar_year", distinct[0]), tuple(m.span() for m in years))
    for phrase in ("latest", "most recent", "current"):
        if phrase in text:
            start = text.index(phrase)
            return FoundPeriod(PeriodSpec("latest"), ((start, start + len(phrase)),))
    return FoundPeriod(None)
