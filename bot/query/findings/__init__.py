"""Query plan -> findings: every figure an answer may print, each from SQL over the data.

Nothing here formats text; ``bot.render`` turns findings (figures and typed facts) into
sentences. The modules: ``model`` (the dataclasses), ``offences`` (which codes are counted),
``places`` (one place's figures), ``revisions``, ``outcomes`` (which tables answer an outcome
question), ``ranking`` (the forces ranked) and ``collect`` (a plan's findings).
"""

from bot.query.findings.collect import find
from bot.query.findings.model import (
    SERIES_YEARS,
    SMALL_COUNT,
    Basis,
    ClassificationChange,
    Comparability,
    Counted,
    CountedCode,
    Findings,
    InForceArea,
    LateCode,
    Note,
    PlaceFindings,
    RankRow,
    ResolvedOffence,
    Revision,
    YearFigure,
)
from bot.query.findings.offences import resolve_offence
from bot.query.findings.outcomes import use_annual
from bot.query.findings.places import Together, place_findings, year_figures

__all__ = [
    "SERIES_YEARS",
    "SMALL_COUNT",
    "Basis",
    "ClassificationChange",
    "Comparability",
    "Counted",
    "CountedCode",
    "Findings",
    "InForceArea",
    "LateCode",
    "Note",
    "PlaceFindings",
    "RankRow",
    "ResolvedOffence",
    "Revision",
    "Together",
    "YearFigure",
    "find",
    "place_findings",
    "resolve_offence",
    "use_annual",
    "year_figures",
]
