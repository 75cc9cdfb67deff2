"""Exactly one digest per channel per day, whatever runs, crashes or runs twice.

A run first claims (channel, day) by inserting a row: the primary key lets one claimant in.
It then records the composed message, marks the row "posting", posts, and records the
message's ts. A claim left by a crashed run goes stale and is taken over by compare-and-swap:

- claimed: nothing composed yet, so the new claimant composes;
- composed: the message is stored but was not sent, so it is sent as composed;
- posting: it may or may not have reached Slack, so the channel's history is checked for the
  digest's metadata before anything is sent again;
- threading: the message is posted and a regional desk's thread replies are not all (each
  is posted once in the same way: ``bot.state.digest_thread``).

A day with nothing new for the channel ends "quiet": nothing is posted, and the day is done.
The leads a digest shows are written with its composed message and count as shown once the
digest is posted, so a later digest leaves out a lead whose figures have not changed.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypedDict

from sqlalchemy import ColumnElement, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from bot.state.schema import digests, leads_shown
from bot.state.store import State, as_utc, utc_now

STALE_AFTER = dt.timedelta(minutes=10)  # composing and posting take seconds


class DigestStatus(StrEnum):
    """Where a (channel, day)'s digest has got to: the ``digests.status`` column."""

    CLAIMED = "claimed"  # nothing composed yet
    COMPOSED = "composed"  # the message is stored but was not sent
    POSTING = "posting"  # it may or may not have reached Slack
    THREADING = "threading"  # posted (ts), its thread's replies not all (``digest_thread``)
    POSTED = "posted"
    QUIET = "quiet"  # nothing new for the channel: nothing posted


DONE = (DigestStatus.POSTED, DigestStatus.QUIET)  # a day in one of these is never claimed again
_DONE = [status.value for status in DONE]  # as SQL parameters: plain strings for any driver
# a day whose message is posted (a regional desk's thread may still be being finished)
_SHOWN = [DigestStatus.POSTED.value, DigestStatus.THREADING.value]
Message = dict[str, Any]  # a composed Slack message (text, blocks, metadata), stored as JSON


class ShownLead(TypedDict):
    """What the ledger keeps of each lead a digest shows."""

    lead_key: str  # place | kind | offence
    signature: str  # sha256 of the figures and period
    figures: dict[str, Any]  # the figures as shown
    period: str
    releases: list[str]  # the releases they came from


@dataclass(frozen=True)
class Claim:
    channel: str
    day: str
    token: str
    status: DigestStatus  # what the claimant found: claimed | composed | posting
    message: Message | None = None
    posting_at: dt.datetime | None = None
    ts: str | None = None  # the posted message's (status threading)
    replies: int = 0  # how many of its thread's replies are posted
    reply_posting_at: dt.datetime | None = None  # the next reply may have reached Slack

    def __post_init__(self) -> None:
        object.__setattr__(self, "status", DigestStatus(self.status))

    @property
    def key(self) -> str:
        return f"{self.channel}:{self.day}"


class LostClaim(Exception):
    """Another run took the claim over (this one was too slow): it must stop."""


def _held(claim: Claim) -> tuple[ColumnElement[bool], ...]:
    """The claim's row, while this run still holds it."""
    return (
        digests.c.channel == claim.channel,
        digests.c.day == claim.day,
        digests.c.claim == claim.token,
    )


class Ledger:
    def __init__(
        self,
        state: State,
        clock: Callable[[], dt.datetime] = utc_now,
        stale_after: dt.timedelta = STALE_AFTER,
    ) -> None:
        state.ensure_schema()
        self.engine = state.engine
        self.clock = clock
        self.stale_after = stale_after

    def claim(self, channel: str, day: str) -> Claim | None:
        """The right to post (channel, day)'s digest, or None: posted, or another run has it."""
        token = uuid.uuid4().hex
        now = self.clock()
        try:
            with self.engine.begin() as connection:
                connection.execute(
                    insert(digests).values(
                        channel=channel,
                        day=day,
                        status=DigestStatus.CLAIMED.value,
                        claim=token,
                        claimed_at=now,
                    )
                )
            return Claim(channel, day, token, DigestStatus.CLAIMED)
        except IntegrityError:
            pass
        with self.engine.connect() as connection:
            row = connection.execute(
                select(digests).where(digests.c.channel == channel, digests.c.day == day)
            ).first()
        if row is None or row.status in DONE:
            return None
        claimed_at = as_utc(row.claimed_at)
        if claimed_at is not None and now - claimed_at < self.stale_after:
            return None
        with self.engine.begin() as connection:
            taken = connection.execute(
                update(digests)
                .where(
                    digests.c.channel == channel,
                    digests.c.day == day,
                    digests.c.claim == row.claim,
                    digests.c.status.notin_(_DONE),
                )
                .values(claim=token, claimed_at=now)
            ).rowcount
        if taken != 1:
            return None
        message = json.loads(row.message) if row.message else None
        found = (as_utc(row.posting_at), row.ts, row.replies or 0, as_utc(row.reply_posting_at))
        return Claim(channel, day, token, row.status, message, *found)

    def update(self, claim: Claim, **values: object) -> None:
        """Set columns of the claimed row; LostClaim if another run has taken it over."""
        with self.engine.begin() as connection:
            changed = connection.execute(
                update(digests)
                .where(
                    *_held(claim),
                )
                .values(**values)
            ).rowcount
        if changed != 1:
            raise LostClaim(claim.key)

    def composed(
        self,
        claim: Claim,
        message: Message,
        releases: list[str],
        leads: Sequence[ShownLead] | None = None,
    ) -> None:
        """Store the message and the leads it shows, in one transaction: a run that takes the
        claim over later posts this message, and these are the leads it showed."""
        with self.engine.begin() as connection:
            changed = connection.execute(
                update(digests)
                .where(
                    *_held(claim),
                )
                .values(
                    status=DigestStatus.COMPOSED.value,
                    message=json.dumps(message),
                    releases=json.dumps(releases),
                )
            ).rowcount
            if changed != 1:
                raise LostClaim(claim.key)
            connection.execute(
                delete(leads_shown).where(
                    leads_shown.c.channel == claim.channel, leads_shown.c.day == claim.day
                )
            )
            if leads:
                connection.execute(
                    insert(leads_shown),
                    [
                        {
                            "channel": claim.channel,
                            "day": claim.day,
                            "lead_key": lead["lead_key"],
                            "signature": lead["signature"],
                            "figures": json.dumps(lead["figures"], sort_keys=True),
                            "period": lead["period"],
                            "releases": json.dumps(sorted(lead["releases"])),
                        }
                        for lead in leads
                    ],
                )

    def quiet(self, claim: Claim, releases: list[str]) -> None:
        """Nothing new for the channel today: nothing is posted, and the day is done."""
        quiet = DigestStatus.QUIET.value
        self.update(claim, status=quiet, message=None, releases=json.dumps(releases))

    def posting(self, claim: Claim) -> dt.datetime:
        now = self.clock()
        self.update(claim, status=DigestStatus.POSTING.value, posting_at=now)
        return now

    def posted(self, claim: Claim, ts: str) -> None:
        self.update(claim, status=DigestStatus.POSTED.value, ts=ts, error=None)

    def release(self, claim: Claim) -> None:
        """Give up a claim that composed nothing (composing failed): the next run claims it
        afresh at once instead of waiting for it to go stale."""
        with self.engine.begin() as connection:
            connection.execute(
                delete(digests).where(
                    *_held(claim),
                    digests.c.status == DigestStatus.CLAIMED.value,
                )
            )

    def failed(self, claim: Claim, error: str) -> None:
        """Slack refused the post (it did not happen): a later run may try again."""
        self.update(claim, status=DigestStatus.COMPOSED.value, error=error)

    def status(self, channel: str, day: str) -> DigestStatus | None:
        with self.engine.connect() as connection:
            found = connection.execute(
                select(digests.c.status).where(digests.c.channel == channel, digests.c.day == day)
            ).scalar()
        return DigestStatus(found) if found else None

    def shown(self, channel: str, before_day: str) -> dict[str, str]:
        """Each lead key the channel's posted digests before ``before_day`` showed, with the
        signature of the figures it was last shown with."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(leads_shown.c.lead_key, leads_shown.c.signature)
                .join(
                    digests,
                    (digests.c.channel == leads_shown.c.channel)
                    & (digests.c.day == leads_shown.c.day),
                )
                .where(
                    leads_shown.c.channel == channel,
                    leads_shown.c.day < before_day,
                    digests.c.status.in_(_SHOWN),
                )
                .order_by(leads_shown.c.day)
            ).all()
        return {row.lead_key: row.signature for row in rows}

    def last_digest(self, channel: str) -> tuple[str, DigestStatus] | None:
        """The channel's latest finished day and how it ended (posted | quiet), or None."""
        with self.engine.connect() as connection:
            row = connection.execute(
                select(digests.c.day, digests.c.status)
                .where(digests.c.channel == channel, digests.c.status.in_(_DONE))
                .order_by(digests.c.day.desc())
                .limit(1)
            ).first()
        return (row.day, DigestStatus(row.status)) if row else None

    def last_releases(self, channel: str, before_day: str) -> list[str] | None:
        """The releases the channel's last posted digest was built on (None: no digest yet)."""
        with self.engine.connect() as connection:
            text = connection.execute(
                select(digests.c.releases)
                .where(
                    digests.c.channel == channel,
                    digests.c.day < before_day,
                    digests.c.status.in_(_SHOWN),
                )
                .order_by(digests.c.day.desc())
                .limit(1)
            ).scalar()
        return json.loads(text) if text else None
