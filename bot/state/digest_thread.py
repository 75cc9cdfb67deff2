"""A regional desk's digest thread: each reply after the channel message posted once.

The message is posted and recorded first (status "threading", its ts); then each reply is
marked as being sent before it goes, and counted once Slack has it. A run that crashed is
resumed like the message itself: a reply that may have reached Slack is looked for in the
thread (its metadata) before anything is sent again, and the day is "posted" only when the
last reply is.
"""

from __future__ import annotations

import datetime as dt

from bot.state.ledger import Claim, DigestStatus, Ledger


class ThreadReplies:
    """The thread's part of a claimed day's row in the digest ledger."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger

    def started(self, claim: Claim, ts: str) -> None:
        """The channel message is posted (``ts``); its replies are to follow."""
        threading = DigestStatus.THREADING.value
        self.ledger.update(claim, status=threading, ts=ts, error=None, replies=0)

    def posting(self, claim: Claim) -> dt.datetime:
        """Reply number ``claim.replies`` is being sent: from now it may be in the thread."""
        now = self.ledger.clock()
        self.ledger.update(claim, reply_posting_at=now)
        return now

    def posted(self, claim: Claim, part: int) -> None:
        """Reply ``part`` (from 0) is in the thread."""
        self.ledger.update(claim, replies=part + 1, reply_posting_at=None, error=None)

    def failed(self, claim: Claim, error: str) -> None:
        """Slack refused the reply (it was not posted): a later run sends it."""
        self.ledger.update(claim, reply_posting_at=None, error=error)
