"""`python -m bot digest`: post what is due to subscribed channels, or (``--dry-run``) print
what each would get, or what a patch of forces would get (``--dry-run --forces``)."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import TYPE_CHECKING

from bot.cli.common import EXIT_ERROR, EXIT_OK, data_dir, error, outcome_line
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.answers.digest import Delivery
    from bot.state.store import State

NO_SUBSCRIPTIONS = (
    "No channel has subscribed yet (in Slack: /crimestats subscribe Thames "
    "Valley, Cumbria). Preview a patch with:\n"
    "  python -m bot digest --dry-run --forces 'Thames Valley, Cumbria'"
)
Patch = tuple[str | None, tuple[str, ...]]  # a channel (None: a patch named on the command line)


def run(args: argparse.Namespace) -> int:
    from bot.answers.digest import local_now
    from bot.datastore.versions import DataMissing
    from bot.settings import MissingSetting
    from bot.state.store import State

    settings = Settings.from_env()
    state = State(settings.CRIMEBOT_STATE_URL)
    now = dt.datetime.now(dt.UTC)
    try:
        if args.dry_run:
            return dry_run(args, state, local_now(now, settings.CRIMEBOT_TIMEZONE).date())
        if args.forces:
            error("--forces previews a patch: use it with --dry-run")
            return EXIT_ERROR
        deliveries = post(args, settings, state, now)
    except (DataMissing, MissingSetting) as problem:
        error(problem)
        return EXIT_ERROR
    return report(deliveries, args.channel)


def dry_run(args: argparse.Namespace, state: State, today: dt.date) -> int:
    """Print each digest as it would be posted today; post and record nothing."""
    from bot.answers.digest import preview
    from bot.query.database import Database

    patches = patches_to_preview(args, state)
    if isinstance(patches, str):
        print(f"error: {patches}".strip())  # on stdout, as it always was
        return EXIT_ERROR
    if not patches:
        print(NO_SUBSCRIPTIONS)
        return EXIT_OK
    db = Database(data_dir(args))
    for channel, forces in patches:
        if channel:
            print(f"── #{channel} ──")
        print(preview(db, state, forces, today, channel), end="\n\n")
    return EXIT_OK


def patches_to_preview(args: argparse.Namespace, state: State) -> list[Patch] | str:
    """``--forces``' patch, or every subscribed channel's (``--channel``'s only); a string:
    the forces could not be read, and why."""
    from bot.parse import Clarification, places_in
    from bot.render.clarifications import clarification_text
    from bot.state.subscriptions import Subscriptions

    if args.forces:
        places = places_in(args.forces)
        if isinstance(places, Clarification):
            return f"{clarification_text(places)} {', '.join(places.suggestions)}"
        forces = dict.fromkeys(force for place in places for force in place.forces)
        return [(None, tuple(forces))]
    return [
        (subscription.channel, subscription.forces)
        for subscription in Subscriptions(state).all()
        if not args.channel or subscription.channel == args.channel
    ]


def post(
    args: argparse.Namespace, settings: Settings, state: State, now: dt.datetime
) -> list[Delivery]:
    from bot.query.database import Database
    from bot.slack.digest_poster import Poster, run
    from bot.slack.oauth import digest_client

    folder = data_dir(args)
    poster = Poster(state, digest_client(settings, state), lambda: Database(folder))
    return run(poster, settings.CRIMEBOT_TIMEZONE, now, channel=args.channel, ignore_hour=args.now)


def report(deliveries: list[Delivery], channel: str | None) -> int:
    """One line a channel; a failed post makes the exit status 1."""
    from bot.answers.digest import Outcome

    if not deliveries:
        print("No digest is due" + (f" for {channel}" if channel else "") + ".")
    for delivery in deliveries:
        print(outcome_line(delivery.channel, delivery.outcome, delivery.ts, delivery.detail))
    failed = any(delivery.outcome is Outcome.FAILED for delivery in deliveries)
    return EXIT_ERROR if failed else EXIT_OK
