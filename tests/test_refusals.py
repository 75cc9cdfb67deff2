"""Query returns typed facts; render words them. Every refusal reason has words, and the
typed notes read as the answers have always printed them."""

from __future__ import annotations

from bot.core.periods import Period, Quarter
from bot.core.plan import OffenceSelection
from bot.query.errors import OutcomesLoaded, Reason, Refusal, Unanswerable
from bot.query.findings import Basis, ClassificationChange, Counted, CountedCode, LateCode, Note
from bot.render.notes import comparability_text, counted_text
from bot.render.refusals import _WORDS, refusal_text


def test_every_reason_has_words():
    assert set(_WORDS) == set(Reason)


def test_a_refusal_is_worded_from_its_facts():
    period = Period(Quarter.ending(2025, 12))
    problem = Unanswerable(Refusal(Reason.NO_FORCE_COMPLETE, period=period))
    assert refusal_text(problem) == "No force has complete figures for the year to December 2025."
    assert refusal_text(Unanswerable(Reason.NO_LOCAL_TOTALS)) == "No local area totals are loaded."


def test_no_offence_outcomes_names_what_is_loaded():
    all_crime = OffenceSelection("all", (), "all crime")
    loaded = OutcomesLoaded(None, all_crime, ("2014/15", "2025/26"), None)
    text = refusal_text(Refusal(Reason.NO_OFFENCE_OUTCOMES, loaded=loaded))
    assert text.startswith("The loaded data has no figures for crimes resulting in outcome:")
    assert "(2014/15 to 2025/26)" in text


def test_counted_and_comparability_in_words():
    assert counted_text(Counted(Basis.OFFENCES, codes=(CountedCode("Harassment", "8L"),))) == (
        "Harassment (8L)"
    )
    groups = Counted(Basis.GROUPS, groups=("Robbery",), level="group", code_count=2)
    assert counted_text(groups) == "the Robbery group (2 offence codes)"
    late = tuple(LateCode(str(i), Quarter.ending(2017, 3).index) for i in range(3))
    assert comparability_text(ClassificationChange(10, late)) == (
        "The classification changed: 3 of the 10 offence codes counted begin in the quarter to "
        "March 2017, so earlier years are not directly comparable."
    )
    assert "2014/15 outcomes" in comparability_text(Note.INCOMPLETE_2014_15_OUTCOMES)
