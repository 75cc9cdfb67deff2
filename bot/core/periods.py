"""Financial-year quarters and the rolling twelve-month periods news copy quotes.

A quarter is identified by one integer (``Quarter.index``) so that SQL can select
"the four quarters ending here" with a plain range, and so that "the year
before" is simply ``index - 4``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

_FY = re.compile(r"^\s*(\d{4})\s*[/-]\s*(\d{2}|\d{4})\s*$")


@dataclass(frozen=True, order=True)
class Quarter:
    """Quarter ``q`` (1 = April-June) of the financial year starting in April ``fy_start``."""

    fy_start: int
    q: int

    def __post_init__(self) -> None:
        if self.q not in (1, 2, 3, 4):
            raise ValueError(f"financial quarter must be 1-4, not {self.q}")

    @property
    def index(self) -> int:
        return self.fy_start * 4 + self.q - 1

    @classmethod
    def from_index(cls, index: int) -> Quarter:
        return cls(index // 4, index % 4 + 1)

    @classmethod
    def ending(cls, year: int, month: int) -> Quarter:
        """The quarter that ends in ``month`` of calendar ``year`` (month 3, 6, 9 or 12)."""
        if month not in (3, 6, 9, 12):
            raise ValueError(f"no financial quarter ends in {MONTHS[month - 1]}")
        q = {6: 1, 9: 2, 12: 3, 3: 4}[month]
        return cls(year - 1 if month == 3 else year, q)

    @property
    def end_year(self) -> int:
        return self.fy_start + 1 if self.q == 4 else self.fy_start

    @property
    def end_month(self) -> int:
        return {1: 6, 2: 9, 3: 12, 4: 3}[self.q]

    @property
    def end_date(self) -> dt.date:
        following = dt.date(self.end_year + (self.end_month == 12), self.end_month % 12 + 1, 1)
        return following - dt.timedelta(days=1)

    @property
    def start_date(self) -> dt.date:
        month = self.end_month - 2
        return dt.date(self.end_year, month, 1)

    @property
    def financial_year(self) -> str:
        return financial_year_label(self.fy_start)

    def label(self, article: bool = True) -> str:
        """'the quarter to September 2023' ('quarter to September 2023' without the article)."""
        return f"{'the ' if article else ''}quarter to {self.month_year()}"

    def month_year(self) -> str:
        """'September 2023': the month the quarter ends."""
        return f"{MONTHS[self.end_month - 1]} {self.end_year}"


def financial_year_label(fy_start: int) -> str:
    return f"{fy_start}/{(fy_start + 1) % 100:02d}"


def parse_financial_year(text: str) -> int:
    """'2022/23' or '2022-2023' -> 2022. Raises ValueError for a year pair that does not follow."""
    match = _FY.match(str(text))
    if not match:
        raise ValueError(f"not a financial year: {text!r}")
    start, end = int(match.group(1)), int(match.group(2))
    if end % 100 != (start + 1) % 100:
        raise ValueError(f"not a financial year: {text!r} (the second year must follow the first)")
    return start


@dataclass(frozen=True)
class Period:
    """``quarters`` consecutive quarters ending with ``end``; four make a rolling year."""

    end: Quarter
    quarters: int = 4

    @property
    def start(self) -> Quarter:
        return Quarter.from_index(self.end.index - self.quarters + 1)

    @property
    def first_index(self) -> int:
        return self.start.index

    @property
    def last_index(self) -> int:
        return self.end.index

    def years_before(self, years: int) -> Period:
        return Period(Quarter.from_index(self.end.index - 4 * years), self.quarters)

    @property
    def is_financial_year(self) -> bool:
        return self.quarters == 4 and self.end.q == 4

    def label(self, article: bool = True) -> str:
        """How copy names the period: 'the year to September 2023' (or without 'the')."""
        if self.quarters == 1:
            return self.end.label(article)
        span = "year" if self.quarters == 4 else f"{self.quarters * 3} months"
        return f"{'the ' if article else ''}{span} to {self.end.month_year()}"

    def long_label(self) -> str:
        """The label with its financial year and dates: never ambiguous."""
        text = self.label()
        if self.is_financial_year:
            text += f" (financial year {self.end.financial_year})"
        return text

    def date_range(self) -> tuple[dt.date, dt.date]:
        return self.start.start_date, self.end.end_date
