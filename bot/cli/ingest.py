"""`python -m bot ingest FILE... | --download | --shipped | --rollback`: official release files
into the data directory, a whole new version at a time."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from bot.cli.common import EXIT_ERROR, EXIT_OK, error
from bot.datastore.manifest import Manifest
from bot.settings import ROOT, SHIPPED_DATA, Settings


def run(args: argparse.Namespace) -> int:
    from bot.datastore.versions import DataMissing

    folder = writable_dir(args)
    if folder is None:
        error(
            f"the shipped data ({SHIPPED_DATA}) is read-only: set CRIMEBOT_DATA_DIR (or give "
            "--data-dir) to the directory ingest should write; it starts from the shipped data"
        )
        return EXIT_ERROR
    try:
        if args.rollback:
            if args.files or args.download or args.shipped:
                error("--rollback takes no files (run it, then ingest)")
                return EXIT_ERROR
            return rollback(folder)
        return ingest(args, folder)
    except DataMissing as problem:
        error(problem)
        return EXIT_ERROR


def writable_dir(args: argparse.Namespace) -> Path | None:
    """Where this ingest writes: --data-dir as given; CRIMEBOT_DATA_DIR, seeded with the
    shipped data the first time; the shipped data itself only to rebuild it from raw/ in a
    source checkout. None: nowhere it may write."""
    from bot.datastore import versions as datastore

    if args.data_dir:
        return Path(args.data_dir)
    configured = Settings.from_env().CRIMEBOT_DATA_DIR
    if configured is None:
        checkout = SHIPPED_DATA == ROOT / "data" and (ROOT / "raw").is_dir()
        return SHIPPED_DATA if args.shipped and checkout else None
    empty = (
        datastore.live_version(configured) is None and not (configured / "manifest.json").exists()
    )
    if empty and not (args.shipped or args.rollback):
        configured.mkdir(parents=True, exist_ok=True)
        datastore.publish(configured, SHIPPED_DATA)
    return configured


def rollback(folder: Path) -> int:
    """Make the previous version live again and say which, and which releases that drops."""
    from bot.datastore.manifest import read_manifest
    from bot.datastore.versions import DataMissing
    from bot.datastore.versions import rollback as roll_back

    try:
        before = {entry["release"] for entry in read_manifest(folder)["releases"]}
    except DataMissing:  # the live version is damaged: what rollback is for
        before = set()
    left, now = roll_back(folder)
    after = read_manifest(folder)["releases"]
    print(f"Rolled back {folder} from version {left} to version {now}.")
    dropped = sorted(before - {entry["release"] for entry in after})
    if dropped:
        print("No longer loaded: " + ", ".join(dropped))
    report({"releases": after})
    return EXIT_OK


def ingest(args: argparse.Namespace, folder: Path) -> int:
    from bot.ingest import IngestError
    from bot.ingest import ingest as load

    release_date = dt.date.fromisoformat(args.release_date) if args.release_date else None
    try:
        if args.shipped and not args.download:
            report(shipped(folder))
            return EXIT_OK
        files = release_files(args)
        if not files:
            error("give the release files to ingest (or --download)")
            return EXIT_ERROR
        manifest = load(
            files,
            folder,
            release_date=release_date,
            sample=args.sample,
            processes=args.processes,
        )
    except IngestError as problem:
        error(problem)
        print(f"Nothing was changed in {folder}.", file=sys.stderr)
        return EXIT_ERROR
    report(manifest)
    return EXIT_OK


def release_files(args: argparse.Namespace) -> list[Path]:
    """The files named, or (``--download``) the latest ones fetched from gov.uk."""
    if args.download:
        from bot.ingest.download import download_latest

        page_url = args.page_url or Settings.from_env().CRIMEBOT_RELEASE_PAGE_URL
        return download_latest(page_url, Path(args.download_dir))
    return [Path(f) for f in args.files]


def shipped(folder: Path) -> Manifest:
    """Rebuild the shipped dataset: in place in a plain directory (the repository's data/),
    as a new version in a versioned one (so the bot sees it, and --rollback undoes it)."""
    import tempfile

    from bot.datastore import versions as datastore
    from bot.ingest.shipped import build_shipped

    if datastore.live_version(folder) is None:
        return build_shipped(folder)
    with tempfile.TemporaryDirectory(prefix="crimebot-shipped-") as scratch:
        manifest = build_shipped(Path(scratch) / "data")
        datastore.publish(folder, Path(scratch) / "data")
    return manifest


def report(manifest: Manifest) -> None:
    for entry in manifest["releases"]:
        for kind, table in entry["tables"].items():
            print(
                f"{entry['release']}: {kind} {table['rows']:,} rows, "
                f"{table['first_quarter']} to {table['last_quarter']}"
                + (" (SAMPLE)" if entry.get("sample") else "")
            )
