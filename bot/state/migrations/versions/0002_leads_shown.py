"""The ledger of leads shown: what each channel's digests told it, so no lead is posted to a
channel twice unless its figures changed.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if "leads_shown" in set(sa.inspect(op.get_bind()).get_table_names()):
        return
    op.create_table(
        "leads_shown",
        sa.Column("channel", sa.String(40), primary_key=True),
        sa.Column("day", sa.String(10), primary_key=True),
        sa.Column("lead_key", sa.String(200), primary_key=True),
        sa.Column("signature", sa.String(64), nullable=False),
        sa.Column("figures", sa.Text, nullable=False),
        sa.Column("period", sa.String(60), nullable=False),
        sa.Column("releases", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("leads_shown")
