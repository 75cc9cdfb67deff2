"""Regenerate the samples in this folder from the shipped data:
`python docs/examples/make_examples.py`.

Nothing here is hand-edited: each file is what crimebot prints or draws for the real
April 2026 release (the year to December 2025).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

from bot.answers.ask import ask  # noqa: E402
from bot.answers.story import ask_story  # noqa: E402
from bot.query.database import Database  # noqa: E402
from bot.query.leads.compose import compose  # noqa: E402
from bot.render.chart import chart  # noqa: E402
from bot.render.csv_export import answer_csv  # noqa: E402
from bot.render.digest import digest_text  # noqa: E402

DAY = dt.date(2026, 11, 30)
PATCH = ["Thames Valley", "Cumbria", "Kent"]
CHARTS = {
    "chart-trend": "harassment trend Thames Valley",
    "chart-comparison": "compare burglary in the Met and GMP",
    "chart-ranking": "which force has the most shoplifting per head",
}


def main() -> None:
    db = Database(ROOT / "data")
    alt = []
    for name, question in CHARTS.items():
        answer, _ = ask(question, db, DAY)
        drawn = chart(answer)
        assert drawn is not None, question
        (HERE / f"{name}.png").write_bytes(drawn.png)
        alt.append(f"{name}.png ({question!r})\n  title: {drawn.title}\n  alt: {drawn.alt_text}")
    (HERE / "chart-alt-text.txt").write_text("\n\n".join(alt) + "\n")
    (HERE / "digest.txt").write_text(digest_text(compose(db, PATCH, DAY)) + "\n")
    # A channel whose last digest was built on the October 2023 release alone: the April 2026
    # release is new to it, so the digest opens with it.
    releases = [entry["release"] for entry in db.manifest["releases"]]
    older = [r for r in releases if not r.startswith("prc-pfa-mar2013-onwards-tables-230426")]
    new_release = compose(db, PATCH, DAY, seen_releases=older)
    (HERE / "digest-new-release.txt").write_text(digest_text(new_release) + "\n")
    story = ask_story("story harassment Thames Valley", db, DAY)
    (HERE / "story.txt").write_text(story.plain_text() + "\n")
    answer, _ = ask("harassment Thames Valley year to June 2023", db, DAY)
    (HERE / "answer.csv").write_text(answer_csv(answer, db.manifest["releases"]))


if __name__ == "__main__":
    main()
