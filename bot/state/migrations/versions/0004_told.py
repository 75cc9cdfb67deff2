"""The log of what each thread was told (each figure, its period and release) and the
revision alerts posted in those threads, each once.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    if "told" not in existing:
        op.create_table(
            "told",
            sa.Column("channel", sa.String(40), primary_key=True),
            sa.Column("thread_ts", sa.String(40), primary_key=True),
            sa.Column("figure", sa.String(64), primary_key=True),
            sa.Column("label", sa.Text, nullable=False),
            sa.Column("unit", sa.String(30), nullable=False),
            sa.Column("period_start", sa.String(10), nullable=False),
            sa.Column("period_end", sa.String(10), nullable=False),
            sa.Column("plan", sa.Text, nullable=False),
            sa.Column("value", sa.String(40), nullable=False),
            sa.Column("release", sa.String(200), nullable=False),
            sa.Column("published", sa.String(10), nullable=False),
            sa.Column("told_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("checked", sa.String(64), nullable=False),
            sa.Column("alerted_release", sa.String(200)),
        )
        op.create_index("ix_told_checked", "told", ["checked"])
    if "revision_alerts" not in existing:
        op.create_table(
            "revision_alerts",
            sa.Column("channel", sa.String(40), primary_key=True),
            sa.Column("thread_ts", sa.String(40), primary_key=True),
            sa.Column("release", sa.String(200), primary_key=True),
            sa.Column("status", sa.String(12), nullable=False),
            sa.Column("claim", sa.String(40), nullable=False),
            sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("text", sa.Text),
            sa.Column("ts", sa.String(40)),
            sa.Column("error", sa.Text),
        )


def downgrade() -> None:
    op.drop_table("revision_alerts")
    op.drop_index("ix_told_checked", table_name="told")
    op.drop_table("told")
