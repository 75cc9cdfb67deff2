"""Which workspace a channel belongs to (the digest needs its token), and a workspace's digest
subscriptions parked while it is uninstalled and put back when it returns."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, Text, delete, insert
from sqlalchemy import select as sa_select

from bot.state.schema import subscriptions
from bot.state.store import State

# The tables, as slack_sdk queries them; created (tokens as TEXT: a Fernet token is about
# twice as long as the token it hides) by bot/state/migrations/versions/0003_workspaces.py.
metadata = MetaData()
channel_workspaces = Table(
    "channel_workspaces",
    metadata,
    Column("channel", String(40), primary_key=True),
    Column("team_id", String(32)),
    Column("enterprise_id", String(32)),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
# A workspace's subscriptions while it is uninstalled: a reinstall puts them back.
parked_subscriptions = Table(
    "parked_subscriptions",
    metadata,
    Column("channel", String(40), primary_key=True),
    Column("team_id", String(32)),
    Column("enterprise_id", String(32)),
    Column("forces", Text, nullable=False),
    Column("hour", Integer, nullable=False),
    Column("minute", Integer, nullable=False),
    Column("subscribed_by", String(40), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)


def remember_channel(
    state: State, channel: str, team_id: str | None, enterprise_id: str | None = None
) -> None:
    """Record the workspace of a channel that subscribed (the digest needs its token)."""
    if not channel or not team_id:
        return
    with state.engine.begin() as connection:
        connection.execute(
            delete(channel_workspaces).where(channel_workspaces.c.channel == channel)
        )
        connection.execute(
            insert(channel_workspaces).values(
                channel=channel,
                team_id=team_id,
                enterprise_id=enterprise_id,
                updated_at=dt.datetime.now(dt.UTC),
            )
        )


def workspace_of(state: State, channel: str) -> tuple[str | None, str] | None:
    """(enterprise id, team id) of a channel that subscribed, or None if not known."""
    with state.engine.connect() as connection:
        row = connection.execute(
            sa_select(channel_workspaces.c.enterprise_id, channel_workspaces.c.team_id).where(
                channel_workspaces.c.channel == channel
            )
        ).first()
    return (row.enterprise_id, row.team_id) if row else None


def park_workspace(state: State, enterprise_id: str | None, team_id: str | None) -> int:
    """Park a leaving workspace's channels' digest subscriptions (the clock posts nothing to
    them); returns how many were parked."""
    if not team_id:
        return 0
    parked = 0
    with state.engine.begin() as connection:
        channels = [
            row.channel
            for row in connection.execute(
                sa_select(channel_workspaces.c.channel).where(
                    channel_workspaces.c.team_id == team_id
                )
            )
        ]
        for channel in channels:
            row = (
                connection.execute(
                    sa_select(subscriptions).where(subscriptions.c.channel == channel)
                )
                .mappings()
                .first()
            )
            if row is None:
                continue
            connection.execute(
                delete(parked_subscriptions).where(parked_subscriptions.c.channel == channel)
            )
            connection.execute(
                insert(parked_subscriptions).values(
                    **dict(row), team_id=team_id, enterprise_id=enterprise_id
                )
            )
            connection.execute(delete(subscriptions).where(subscriptions.c.channel == channel))
            parked += 1
    return parked


def resume_workspace(state: State, enterprise_id: str | None, team_id: str | None) -> int:
    """Put back the subscriptions parked when the workspace left (not over one made since)."""
    if not team_id:
        return 0
    resumed = 0
    with state.engine.begin() as connection:
        rows = list(
            connection.execute(
                sa_select(parked_subscriptions).where(parked_subscriptions.c.team_id == team_id)
            ).mappings()
        )
        for row in rows:
            values = {c.name: row[c.name] for c in subscriptions.c}
            exists = connection.execute(
                sa_select(subscriptions.c.channel).where(subscriptions.c.channel == row["channel"])
            ).first()
            if exists is None:
                connection.execute(insert(subscriptions).values(**values))
                resumed += 1
            connection.execute(
                delete(parked_subscriptions).where(parked_subscriptions.c.channel == row["channel"])
            )
    return resumed
