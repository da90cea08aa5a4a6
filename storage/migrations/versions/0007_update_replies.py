"""Keep each update's answer with its id until it was sent.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """processed_updates.replies (the answer, as JSON) and replied_at (when it went out).

    Rows from before have neither: nothing to send again.
    """
    with op.batch_alter_table("processed_updates") as batch:
        batch.add_column(sa.Column("replies", sa.Text(), nullable=True))
        batch.add_column(sa.Column("replied_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    """Drop them again."""
    with op.batch_alter_table("processed_updates") as batch:
        batch.drop_column("replied_at")
        batch.drop_column("replies")
