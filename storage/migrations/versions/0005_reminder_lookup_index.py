"""Index for loading one person's pending reminders.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME = "ix_reminders_person_id_status_fire_at"


def upgrade() -> None:
    """Create the (person_id, status, fire_at) index."""
    op.create_index(NAME, "reminders", ["person_id", "status", "fire_at"])


def downgrade() -> None:
    """Drop it again."""
    op.drop_index(NAME, table_name="reminders")
