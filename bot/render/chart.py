"""Charts fit to publish: trend, comparison and ranking answers as PNG bytes, with alt text.

What a newsroom graphics desk asks of a chart, and how: a title that states the finding (not
"Harassment, 2016-2025" but "… hit a ten-year high"); a subtitle with the measure and the
period; the source and its release date in the footer; horizontal labels; light horizontal
gridlines only; values labelled on the bars instead of a legend; Okabe-Ito colours, which
colour-blind readers tell apart; type large enough to read at Slack's preview size (about
360 pixels wide); and alt text that states the numbers for readers who cannot see it.
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")  # no display: charts are files for Slack
import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure as MplFigure

from bot.render import numbers as num
from bot.render.answer import Answer, Figure, SeriesPoint
from bot.render.chart_words import (
    ChartWords,
    comparison_words,
    first_place_points,
    ranking_words,
    short_period,
    trend_words,
    value_text,
    year_of,
)

# Okabe-Ito: safe for the common colour-vision deficiencies, and apart in lightness too.
LATEST = "#0072B2"  # blue: the figure the story is about
EARLIER = "#56B4E9"  # sky blue: the years or year before it
INK = "#222222"
MUTED = "#555555"
GRID = "#DDDDDD"
PALETTE = (LATEST, EARLIER)
KINDS = ("trend", "comparison", "ranking")
SIZE = (8, 4.8)  # inches: 1,280 x 768 pixels at DPI, a 5:3 Slack preview
DPI = 160
TITLE_SIZE, SUBTITLE_SIZE, LABEL_SIZE, FOOTER_SIZE = 17, 12.5, 12, 9.5
TITLE_WIDTH, SUBTITLE_WIDTH, FOOTER_WIDTH = 52, 72, 112  # characters a line, at these sizes


@dataclass(frozen=True)
class Chart:
    """A chart and the words that go with it."""

    kind: str  # trend | comparison | ranking
    title: str  # the finding
    subtitle: str  # the measure and the period
    footer: str  # source, release and date
    alt_text: str  # the numbers, for a screen reader
    png: bytes


def chart(answer: Answer) -> Chart | None:
    """The answer's chart, drawn, with its title, subtitle, footer and alt text."""
    drawn = draw(answer)
    if drawn is None:
        return None
    figure, words = drawn
    try:
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=DPI)
    finally:
        plt.close(figure)
    return Chart(answer.chart, *words, buffer.getvalue())


def draw(answer: Answer) -> tuple[MplFigure, ChartWords] | None:
    """The figure, not yet saved (tests read its texts), and (title, subtitle, footer, alt)."""
    if not answer.is_answer or answer.chart not in KINDS:
        return None
    if answer.chart == "ranking":
        ranked = [f for f in answer.figures if f.label[:1].isdigit()]
        if not ranked:
            return None
        words = ranking_words(answer, ranked)
    elif not answer.series:
        return None
    elif answer.chart == "trend":
        words = trend_words(answer)
    else:
        words = comparison_words(answer)
    figure, axes = plt.subplots(figsize=SIZE)
    try:
        if answer.chart == "trend":
            _draw_trend(axes, first_place_points(answer))
        elif answer.chart == "comparison":
            _draw_comparison(axes, answer.series)
        else:
            _draw_ranking(axes, ranked)
        _frame(figure, axes, *words[:3], sample=answer.sample)
    except Exception:
        plt.close(figure)
        raise
    return figure, words


# --- drawing -----------------------------------------------------------------------------


def _draw_trend(axes: Axes, points: list[SeriesPoint]) -> None:
    values = [p.value for p in points]
    colours = [EARLIER] * (len(points) - 1) + [LATEST]
    bars = axes.bar([year_of(p) for p in points], values, color=colours, width=0.7)
    # Direct labels: the first, the latest and the peak, not all ten (they would crowd).
    peak = max(range(len(values) - 1), key=values.__getitem__) if len(values) > 1 else 0
    for index in sorted({0, peak, len(values) - 1}):
        bar = bars[index]
        axes.annotate(
            num.count(values[index]),
            (bar.get_x() + bar.get_width() / 2, bar.get_height()),
            xytext=(0, 4),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=LABEL_SIZE,
            fontweight="bold" if index == len(values) - 1 else "normal",
            color=INK,
        )
    axes.margins(y=0.15)
    _value_axis(axes.yaxis)
    axes.yaxis.grid(True, color=GRID, linewidth=0.8)


def _draw_comparison(axes: Axes, series: list[SeriesPoint]) -> None:
    """Horizontal bars, two per place (the year before, then the latest), each labelled with
    its value and year: a legend would send the reader's eye back and forth."""
    places = list(dict.fromkeys(p.place for p in series))
    rows, labels, values, colours = [], [], [], []
    for number, place in enumerate(places):
        points = [p for p in series if p.place == place][-2:]
        for offset, point in enumerate(points):
            rows.append(number * 3 + offset)
            latest = offset == len(points) - 1
            values.append(point.value)
            colours.append(LATEST if latest else EARLIER)
            labels.append(f"{num.count(point.value)}  ({short_period(point)})")
    axes.barh(rows, values, color=colours, height=0.9)
    for row, value, label in zip(rows, values, labels, strict=True):
        axes.annotate(
            label,
            (value, row),
            xytext=(5, 0),
            textcoords="offset points",
            va="center",
            fontsize=LABEL_SIZE - 1,
            color=INK,
        )
    axes.set_yticks([number * 3 + 0.5 for number in range(len(places))], places)
    axes.invert_yaxis()
    axes.set_xlim(0, max(values) * 1.7)
    axes.xaxis.set_visible(False)
    axes.yaxis.grid(False)
    axes.tick_params(axis="y", length=0, labelsize=LABEL_SIZE)


def _draw_ranking(axes: Axes, ranked: list[Figure]) -> None:
    values = [float(f.value) for f in ranked]
    colours = [LATEST] + [EARLIER] * (len(ranked) - 1)
    rows = range(len(ranked))
    axes.barh(rows, values, color=colours, height=0.7)
    for row, figure in zip(rows, ranked, strict=True):
        axes.annotate(
            value_text(figure),
            (float(figure.value), row),
            xytext=(5, 0),
            textcoords="offset points",
            va="center",
            fontsize=LABEL_SIZE,
            color=INK,
        )
    axes.set_yticks(list(rows), [f.label for f in ranked])
    axes.invert_yaxis()
    axes.set_xlim(0, max(values) * 1.2)
    axes.xaxis.set_visible(False)
    axes.tick_params(axis="y", length=0, labelsize=LABEL_SIZE)


def _value_axis(axis) -> None:
    axis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))


def _frame(
    figure: MplFigure, axes: Axes, title: str, subtitle: str, note: str, sample: bool
) -> None:
    """Title and subtitle top left, source bottom left, no box, no legend, labels level."""
    figure.text(
        0.02, 0.97, "\n".join(textwrap.wrap(title, TITLE_WIDTH)), fontsize=TITLE_SIZE,
        fontweight="bold", color=INK, va="top", ha="left",
    )  # fmt: skip
    lines = len(textwrap.wrap(title, TITLE_WIDTH))
    top = 0.97 - 0.075 * lines
    subtitle_lines = textwrap.wrap(subtitle, SUBTITLE_WIDTH)
    figure.text(
        0.02, top, "\n".join(subtitle_lines), fontsize=SUBTITLE_SIZE, color=MUTED,
        va="top", ha="left",
    )  # fmt: skip
    top -= 0.055 * (len(subtitle_lines) - 1)
    if sample:
        note = "SAMPLE DATA, NOT OFFICIAL. " + note
    footer_lines = textwrap.wrap(note, FOOTER_WIDTH)
    figure.text(
        0.02, 0.02, "\n".join(footer_lines), fontsize=FOOTER_SIZE, color=MUTED,
        va="bottom", ha="left",
    )  # fmt: skip
    axes.spines[["top", "right", "left"]].set_visible(False)
    axes.spines["bottom"].set_color(MUTED)
    axes.xaxis.grid(False)
    axes.set_axisbelow(True)
    axes.tick_params(axis="both", labelsize=LABEL_SIZE, colors=INK, labelrotation=0)
    axes.tick_params(axis="y", length=0)
    bottom = 0.05 + 0.035 * len(footer_lines)
    figure.subplots_adjust(left=0.08, right=0.97, top=top - 0.07, bottom=bottom + 0.05)
    if axes.get_yticklabels() and axes.yaxis.get_visible():
        labels = [t.get_text() for t in axes.get_yticklabels()]
        longest = max((len(label) for label in labels), default=0)
        if longest > 8:  # place names on a horizontal bar chart need room on the left
            figure.subplots_adjust(left=min(0.45, 0.02 + longest * 0.0115))
