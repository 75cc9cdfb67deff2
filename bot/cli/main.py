"""`python -m bot ask | story | ingest | serve | socket | digest | clock`: the command line,
wired here; each command is its own module in ``bot.cli`` with a ``run(args)``.

Each command imports what it needs when it runs: answering a question must not pay for
pandas (ingest) or Bolt (Slack), which would double the time to the first answer.
"""

from __future__ import annotations

import argparse
import os
import sys

from bot.cli import alerts, ask, clock, digest, ingest, releases, serve, socket_mode, story
from bot.cli.common import EXIT_CLARIFY, EXIT_ERROR, EXIT_OK, house_style

__all__ = ["EXIT_CLARIFY", "EXIT_ERROR", "EXIT_OK", "build_parser", "main"]

Commands = argparse._SubParsersAction  # what add_subparsers returns


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="crimebot: exact, sourced police recorded crime figures for England and Wales.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    _ask(commands)
    _story(commands)
    _digest(commands)
    alerts.register(commands)
    clocking = commands.add_parser("clock", help="post digests on schedule (the Procfile's clock)")
    clocking.set_defaults(run=clock.run)
    _ingest(commands)
    releases.register(commands)
    serving = commands.add_parser("serve", help="run the Slack HTTP app (gunicorn) on $PORT")
    serving.add_argument("--host", default="0.0.0.0", help="address to bind (default all)")
    serving.set_defaults(run=serve.run)
    socket = commands.add_parser("socket", help="run the Slack app over Socket Mode (local dev)")
    socket.set_defaults(run=socket_mode.run)
    return parser


def _ask(commands: Commands) -> None:
    asking = commands.add_parser("ask", help="answer a question from the data")
    asking.add_argument(
        "question", nargs="+", help="e.g. charge rate harassment Thames Valley 2023"
    )
    asking.add_argument(
        "--data-dir", help="parquet data directory (default $CRIMEBOT_DATA_DIR or data/)"
    )
    output = asking.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print the answer as JSON")
    output.add_argument(
        "--csv",
        action="store_true",
        help="print the figures behind the answer as CSV, with releases and revisions",
    )
    asking.add_argument("--today", help=argparse.SUPPRESS)
    asking.set_defaults(run=ask.run)


def _story(commands: Commands) -> None:
    drafting = commands.add_parser("story", help="draft a story: offence, place (and period)")
    drafting.add_argument("question", nargs="+", help="e.g. harassment Thames Valley")
    drafting.add_argument("--data-dir", help="parquet data directory (default data/)")
    drafting.add_argument("--today", help=argparse.SUPPRESS)
    drafting.set_defaults(run=story.run)


def _digest(commands: Commands) -> None:
    posting = commands.add_parser(
        "digest", help="post the morning digest to subscribed channels whose hour has come"
    )
    posting.add_argument(
        "--dry-run", action="store_true", help="print the digests; post and record nothing"
    )
    posting.add_argument("--channel", help="only this channel (a Slack channel ID)")
    posting.add_argument(
        "--now", action="store_true", help="post now, whatever the hour (still once a day)"
    )
    posting.add_argument(
        "--forces", help="with --dry-run: preview a patch, e.g. 'Thames Valley, Cumbria'"
    )
    posting.add_argument("--data-dir", help="parquet data directory (default data/)")
    posting.set_defaults(run=digest.run)


def _ingest(commands: Commands) -> None:
    loading = commands.add_parser("ingest", help="load official release files into the data")
    loading.add_argument("files", nargs="*", help="ODS, XLSX or CSV release files")
    loading.add_argument("--data-dir", help="parquet data directory (default data/)")
    loading.add_argument("--release-date", help="publication date YYYY-MM-DD, if not in the name")
    loading.add_argument("--sample", action="store_true", help="mark the rows as sample data")
    loading.add_argument(
        "--download",
        action="store_true",
        help="fetch the latest release files from gov.uk, then ingest them",
    )
    loading.add_argument("--page-url", default=None, help=argparse.SUPPRESS)
    loading.add_argument(
        "--download-dir",
        default="raw-cache",
        help="where downloaded files are kept (default raw-cache/)",
    )
    loading.add_argument(
        "--processes",
        type=int,
        default=None,
        help="files read side by side (default 1, the least memory: 2 loads a full "
        "release in 58 s instead of 72 s but peaks at 2.2 GB instead of 1.4 GB)",
    )
    loading.add_argument(
        "--shipped",
        action="store_true",
        help="rebuild the shipped dataset from the real files in raw/",
    )
    loading.add_argument(
        "--rollback",
        action="store_true",
        help="make the version before the last ingest live again (three are kept)",
    )
    loading.set_defaults(run=ingest.run)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if not house_style():
        return EXIT_ERROR
    try:
        return args.run(args)
    except BrokenPipeError:  # `python -m bot ask … | head`: the reader has gone, quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
