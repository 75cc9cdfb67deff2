"""The state schema as it was before migrations: deliveries, threads, subscriptions, digests.

Databases created by the old ``metadata.create_all`` already have some or all of these tables:
only the missing ones are created, so such a database is adopted as it is.

Revision ID: 0001
Revises:
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TABLES = {
    "deliveries": lambda: (
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
    ),
    "threads": lambda: (
        sa.Column("channel", sa.String(40), primary_key=True),
        sa.Column("thread_ts", sa.String(40), primary_key=True),
        sa.Column("plan", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ),
    "subscriptions": lambda: (
        sa.Column("channel", sa.String(40), primary_key=True),
        sa.Column("forces", sa.Text, nullable=False),
        sa.Column("hour", sa.Integer, nullable=False),
        sa.Column("minute", sa.Integer, nullable=False),
        sa.Column("subscribed_by", sa.String(40), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ),
    "digests": lambda: (
        sa.Column("channel", sa.String(40), primary_key=True),
        sa.Column("day", sa.String(10), primary_key=True),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("claim", sa.String(40), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("message", sa.Text),
        sa.Column("releases", sa.Text),
        sa.Column("posting_at", sa.DateTime(timezone=True)),
        sa.Column("ts", sa.String(40)),
        sa.Column("error", sa.Text),
    ),
}


def upgrade() -> None:
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    for name, columns in TABLES.items():
        if name not in existing:
            op.create_table(name, *columns())


def downgrade() -> None:
    for name in reversed(TABLES):
        op.drop_table(name)
