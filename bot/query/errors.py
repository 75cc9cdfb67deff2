from __future__ import annotations

from bot.core.plan import PeriodSpec, QueryPlan


class Unanswerable(Exception):
    """The data cannot answer the plan as asked; the message says why, with suggestions.

    ``periods`` are periods the data does have, offered as "did you mean" buttons;
    ``plans`` are the nearest questions it can answer, offered the same way.
    """

    def __init__(
        self,
        message: str,
        suggestions: tuple[str, ...] = (),
        periods: tuple[PeriodSpec, ...] = (),
        plans: tuple[QueryPlan, ...] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.suggestions = suggestions
        self.periods = periods
        self.plans = plans
