"""The Web API client every part of the bot posts with."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler

from bot.settings import Settings
from bot.slack.replies import RetryAfterHandler


def web_client(settings: Settings) -> WebClient:
    """Retries connection errors and honours 429 Retry-After (slack_sdk retries neither
    by default). Answers are posted through the Outbox, where a 429 does not sleep the
    thread but holds back only its channel; elsewhere (the digest) the call sleeps."""
    return WebClient(
        token=settings.SLACK_BOT_TOKEN or None,  # None in OAuth mode: each request brings one
        base_url=settings.api_url,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=2),
            RetryAfterHandler(max_retry_count=3),
        ],
    )
