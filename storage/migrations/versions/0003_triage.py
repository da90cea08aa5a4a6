"""Triage: people's pending follow-up, triage_decisions and questions.

Revision ID: 0003
Revises: 0002
Create Date: 2025-03-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the three follow-up columns to people, then the two new tables."""
    # Nullable columns: SQLite adds them without a table rebuild; existing people get NULL,
    # that is, no follow-up.
    with op.batch_alter_table("people") as batch:
        batch.add_column(sa.Column("follow_up_due_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("follow_up_level", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("follow_up_rule", sa.String(length=64), nullable=True))
    op.create_index("ix_people_follow_up_due_at", "people", ["follow_up_due_at"])

    op.create_table(
        "triage_decisions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("rule", sa.String(length=64), nullable=True),
        sa.Column("catalogue_version", sa.String(length=32), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name="fk_triage_decisions_person_id_people",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_triage_decisions"),
    )
    op.create_index(
        "ix_triage_decisions_person_id_at", "triage_decisions", ["person_id", "at"]
    )

    op.create_table(
        "questions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("context", sa.String(length=200), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name="fk_questions_person_id_people",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_questions"),
    )
    op.create_index("ix_questions_person_id_asked_at", "questions", ["person_id", "asked_at"])


def downgrade() -> None:
    """Drop the new tables and the follow-up columns; every other row stays."""
    op.drop_index("ix_questions_person_id_asked_at", table_name="questions")
    op.drop_table("questions")
    op.drop_index("ix_triage_decisions_person_id_at", table_name="triage_decisions")
    op.drop_table("triage_decisions")
    # The index goes before its column. SQLite then rebuilds `people`; storage.db keeps
    # foreign keys off during migrations, so the rebuild cascades into no child table.
    op.drop_index("ix_people_follow_up_due_at", table_name="people")
    with op.batch_alter_table("people") as batch:
        batch.drop_column("follow_up_rule")
        batch.drop_column("follow_up_level")
        batch.drop_column("follow_up_due_at")
