"""A regional desk's digest: the replies in its thread, each posted once (how many are
posted, and when the next one was sent, in case it reached Slack before a crash).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    existing = {column["name"] for column in sa.inspect(op.get_bind()).get_columns("digests")}
    if "replies" not in existing:
        op.add_column("digests", sa.Column("replies", sa.Integer))
    if "reply_posting_at" not in existing:
        op.add_column("digests", sa.Column("reply_posting_at", sa.DateTime(timezone=True)))


def downgrade() -> None:
    with op.batch_alter_table("digests") as batch:
        batch.drop_column("reply_posting_at")
        batch.drop_column("replies")
