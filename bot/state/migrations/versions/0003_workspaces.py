"""Several workspaces: slack_sdk's installation and OAuth state tables (tokens as TEXT, since
they are stored encrypted), the workspace of each subscribed channel, and the subscriptions of
a workspace that uninstalled (parked until it reinstalls).

The installation tables are slack_sdk's ``SQLAlchemyInstallationStore`` and
``SQLAlchemyOAuthStateStore`` tables, column for column, so those stores query them as they
are; only the token columns are wider.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _installations() -> tuple:
    return (
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("client_id", sa.String(32), nullable=False),
        sa.Column("app_id", sa.String(32), nullable=False),
        sa.Column("enterprise_id", sa.String(32)),
        sa.Column("enterprise_name", sa.String(200)),
        sa.Column("enterprise_url", sa.String(200)),
        sa.Column("team_id", sa.String(32)),
        sa.Column("team_name", sa.String(200)),
        sa.Column("bot_token", sa.Text),
        sa.Column("bot_id", sa.String(32)),
        sa.Column("bot_user_id", sa.String(32)),
        sa.Column("bot_scopes", sa.String(1000)),
        sa.Column("bot_refresh_token", sa.Text),
        sa.Column("bot_token_expires_at", sa.DateTime),
        sa.Column("user_id", sa.String(32), nullable=False),
        sa.Column("user_token", sa.Text),
        sa.Column("user_scopes", sa.String(1000)),
        sa.Column("user_refresh_token", sa.Text),
        sa.Column("user_token_expires_at", sa.DateTime),
        sa.Column("incoming_webhook_url", sa.String(200)),
        sa.Column("incoming_webhook_channel", sa.String(200)),
        sa.Column("incoming_webhook_channel_id", sa.String(200)),
        sa.Column("incoming_webhook_configuration_url", sa.String(200)),
        sa.Column("is_enterprise_install", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("token_type", sa.String(32)),
        sa.Column("installed_at", sa.DateTime, nullable=False, server_default=sa.func.now()),
    )


def _bots() -> tuple:
    return (
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("client_id", sa.String(32), nullable=False),
        sa.Column("app_id", sa.String(32), nullable=False),
        sa.Column("enterprise_id", sa.String(32)),
        sa.Column("enterprise_name", sa.String(200)),
        sa.Column("team_id", sa.String(32)),
        sa.Column("team_name", sa.String(200)),
        sa.Column("bot_token", sa.Text),
        sa.Column("bot_id", sa.String(32)),
        sa.Column("bot_user_id", sa.String(32)),
        sa.Column("bot_scopes", sa.String(1000)),
        sa.Column("bot_refresh_token", sa.Text),
        sa.Column("bot_token_expires_at", sa.DateTime),
        sa.Column("is_enterprise_install", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("installed_at", sa.DateTime, nullable=False, server_default=sa.func.now()),
    )


def upgrade() -> None:
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    if "slack_installations" not in existing:
        op.create_table("slack_installations", *_installations())
        op.create_index(
            "slack_installations_idx",
            "slack_installations",
            ["client_id", "enterprise_id", "team_id", "user_id", "installed_at"],
        )
    if "slack_bots" not in existing:
        op.create_table("slack_bots", *_bots())
        op.create_index(
            "slack_bots_idx",
            "slack_bots",
            ["client_id", "enterprise_id", "team_id", "installed_at"],
        )
    if "slack_oauth_states" not in existing:
        op.create_table(
            "slack_oauth_states",
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("state", sa.String(200), nullable=False),
            sa.Column("expire_at", sa.DateTime, nullable=False),
        )
        op.create_index("slack_oauth_states_state_idx", "slack_oauth_states", ["state"])
    if "channel_workspaces" not in existing:
        op.create_table(
            "channel_workspaces",
            sa.Column("channel", sa.String(40), primary_key=True),
            sa.Column("team_id", sa.String(32)),
            sa.Column("enterprise_id", sa.String(32)),
            sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        )
        op.create_index("channel_workspaces_team_idx", "channel_workspaces", ["team_id"])
    if "parked_subscriptions" not in existing:
        op.create_table(
            "parked_subscriptions",
            sa.Column("channel", sa.String(40), primary_key=True),
            sa.Column("team_id", sa.String(32)),
            sa.Column("enterprise_id", sa.String(32)),
            sa.Column("forces", sa.Text, nullable=False),
            sa.Column("hour", sa.Integer, nullable=False),
            sa.Column("minute", sa.Integer, nullable=False),
            sa.Column("subscribed_by", sa.String(40), nullable=False),
            sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        )


def downgrade() -> None:
    for name in (
        "parked_subscriptions",
        "channel_workspaces",
        "slack_oauth_states",
        "slack_bots",
        "slack_installations",
    ):
        op.drop_table(name)
