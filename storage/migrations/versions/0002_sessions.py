"""Exercise sessions and pain ratings; people.first_session_at and people.guided_holds.

Revision ID: 0002
Revises: 0001
Create Date: 2025-02-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the two people columns, then the sessions and pain_ratings tables."""
    # Adding columns needs no table rebuild on SQLite; batch mode keeps it portable.
    # The server default fills guided_holds for existing people.
    with op.batch_alter_table("people") as batch:
        batch.add_column(sa.Column("first_session_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(
            sa.Column("guided_holds", sa.Boolean(), server_default=sa.false(), nullable=False)
        )

    op.create_table(
        "sessions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_reason", sa.String(length=32), nullable=True),
        sa.Column("hold_deadline", sa.DateTime(timezone=True), nullable=True),
        sa.Column("progress", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name="fk_sessions_person_id_people",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_sessions"),
    )
    op.create_index("ix_sessions_person_id", "sessions", ["person_id"])
    op.create_index("ix_sessions_hold_deadline", "sessions", ["hold_deadline"])

    op.create_table(
        "pain_ratings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("moment", sa.String(length=16), nullable=False),
        sa.Column("location", sa.String(length=32), nullable=True),
        sa.Column("exercise_id", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name="fk_pain_ratings_person_id_people",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name="fk_pain_ratings_session_id_sessions",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_pain_ratings"),
    )
    op.create_index("ix_pain_ratings_person_id_at", "pain_ratings", ["person_id", "at"])
    op.create_index("ix_pain_ratings_session_id", "pain_ratings", ["session_id"])


def downgrade() -> None:
    """Drop the new tables (children first) and the two people columns."""
    op.drop_index("ix_pain_ratings_session_id", table_name="pain_ratings")
    op.drop_index("ix_pain_ratings_person_id_at", table_name="pain_ratings")
    op.drop_table("pain_ratings")
    op.drop_index("ix_sessions_hold_deadline", table_name="sessions")
    op.drop_index("ix_sessions_person_id", table_name="sessions")
    op.drop_table("sessions")
    # SQLite rebuilds `people` here; storage.db keeps foreign keys off during migrations,
    # so the rebuild does not cascade into prescriptions and conversations.
    with op.batch_alter_table("people") as batch:
        batch.drop_column("guided_holds")
        batch.drop_column("first_session_at")
