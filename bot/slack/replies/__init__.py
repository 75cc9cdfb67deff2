"""What every listener shares: answer a question, post it, upload its chart, survive errors.

Listeners stay thin (parse, call, render); the Web API calls and their failure handling
live here once: the bounded answer queue and the posts (crimebot), the per-channel Outbox
that waits out 429s on a timer (outbox), and private replies that survive a failed
response_url (private).
"""

from bot.slack.replies.crimebot import MAX_PENDING, Crimebot
from bot.slack.replies.outbox import (
    MAX_RATE_LIMITED,
    Outbox,
    PostStep,
    RetryAfterHandler,
    rate_limited,
    retry_after,
)
from bot.slack.replies.private import respond_or_fall_back, say_busy_privately

__all__ = [
    "MAX_PENDING",
    "MAX_RATE_LIMITED",
    "Crimebot",
    "Outbox",
    "PostStep",
    "RetryAfterHandler",
    "rate_limited",
    "respond_or_fall_back",
    "retry_after",
    "say_busy_privately",
]
