"""Retention: whose each kept answer is, and since when a person has blocked the bot.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """processed_updates.telegram_user_id (set while an answer is kept, so /forget finds
    it; indexed for that) and people.inactive_since (when they were found to have blocked
    the bot). Rows from before have neither: an old kept answer is dropped by age, and a
    person already inactive counts from now."""
    with op.batch_alter_table("processed_updates") as batch:
        batch.add_column(sa.Column("telegram_user_id", sa.BigInteger(), nullable=True))
        batch.create_index("ix_processed_updates_telegram_user_id", ["telegram_user_id"])
    with op.batch_alter_table("people") as batch:
        batch.add_column(sa.Column("inactive_since", sa.DateTime(timezone=True), nullable=True))
    op.execute(sa.text("UPDATE people SET inactive_since = CURRENT_TIMESTAMP WHERE inactive"))


def downgrade() -> None:
    """Drop them again."""
    with op.batch_alter_table("people") as batch:
        batch.drop_column("inactive_since")
    with op.batch_alter_table("processed_updates") as batch:
        batch.drop_index("ix_processed_updates_telegram_user_id")
        batch.drop_column("telegram_user_id")
