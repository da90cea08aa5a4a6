"""Program changes: each change made with /program after set-up, with its date.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """The program_changes table, indexed by person and time; nothing to copy (before
    this, a program could not be changed after set-up)."""
    op.create_table(
        "program_changes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("what", sa.String(length=16), nullable=False),
        sa.Column("exercise_id", sa.String(length=64), nullable=True),
        sa.Column("dose_field", sa.String(length=16), nullable=True),
        sa.Column("before", sa.String(length=400), nullable=True),
        sa.Column("after", sa.String(length=400), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name="fk_program_changes_person_id_people",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_program_changes"),
    )
    op.create_index("ix_program_changes_person_id_at", "program_changes", ["person_id", "at"])


def downgrade() -> None:
    """Drop the table; every other row stays."""
    op.drop_index("ix_program_changes_person_id_at", table_name="program_changes")
    op.drop_table("program_changes")
