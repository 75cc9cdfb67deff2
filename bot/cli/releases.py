"""`python -m bot releases [--check]`: what the clock's release watch has done (last check,
failures, the notes to channels), or (``--check``) look at the gov.uk page now, whatever the
date, load what is new and tell the subscribed channels, as the clock does in release weeks."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import logging
from pathlib import Path

from bot.cli.common import EXIT_ERROR, EXIT_OK, error
from bot.settings import Settings


def register(commands: argparse._SubParsersAction) -> None:
    watching = commands.add_parser(
        "releases", help="the release watch: what it did, or --check gov.uk for a release now"
    )
    watching.add_argument(
        "--check",
        action="store_true",
        help="check now (any week): load a new release and tell subscribed channels",
    )
    watching.add_argument("--data-dir", help="data directory (default $CRIMEBOT_DATA_DIR)")
    watching.add_argument("--page-url", default=None, help=argparse.SUPPRESS)
    watching.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    folder = Path(args.data_dir) if args.data_dir else settings.CRIMEBOT_DATA_DIR
    if folder is None:
        error(
            "set CRIMEBOT_DATA_DIR (or give --data-dir): releases are loaded there, the "
            "shipped data is read-only"
        )
        return EXIT_ERROR
    if not args.check:
        status(folder)
        return EXIT_OK
    from bot.ingest.release_watch import Status
    from bot.slack.release_watch import check

    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    settings = dataclasses.replace(
        settings,
        CRIMEBOT_DATA_DIR=folder,
        CRIMEBOT_RELEASE_PAGE_URL=args.page_url or settings.CRIMEBOT_RELEASE_PAGE_URL,
    )
    result = check(settings, dt.datetime.now(dt.UTC), None)
    assert result is not None  # a data directory is set
    for entry in result.loaded:
        print(f"Loaded {entry['release']}.")
    print(f"Release check: {result.status}{f' ({result.detail})' if result.detail else ''}.")
    status(folder)
    return EXIT_ERROR if result.status is Status.FAILED else EXIT_OK


def status(folder: Path) -> None:
    from bot.ingest.release_record import Delivery, read_record

    record = read_record(folder)
    print(f"Last checked: {record['last_check'] or 'never'}; {len(record['seen'])} files loaded.")
    for failure in record["failures"].values():
        print(f"Failing since {failure['at']}: {failure['error']}")
    for news in record["news"]:
        told = sum(1 for t in news["told"].values() if t["status"] == Delivery.POSTED)
        print(f"{news['key']}: told {told} of {len(news['to'])} channels")
