"""Bounded work per person: people.allowance (today's counts against the daily caps, when
each document was last sent, which any-state buttons are live).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """A nullable JSON column: NULL reads as an empty allowance (nothing counted yet, no
    button live, so reminder buttons sent before the upgrade answer "already answered")."""
    with op.batch_alter_table("people") as batch:
        batch.add_column(sa.Column("allowance", sa.JSON(), nullable=True))


def downgrade() -> None:
    """Drop it again."""
    with op.batch_alter_table("people") as batch:
        batch.drop_column("allowance")
