"""What every command shares: exit statuses, the data directory, and error messages in place
of tracebacks."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from bot.settings import Settings

if TYPE_CHECKING:
    from bot.query.database import Database

EXIT_OK, EXIT_ERROR, EXIT_CLARIFY = 0, 1, 2


def data_dir(args: argparse.Namespace) -> Path:
    return Path(args.data_dir) if args.data_dir else Settings.from_env().data_dir


def today(args: argparse.Namespace) -> dt.date | None:
    """``--today`` (hidden: tests pin the day), else None for the real one."""
    return dt.date.fromisoformat(args.today) if args.today else None


def error(message: object) -> None:
    print(f"error: {message}", file=sys.stderr)


def service(run: Callable[[Settings], object]) -> int:
    """A long-running process: a missing setting or unusable data is one error message naming
    the fix, not a traceback."""
    from bot.datastore.versions import DataMissing
    from bot.settings import MissingSetting

    try:
        run(Settings.from_env())
    except (MissingSetting, DataMissing) as problem:
        error(problem)
        return EXIT_ERROR
    return EXIT_OK


def database(args: argparse.Namespace) -> Database | None:
    """The data, or None after saying why it cannot be read."""
    from bot.datastore.versions import DataMissing
    from bot.query.database import Database

    try:
        return Database(data_dir(args))
    except DataMissing as problem:
        error(problem)
        return None


def house_style() -> bool:
    """The newsroom's percent style (CRIMEBOT_PERCENT_STYLE), set once for every reply this
    process renders; False after saying why a setting cannot be read."""
    from bot.render.style import use_house_style
    from bot.settings import MissingSetting

    try:
        use_house_style(Settings.from_env().CRIMEBOT_PERCENT_STYLE)
    except MissingSetting as problem:
        error(problem)
        return False
    return True


def outcome_line(where: str, outcome: object, ts: str | None, detail: str) -> str:
    """One post a command made: 'C1: posted ts 200.1 (why)'."""
    return f"{where}: {outcome}" + (f" ts {ts}" if ts else "") + (f" ({detail})" if detail else "")
