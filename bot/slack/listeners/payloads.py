"""What Slack sends a listener, as far as crimebot reads it (Bolt hands over plain dicts)."""

from __future__ import annotations

from typing import TypedDict


class SlashCommand(TypedDict, total=False):
    command: str
    text: str
    channel_id: str
    user_id: str
    team_id: str
    enterprise_id: str
    response_url: str


class MessageEvent(TypedDict, total=False):
    """An app_mention or message event (and app_home_opened, which has ``tab``)."""

    type: str
    channel: str
    ts: str
    thread_ts: str
    text: str
    user: str
    subtype: str
    bot_id: str
    tab: str


class Named(TypedDict):
    id: str


class Container(TypedDict, total=False):
    """Where the pressed button is: a message (ephemeral or not), perhaps in a thread."""

    type: str
    message_ts: str
    thread_ts: str
    is_ephemeral: bool


class ButtonPress(TypedDict, total=False):
    """A block_actions payload."""

    type: str
    user: Named
    channel: Named
    container: Container
    response_url: str


class ButtonAction(TypedDict, total=False):
    action_id: str
    value: str


def channel_of(body: ButtonPress) -> str | None:
    """The channel the button was pressed in (none for a press in App Home, say)."""
    channel = body.get("channel")
    return channel["id"] if channel else None


def user_of(body: ButtonPress) -> str:
    user = body.get("user")
    return user["id"] if user else ""


def container_of(body: ButtonPress) -> Container:
    return body.get("container") or Container()
