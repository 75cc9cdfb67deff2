"""`python -m bot ask | story | ingest | serve | socket | digest | clock`: the command line.

Each command imports what it needs when it runs: answering a question must not pay for
pandas (ingest) or Bolt (Slack), which would double the time to the first answer.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from bot.settings import Settings

if TYPE_CHECKING:
    from bot.query.database import Database

EXIT_OK, EXIT_ERROR, EXIT_CLARIFY = 0, 1, 2


def _data_dir(args: argparse.Namespace) -> Path:
    return Path(args.data_dir) if args.data_dir else Settings.from_env().data_dir


def _service(run: Callable[[Settings], object]) -> int:
    """A long-running process: a missing setting or unusable data is one error message naming
    the fix, not a traceback."""
    from bot.datastore.versions import DataMissing
    from bot.settings import MissingSetting

    try:
        run(Settings.from_env())
    except (MissingSetting, DataMissing) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_ERROR
    return EXIT_OK


def _database(args: argparse.Namespace) -> Database | None:
    from bot.query.database import Database, DataMissing

    try:
        return Database(_data_dir(args))
    except DataMissing as error:
        print(f"error: {error}", file=sys.stderr)
        return None


def cmd_serve(args: argparse.Namespace) -> int:
    from bot.slack.server import serve

    return _service(lambda settings: serve(settings, host=args.host))


def cmd_socket(args: argparse.Namespace) -> int:
    from bot.slack.server import socket_mode

    logging.basicConfig(level=logging.INFO)
    return _service(socket_mode)


def cmd_ask(args: argparse.Namespace) -> int:
    from bot.answers.ask import ask

    db = _database(args)
    if db is None:
        return EXIT_ERROR
    today = dt.date.fromisoformat(args.today) if args.today else None
    question = " ".join(args.question)
    if question.strip().lower() in ("help", "--help-data", "what data"):
        from bot.render.releases import release_lines

        print("Loaded releases, newest first:")
        print("\n".join(f"  • {line}" for line in release_lines(db.manifest["releases"])))
    answer, _ = ask(question, db, today)
    if args.csv:
        from bot.render.csv_export import answer_csv

        if not answer.is_answer:  # no figures: the clarification, where a person reads it
            print(answer.plain_text(), file=sys.stderr)
            return EXIT_CLARIFY
        print(answer_csv(answer, db.manifest["releases"]), end="")
        return EXIT_OK
    if args.json:
        print(json.dumps(answer.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(answer.plain_text())
    return EXIT_OK if answer.is_answer else EXIT_CLARIFY


def cmd_story(args: argparse.Namespace) -> int:
    from bot.answers.ask import ask_story
    from bot.render.answer import Answer

    db = _database(args)
    if db is None:
        return EXIT_ERROR
    today = dt.date.fromisoformat(args.today) if args.today else None
    draft = ask_story(" ".join(args.question), db, today)
    print(draft.plain_text())
    return EXIT_CLARIFY if isinstance(draft, Answer) else EXIT_OK


def cmd_digest(args: argparse.Namespace) -> int:
    from bot.answers.digest import Outcome, local_now, preview
    from bot.parse import Clarification, places_in
    from bot.query.database import Database, DataMissing
    from bot.settings import MissingSetting
    from bot.state.store import State
    from bot.state.subscriptions import Subscriptions

    settings = Settings.from_env()
    data_dir = _data_dir(args)
    state = State(settings.CRIMEBOT_STATE_URL)
    now = dt.datetime.now(dt.UTC)
    today = local_now(now, settings.CRIMEBOT_TIMEZONE).date()
    try:
        if args.dry_run:
            patches: list[tuple[str | None, tuple[str, ...]]] = []
            if args.forces:
                places = places_in(args.forces)
                if isinstance(places, Clarification):
                    print(f"error: {places.message} {', '.join(places.suggestions)}".strip())
                    return EXIT_ERROR
                patches.append((None, tuple(f for p in places for f in p.forces)))
            else:
                patches += [
                    (s.channel, s.forces)
                    for s in Subscriptions(state).all()
                    if not args.channel or s.channel == args.channel
                ]
            if not patches:
                print(
                    "No channel has subscribed yet (in Slack: /crimestats subscribe Thames "
                    "Valley, Cumbria). Preview a patch with:\n"
                    "  python -m bot digest --dry-run --forces 'Thames Valley, Cumbria'"
                )
                return EXIT_OK
            db = Database(data_dir)
            for channel, forces in patches:
                if channel:
                    print(f"── #{channel} ──")
                print(preview(db, state, forces, today, channel), end="\n\n")
            return EXIT_OK
        if args.forces:
            print("error: --forces previews a patch: use it with --dry-run", file=sys.stderr)
            return EXIT_ERROR
        from bot.slack.digest_poster import Poster, run
        from bot.slack.oauth import digest_client

        poster = Poster(state, digest_client(settings, state), lambda: Database(data_dir))
        deliveries = run(
            poster, settings.CRIMEBOT_TIMEZONE, now, channel=args.channel, ignore_hour=args.now
        )
    except (DataMissing, MissingSetting) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_ERROR
    if not deliveries:
        print("No digest is due" + (f" for {args.channel}" if args.channel else "") + ".")
    for delivery in deliveries:
        detail = f" ({delivery.detail})" if delivery.detail else ""
        ts = f" ts {delivery.ts}" if delivery.ts else ""
        print(f"{delivery.channel}: {delivery.outcome}{ts}{detail}")
    return EXIT_ERROR if any(d.outcome is Outcome.FAILED for d in deliveries) else EXIT_OK


def cmd_clock(args: argparse.Namespace) -> int:
    from bot.slack.clock import start

    logging.basicConfig(level=logging.INFO)
    return _service(start)


def cmd_ingest(args: argparse.Namespace) -> int:
    from bot.datastore.versions import DataMissing

    data_dir = _data_dir(args)
    try:
        if args.rollback:
            if args.files or args.download or args.shipped:
                print("error: --rollback takes no files (run it, then ingest)", file=sys.stderr)
                return EXIT_ERROR
            return _rollback(data_dir)
        return _ingest(args, data_dir)
    except DataMissing as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_ERROR


def _rollback(data_dir: Path) -> int:
    """Make the previous version live again and say which, and which releases that drops."""
    from bot.datastore.manifest import read_manifest
    from bot.datastore.versions import DataMissing, rollback

    try:
        before = {entry["release"] for entry in read_manifest(data_dir)["releases"]}
    except DataMissing:  # the live version is damaged: what rollback is for
        before = set()
    left, now = rollback(data_dir)
    after = read_manifest(data_dir)["releases"]
    print(f"Rolled back {data_dir} from version {left} to version {now}.")
    dropped = sorted(before - {entry["release"] for entry in after})
    if dropped:
        print("No longer loaded: " + ", ".join(dropped))
    _report({"releases": after})
    return EXIT_OK


def _ingest(args: argparse.Namespace, data_dir: Path) -> int:
    from bot.ingest import IngestError, ingest

    release_date = dt.date.fromisoformat(args.release_date) if args.release_date else None
    try:
        if args.download:
            from bot.ingest.download import download_latest

            page_url = args.page_url or Settings.from_env().CRIMEBOT_RELEASE_PAGE_URL
            files = download_latest(page_url, Path(args.download_dir))
        elif args.shipped:
            _report(_shipped(data_dir))
            return EXIT_OK
        else:
            files = [Path(f) for f in args.files]
        if not files:
            print("error: give the release files to ingest (or --download)", file=sys.stderr)
            return EXIT_ERROR
        manifest = ingest(
            files,
            data_dir,
            release_date=release_date,
            sample=args.sample,
            processes=args.processes,
        )
    except IngestError as error:
        print(f"error: {error}", file=sys.stderr)
        print(f"Nothing was changed in {data_dir}.", file=sys.stderr)
        return EXIT_ERROR
    _report(manifest)
    return EXIT_OK


def _shipped(data_dir: Path) -> dict:
    """Rebuild the shipped dataset: in place in a plain directory (the repository's data/),
    as a new version in a versioned one (so the bot sees it, and --rollback undoes it)."""
    import tempfile

    from bot.datastore import versions as datastore
    from bot.ingest.shipped import build_shipped

    if datastore.live_version(data_dir) is None:
        return build_shipped(data_dir)
    with tempfile.TemporaryDirectory(prefix="crimebot-shipped-") as scratch:
        manifest = build_shipped(Path(scratch) / "data")
        datastore.publish(data_dir, Path(scratch) / "data")
    return manifest


def _report(manifest: dict) -> None:
    for entry in manifest["releases"]:
        for kind, table in entry["tables"].items():
            print(
                f"{entry['release']}: {kind} {table['rows']:,} rows, "
                f"{table['first_quarter']} to {table['last_quarter']}"
                + (" (SAMPLE)" if entry.get("sample") else "")
            )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="crimebot: exact, sourced police recorded crime figures for England and Wales.",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    ask = commands.add_parser("ask", help="answer a question from the data")
    ask.add_argument("question", nargs="+", help="e.g. charge rate harassment Thames Valley 2023")
    ask.add_argument(
        "--data-dir", help="parquet data directory (default $CRIMEBOT_DATA_DIR or data/)"
    )
    output = ask.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print the answer as JSON")
    output.add_argument(
        "--csv",
        action="store_true",
        help="print the figures behind the answer as CSV, with releases and revisions",
    )
    ask.add_argument("--today", help=argparse.SUPPRESS)
    ask.set_defaults(run=cmd_ask)

    story = commands.add_parser("story", help="draft a story: offence, place (and period)")
    story.add_argument("question", nargs="+", help="e.g. harassment Thames Valley")
    story.add_argument("--data-dir", help="parquet data directory (default data/)")
    story.add_argument("--today", help=argparse.SUPPRESS)
    story.set_defaults(run=cmd_story)

    digest = commands.add_parser(
        "digest", help="post the morning digest to subscribed channels whose hour has come"
    )
    digest.add_argument(
        "--dry-run", action="store_true", help="print the digests; post and record nothing"
    )
    digest.add_argument("--channel", help="only this channel (a Slack channel ID)")
    digest.add_argument(
        "--now", action="store_true", help="post now, whatever the hour (still once a day)"
    )
    digest.add_argument(
        "--forces", help="with --dry-run: preview a patch, e.g. 'Thames Valley, Cumbria'"
    )
    digest.add_argument("--data-dir", help="parquet data directory (default data/)")
    digest.set_defaults(run=cmd_digest)
    clock = commands.add_parser("clock", help="post digests on schedule (the Procfile's clock)")
    clock.set_defaults(run=cmd_clock)

    ingest = commands.add_parser("ingest", help="load official release files into the data")
    ingest.add_argument("files", nargs="*", help="ODS, XLSX or CSV release files")
    ingest.add_argument("--data-dir", help="parquet data directory (default data/)")
    ingest.add_argument("--release-date", help="publication date YYYY-MM-DD, if not in the name")
    ingest.add_argument("--sample", action="store_true", help="mark the rows as sample data")
    ingest.add_argument(
        "--download",
        action="store_true",
        help="fetch the latest release files from gov.uk, then ingest them",
    )
    ingest.add_argument("--page-url", default=None, help=argparse.SUPPRESS)
    ingest.add_argument(
        "--download-dir",
        default="raw-cache",
        help="where downloaded files are kept (default raw-cache/)",
    )
    ingest.add_argument(
        "--processes",
        type=int,
        default=None,
        help="files read side by side (default 1, the least memory: 2 loads a full "
        "release in 58 s instead of 72 s but peaks at 2.2 GB instead of 1.4 GB)",
    )
    ingest.add_argument(
        "--shipped",
        action="store_true",
        help="rebuild the shipped dataset from the real files in raw/",
    )
    ingest.add_argument(
        "--rollback",
        action="store_true",
        help="make the version before the last ingest live again (three are kept)",
    )
    ingest.set_defaults(run=cmd_ingest)
    serve = commands.add_parser("serve", help="run the Slack HTTP app (gunicorn) on $PORT")
    serve.add_argument("--host", default="0.0.0.0", help="address to bind (default all)")
    serve.set_defaults(run=cmd_serve)
    socket = commands.add_parser("socket", help="run the Slack app over Socket Mode (local dev)")
    socket.set_defaults(run=cmd_socket)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)
