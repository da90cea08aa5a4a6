"""Reminders: people's reminder settings and inactive flag, reminders and appointments.

Revision ID: 0004
Revises: 0003
Create Date: 2025-04-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PEOPLE_COLUMNS = (
    "reminder_time_zone",
    "reminder_session_time",
    "reminder_days",
    "reminders_paused",
    "quiet_start",
    "quiet_end",
    "checkin_time",
    "inactive",
)


def upgrade() -> None:
    """Add the settings columns to people, then the reminders and appointments tables."""
    # Nullable columns or NOT NULL ones with a server default: SQLite adds them without a
    # table rebuild, and existing people get no reminders, every day, not paused, active.
    with op.batch_alter_table("people") as batch:
        batch.add_column(sa.Column("reminder_time_zone", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("reminder_session_time", sa.String(length=5), nullable=True))
        batch.add_column(
            sa.Column(
                "reminder_days",
                sa.String(length=13),
                server_default="0,1,2,3,4,5,6",
                nullable=False,
            )
        )
        batch.add_column(
            sa.Column("reminders_paused", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch.add_column(sa.Column("quiet_start", sa.String(length=5), nullable=True))
        batch.add_column(sa.Column("quiet_end", sa.String(length=5), nullable=True))
        batch.add_column(sa.Column("checkin_time", sa.String(length=5), nullable=True))
        batch.add_column(
            sa.Column("inactive", sa.Boolean(), server_default=sa.false(), nullable=False)
        )

    op.create_table(
        "reminders",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("fire_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claimed_by", sa.String(length=64), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name="fk_reminders_person_id_people",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_reminders"),
        # Ids go into buttons: SQLite must not reuse a deleted one (PostgreSQL never does).
        sqlite_autoincrement=True,
    )
    op.create_index("ix_reminders_status_fire_at", "reminders", ["status", "fire_at"])
    op.create_index("ix_reminders_person_id", "reminders", ["person_id"])

    op.create_table(
        "appointments",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("with_whom", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name="fk_appointments_person_id_people",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_appointments"),
        sa.UniqueConstraint("person_id", name="uq_appointments_person_id"),
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    """Drop the new tables and the people columns; every other row stays."""
    op.drop_table("appointments")
    op.drop_index("ix_reminders_person_id", table_name="reminders")
    op.drop_index("ix_reminders_status_fire_at", table_name="reminders")
    op.drop_table("reminders")
    # SQLite rebuilds `people` here; storage.db keeps foreign keys off during migrations,
    # so the rebuild cascades into no child table.
    with op.batch_alter_table("people") as batch:
        for column in reversed(PEOPLE_COLUMNS):
            batch.drop_column(column)
