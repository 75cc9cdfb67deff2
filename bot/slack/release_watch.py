"""The clock's release watch: look for a new Home Office release (``bot.answers.release_watch``),
then tell each channel subscribed when it was loaded, once.

A note is claimed in the watch record before it is posted, so two clocks never both post it;
a post whose connection was lost is left claimed and never sent again (a missed note costs
little: the next digest leads with the new release; a doubled one is noise in a newsroom).
"""

from __future__ import annotations

import datetime as dt
import http.client
import logging
from pathlib import Path

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.answers.release_watch import Note, claim, notes_to_post, told, watch
from bot.ingest.release_record import Delivery, Told
from bot.ingest.release_watch import Check
from bot.settings import MissingSetting, Settings
from bot.slack.digest_poster import without_blind_retries
from bot.state.store import State

log = logging.getLogger(__name__)
NOTE_EVENT = "crimebot_release_note"  # message metadata: which note a message is


def check(settings: Settings, now: dt.datetime, every: dt.timedelta | None) -> Check | None:
    """Look for a release and tell the channels; None when there is no data directory to load
    into (the shipped data is read-only)."""
    if settings.CRIMEBOT_DATA_DIR is None:
        return None
    with State(settings.CRIMEBOT_STATE_URL) as state:
        result = watch(
            settings.CRIMEBOT_DATA_DIR,
            settings.CRIMEBOT_RELEASE_PAGE_URL or None,
            now,
            settings.CRIMEBOT_TIMEZONE,
            every,
            state,
        )
        if notes_to_post(settings.CRIMEBOT_DATA_DIR):
            try:
                from bot.slack.oauth import digest_client

                client = digest_client(settings, state)
            except MissingSetting as problem:
                log.warning("release notes not posted: %s", problem)
                return result
            tell(settings.CRIMEBOT_DATA_DIR, client)
    return result


def tick(settings: Settings, now: dt.datetime) -> None:
    """The clock's call: in release weeks, at most every CRIMEBOT_RELEASE_CHECK_HOURS."""
    every = dt.timedelta(hours=settings.CRIMEBOT_RELEASE_CHECK_HOURS)
    try:
        result = check(settings, now, every)
    except Exception:  # the digests' clock must keep ticking whatever a check does
        log.exception("release watch failed")
        return
    if result is not None and result.loaded:
        log.info("release watch loaded %s", ", ".join(e["release"] for e in result.loaded))


def tell(data_dir: Path, client: WebClient) -> list[tuple[Note, Told]]:
    """Post every note owed; (note, ts or why not) for each this run posted or tried."""
    posting = without_blind_retries(client)
    done = []
    for note in notes_to_post(data_dir):
        if not claim(data_dir, note):
            continue
        outcome = _post(posting, note)
        told(data_dir, note, outcome)
        done.append((note, outcome))
    return done


def _post(client: WebClient, note: Note) -> Told:
    try:
        response = client.chat_postMessage(
            channel=note.channel,
            text=note.text,
            unfurl_links=False,
            metadata={"event_type": NOTE_EVENT, "event_payload": {"release": note.key}},
        )
    except SlackApiError as error:
        reason = str(error.response.get("error") or error)
        log.error("release note for %s was refused: %s", note.channel, reason)
        return Told(status=Delivery.FAILED, ts="", reason=reason)
    except (OSError, http.client.HTTPException) as error:
        log.warning("release note for %s: connection lost while posting (%r)", note.channel, error)
        return Told(status=Delivery.UNKNOWN, ts="", reason="connection lost while posting")
    return Told(status=Delivery.POSTED, ts=str(response["ts"]), reason="")
