"""Post the revision alerts: once a newer release revises a figure a thread was given, say so
once in that thread ("The Home Office has revised this: 9,728, not 9,632 …").

`python -m bot alerts` and the clock call ``post_alerts``: safe to call as often as you like,
from as many processes as you like (each alert is claimed in the state database before it is
posted; see ``bot.state.alert_claims``). With no new data loaded it reads one query's rows
and returns.
"""

from __future__ import annotations

import http.client
import logging
from dataclasses import dataclass
from enum import StrEnum

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.answers.alerts import ThreadAlert, find_alerts
from bot.query.database import Database
from bot.slack.digest_poster import without_blind_retries
from bot.state.alert_claims import AlertClaims, AlertStatus
from bot.state.store import State
from bot.state.told import Told

log = logging.getLogger(__name__)
ALERT_EVENT = "crimebot_revision"  # message metadata: marks a revision alert in a thread


class AlertOutcome(StrEnum):
    POSTED = "posted"
    SKIPPED = "skipped"  # another run has it, or it is done
    FAILED = "failed"  # Slack refused it: not tried again
    UNKNOWN = "unknown"  # the connection went while posting: never posted again


@dataclass(frozen=True)
class AlertDelivery:
    channel: str
    thread_ts: str
    outcome: AlertOutcome
    ts: str | None = None
    detail: str = ""


def post_alerts(state: State, client: WebClient, db: Database) -> list[AlertDelivery]:
    """Post every thread's alert for the data now loaded, each once."""
    alerts, version = find_alerts(state, db)
    claims, told = AlertClaims(state), Told(state)
    posting_client = without_blind_retries(client)  # a post lost in transit is not resent
    done = []
    for alert in alerts:
        try:
            done.append(_deliver(alert, version, claims, told, posting_client))
        except Exception as error:  # one thread's failure must not stop the others
            log.exception("revision alert for %s %s failed", alert.channel, alert.thread_ts)
            done.append(
                AlertDelivery(alert.channel, alert.thread_ts, AlertOutcome.FAILED, None, str(error))
            )
    return done


def _deliver(
    alert: ThreadAlert, version: str, claims: AlertClaims, told: Told, client: WebClient
) -> AlertDelivery:
    channel, thread_ts = alert.channel, alert.thread_ts
    claim = claims.claim(channel, thread_ts, alert.release)
    if claim is None:
        if claims.status(channel, thread_ts, alert.release) is not AlertStatus.CLAIMED:
            told.mark_checked(alert.rows, version)  # said, or being said: nothing to check
        return AlertDelivery(channel, thread_ts, AlertOutcome.SKIPPED)
    text = alert.text
    claims.posting(claim, text)
    try:
        response = client.chat_postMessage(
            channel=channel,
            thread_ts=thread_ts,
            text=text,
            unfurl_links=False,
            metadata={"event_type": ALERT_EVENT, "event_payload": {"release": alert.release}},
        )
    except SlackApiError as error:
        reason = str(error.response.get("error") or error)
        log.error("revision alert for %s %s was refused: %s", channel, thread_ts, reason)
        claims.failed(claim, reason)
        told.mark_checked(alert.rows, version)
        return AlertDelivery(channel, thread_ts, AlertOutcome.FAILED, None, reason)
    except (OSError, http.client.HTTPException) as error:
        log.warning("revision alert for %s %s: connection lost (%r)", channel, thread_ts, error)
        told.mark_checked(alert.rows, version)  # it may be in the thread: never sent again
        return AlertDelivery(channel, thread_ts, AlertOutcome.UNKNOWN, None, type(error).__name__)
    ts = response["ts"]
    claims.posted(claim, ts, alert.now_told, version)
    told.mark_checked(alert.rows, version)
    return AlertDelivery(channel, thread_ts, AlertOutcome.POSTED, ts)
