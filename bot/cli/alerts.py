"""`python -m bot alerts`: post a revision alert in each thread (an answer's, or a digest's)
whose figures a newly loaded release revised, once per thread and release. The clock runs
it every tick too; running it again, or two at once, posts nothing twice."""

from __future__ import annotations

import argparse
from typing import Any

from bot.cli.common import EXIT_ERROR, EXIT_OK, data_dir, error, outcome_line


def register(commands: Any) -> None:  # argparse's subparsers action
    alerting = commands.add_parser(
        "alerts", help="say in each thread, once, where a new release revised its figures"
    )
    alerting.add_argument("--data-dir", help="parquet data directory (default data/)")
    alerting.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from bot.datastore.versions import DataMissing
    from bot.query.database import Database
    from bot.settings import MissingSetting, Settings
    from bot.slack.oauth import digest_client
    from bot.slack.replies.alerts import AlertOutcome, post_alerts
    from bot.state.store import State

    settings = Settings.from_env()
    state = State(settings.CRIMEBOT_STATE_URL)
    try:
        deliveries = post_alerts(state, digest_client(settings, state), Database(data_dir(args)))
    except (DataMissing, MissingSetting) as problem:
        error(problem)
        return EXIT_ERROR
    if not deliveries:
        print("No figure given in Slack has been revised since it was given.")
    for d in deliveries:
        print(outcome_line(f"{d.channel} thread {d.thread_ts}", d.outcome, d.ts, d.detail))
    failed = any(d.outcome is AlertOutcome.FAILED for d in deliveries)
    return EXIT_ERROR if failed else EXIT_OK
