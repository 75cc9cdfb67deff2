"""The revision alert a thread gets when a newer release changes a figure it was given:
"The Home Office has revised this: 9,728, not 9,632 (…)". Said once per thread and release."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

from bot.render.answer import Figure
from bot.render.releases import release_phrase

MAX_LISTED = 8  # figures listed in one alert; the rest are counted


@dataclasses.dataclass(frozen=True)
class Revised:
    """A figure as the thread was told it (``old``), and as the newer release has it."""

    now: Figure
    old: int | float

    def old_shown(self) -> str:
        return dataclasses.replace(self.now, value=self.old).shown()


def revision_alert(revised: Sequence[Revised], release: str, published: dt.date | None) -> str:
    """One message for a thread: each revised figure, new value first, with its place,
    offence and period, and the release that revised it."""
    where = release_phrase(release, published)
    if len(revised) == 1:
        [one] = revised
        return (
            f"The Home Office has revised this: {one.now.shown()}, not {one.old_shown()} "
            f"({one.now.label}; {where})."
        )
    lines = [f"The Home Office has revised these figures in {where}:"]
    lines += [
        f"• {r.now.label}: {r.now.shown()}, not {r.old_shown()}" for r in revised[:MAX_LISTED]
    ]
    more = len(revised) - MAX_LISTED
    if more > 0:
        lines.append(f"… and {more} more figure{'s' if more > 1 else ''} given in this thread.")
    return "\n".join(lines)
