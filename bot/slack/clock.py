"""The clock process (`python -m bot clock`, the Procfile's `clock:` line): every few minutes,
post the digests that are due, in release weeks look for a new Home Office release
(``bot.slack.release_watch``, at most every CRIMEBOT_RELEASE_CHECK_HOURS), and tell threads
whose figures a newer release revised. Each tick is a plain
``run``, so a missed tick, a restart or a second clock only means a later tick posts (once)
what an earlier one did not. A tick that loads a release runs as long as the ingest (a minute
or two for a full release, once a quarter): the ticks it overlaps are coalesced into one."""

from __future__ import annotations

import datetime as dt
import logging

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger

from bot.query.database import Database
from bot.settings import Settings
from bot.slack import release_watch
from bot.slack.digest_poster import Poster, run
from bot.state.store import State

log = logging.getLogger(__name__)
TICK = "*/5"  # minutes: a digest set for 07:30 goes out by 07:35


def tick(settings: Settings) -> None:
    """One job per call: the digests first (a release being loaded must not hold them up)."""
    now = dt.datetime.now(dt.UTC)
    post_digests(settings, now)
    release_watch.tick(settings, now)
    post_revision_alerts(settings)


def post_digests(settings: Settings, now: dt.datetime) -> None:
    from bot.slack.oauth import digest_client

    with State(settings.CRIMEBOT_STATE_URL) as state:
        poster = Poster(
            state,
            digest_client(settings, state),  # each channel's workspace's token in OAuth mode
            lambda: Database(settings.data_dir),  # fresh each tick: picks up a new ingest
        )
        for delivery in run(poster, settings.CRIMEBOT_TIMEZONE, now):
            log.info("digest %s: %s %s", delivery.channel, delivery.outcome, delivery.detail)


def post_revision_alerts(settings: Settings) -> None:
    """Threads told a figure a newer release revised hear so, once (one query when nothing
    new is loaded)."""
    from bot.slack.oauth import digest_client
    from bot.slack.replies.alerts import post_alerts

    with State(settings.CRIMEBOT_STATE_URL) as state:
        try:
            client = digest_client(settings, state)
            alerts = post_alerts(state, client, Database(settings.data_dir))
        except Exception:  # the next tick tries again; the digests must keep going
            log.exception("revision alerts failed")
            return
    for alert in alerts:
        log.info(
            "revision alert %s %s: %s %s",
            alert.channel,
            alert.thread_ts,
            alert.outcome,
            alert.detail,
        )


def start(settings: Settings) -> None:
    settings.require_digest()
    scheduler = BlockingScheduler(timezone=settings.CRIMEBOT_TIMEZONE)
    scheduler.add_job(
        tick,
        CronTrigger(minute=TICK, timezone=settings.CRIMEBOT_TIMEZONE),
        args=[settings],
        max_instances=1,
        coalesce=True,
        misfire_grace_time=240,
        next_run_time=dt.datetime.now(dt.UTC),  # and once at start: catch up after a restart
    )
    log.info("digest clock started: every 5 minutes, %s", settings.CRIMEBOT_TIMEZONE)
    if settings.CRIMEBOT_DATA_DIR is None:
        log.warning("new releases are not watched: CRIMEBOT_DATA_DIR is not set")
    scheduler.start()
