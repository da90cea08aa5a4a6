"""Program links a provider hands over: program_links (the code's hash, expiry, single or
many uses, the use count, the program as JSON).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """A table of its own: a link belongs to no person."""
    op.create_table(
        "program_links",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("single_use", sa.Boolean(), nullable=False),
        sa.Column("uses", sa.Integer(), server_default="0", nullable=False),
        sa.Column("program", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_program_links"),
        sa.UniqueConstraint("code_hash", name="uq_program_links_code_hash"),
    )


def downgrade() -> None:
    """Drop it again."""
    op.drop_table("program_links")
