"""Charts fit to publish, on the real shipped data: each kind is drawn with a title stating
the finding, a subtitle with the measure and period, the source and release in the footer,
level labels, light horizontal gridlines only, values on the bars instead of a legend,
colour-blind-safe colours, and alt text with the numbers. Structural, not pixel-exact."""

from __future__ import annotations

import datetime as dt

import matplotlib.pyplot as plt
import pytest

from bot.answers.ask import ask
from bot.query.database import Database
from bot.render.chart import DPI, PALETTE, chart, draw
from tests.conftest import ROOT

TODAY = dt.date(2026, 11, 30)
KINDS = {
    "trend": (
        "harassment trend Thames Valley",
        "Harassment offences recorded by Thames Valley Police hit a ten-year high",
        "Offences recorded in the twelve months to December each year, 2016 to 2025",
        ["2,630", "11,059"],
    ),
    "comparison": (
        "compare burglary in the Met and GMP",
        "Burglary offences recorded by the Metropolitan Police and Greater Manchester Police fell",
        "Offences recorded in the year to December 2025 and the year before",
        ["48,507", "54,254", "11,869", "14,924"],
    ),
    "ranking": (
        "which force has the most shoplifting per head",
        "Cleveland Police recorded the highest shoplifting rate per 1,000 residents",
        "Shoplifting offences per 1,000 residents, the year to December 2025, the five "
        "highest forces",
        ["14.6", "11.8", "10.6"],
    ),
}


@pytest.fixture(scope="module")
def answers():
    db = Database(ROOT / "data")
    return {kind: ask(question, db, TODAY)[0] for kind, (question, *_) in KINDS.items()}


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_chart_kind_has_its_finding_measure_source_and_labels(answers, kind):
    _, title, subtitle, values = KINDS[kind]
    answer = answers[kind]
    assert answer.chart == kind
    figure, _ = draw(answer)
    try:
        [axes] = figure.axes
        texts = [t for t in figure.texts if t.get_text()]
        heading, sub, foot = (flat(t.get_text()) for t in texts)
        assert (heading, sub) == (title, subtitle)
        assert texts[0].get_fontweight() == "bold"
        assert foot.startswith("Source: Home Office, police recorded crime open data")
        assert "23 April 2026 release" in foot
        assert "https://" not in foot  # a URL in a PNG cannot be clicked
        labels = [t.get_text() for t in axes.texts]
        assert all(value in labels or any(value in label for label in labels) for value in values)
        assert axes.get_legend() is None
        ticks = axes.get_xticklabels() + axes.get_yticklabels()
        assert all(t.get_rotation() == 0 for t in ticks)
        assert not any(line.get_visible() for line in axes.get_xgridlines())
        colours = {
            "#{:02X}{:02X}{:02X}".format(*(round(c * 255) for c in bar.get_facecolor()[:3]))
            for bar in axes.patches
        }
        assert colours <= set(PALETTE)
        width, height = figure.get_size_inches() * DPI
        assert width >= 1200 and width / height <= 2  # readable when Slack shrinks it
        sizes = [t.get_fontsize() for t in [*texts, *axes.texts, *ticks] if t.get_text()]
        assert min(sizes) >= 9  # 9 points at 1,280 pixels: legible in a 360-pixel preview
    finally:
        plt.close(figure)


def test_trend_gridlines_are_horizontal_and_light(answers):
    figure, _ = draw(answers["trend"])
    try:
        [axes] = figure.axes
        grid = [line for line in axes.get_ygridlines() if line.get_visible()]
        assert grid and all(line.get_color().upper() == "#DDDDDD" for line in grid)
    finally:
        plt.close(figure)


def test_alt_text_states_the_numbers(answers):
    alt = chart(answers["trend"]).alt_text
    assert alt.startswith(
        "Bar chart. Harassment offences recorded by Thames Valley Police hit a ten-year high."
    )
    for figure in ("2016: 2,630", "2024: 9,687", "2025: 11,059"):
        assert figure in alt
    comparison = chart(answers["comparison"]).alt_text
    assert "Metropolitan Police: 54,254 in the year to December 2024, 48,507 in the year to " in (
        comparison
    )
    assert "(\u221210.6%)" in comparison  # a true minus sign
    ranking = chart(answers["ranking"])
    assert "1. Cleveland Police: 14.6" in ranking.alt_text
    assert ranking.png.startswith(b"\x89PNG")


def test_trend_and_comparison_charts_are_pngs(answers):
    assert chart(answers["trend"]).png.startswith(b"\x89PNG")
    assert chart(answers["comparison"]).png.startswith(b"\x89PNG")
