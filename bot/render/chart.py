"""Trend and comparison charts as PNG bytes: titled, labelled, with the source line."""

from __future__ import annotations

import io
import textwrap

import matplotlib

matplotlib.use("Agg")  # no display: charts are files for Slack
import matplotlib.pyplot as plt
from matplotlib.ticker import FuncFormatter

from bot.render.answer import Answer

_thousands = FuncFormatter(lambda value, _: f"{value:,.0f}")


def _short(period: str) -> str:
    """'the year to September 2014' -> 'Sep 2014'."""
    words = period.removeprefix("the year to ").split()
    return f"{words[0][:3]} {words[-1]}" if len(words) >= 2 else period


def chart_png(answer: Answer) -> bytes | None:
    """A chart for trend and comparison answers; None for anything else."""
    if answer.chart not in ("trend", "comparison") or not answer.series:
        return None
    figure, axes = plt.subplots(figsize=(9, 5), dpi=100)
    try:
        places = list(dict.fromkeys(p.place for p in answer.series))
        if answer.chart == "trend":
            points = [p for p in answer.series if p.place == places[0]]
            labels = [_short(p.period) for p in points]
            bars = axes.bar(labels, [p.value for p in points], color="#4a6fa5")
            bars[-1].set_color("#c0392b")
            axes.set_xlabel("Twelve months to")
        else:
            latest = {p.place: p for p in answer.series}
            axes.bar(places, [latest[p].value for p in places], color="#4a6fa5")
            axes.set_xlabel("Police force area")
        axes.set_ylabel("Offences recorded")
        axes.yaxis.set_major_formatter(_thousands)
        axes.set_title("\n".join(textwrap.wrap(answer.title, 70)), fontsize=12)
        axes.spines[["top", "right"]].set_visible(False)
        plt.setp(axes.get_xticklabels(), rotation=30, ha="right")
        source = answer.source.split(". Period:")[0]
        if answer.sample:
            source = "SAMPLE DATA, NOT OFFICIAL. " + source
        figure.text(0.01, 0.01, "\n".join(textwrap.wrap(source, 130)), fontsize=7, color="#555")
        figure.tight_layout(rect=(0, 0.07, 1, 1))
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        return buffer.getvalue()
    finally:
        plt.close(figure)
