"""people.rest_until: after an urgent or emergency sign, no exercise reminder that day.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """The end of the local day of the person's last urgent or emergency sign (UTC);
    NULL for everyone before: no day is held back."""
    with op.batch_alter_table("people") as batch:
        batch.add_column(sa.Column("rest_until", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    """Drop it again."""
    with op.batch_alter_table("people") as batch:
        batch.drop_column("rest_until")
