"""SQLAlchemy table models; storage/migrations/versions must describe the same schema."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.model_base import NAMING_CONVENTION as NAMING_CONVENTION
from storage.model_base import Base as Base
from storage.model_base import UTCDateTime as UTCDateTime

# Every weekday (Monday is 0), as people.reminder_days stores it.
ALL_DAYS_TEXT = "0,1,2,3,4,5,6"


class PersonRow(Base):
    """One person talking to the bot."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    telegram_user_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    language: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    consented_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    country_code: Mapped[str | None] = mapped_column(String(8))
    safety_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    onboarded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    first_session_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    guided_holds: Mapped[bool] = mapped_column(Boolean, server_default=false())
    # The pending escalation follow-up (domain FollowUp): all three set, or all NULL.
    # The scheduler's tick looks for due follow-ups by the due time, earliest first.
    follow_up_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    follow_up_level: Mapped[str | None] = mapped_column(String(16))
    follow_up_rule: Mapped[str | None] = mapped_column(String(64))
    # After an urgent or emergency sign: no exercise reminder before this moment (the end
    # of that local day). See bot.domain.reminders.plan.rest_today.
    rest_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Reminder settings (domain ReminderSettings); local times are "HH:MM" text, the days
    # a comma-separated list of weekdays (Monday 0). See storage.reminder_mapping.
    reminder_time_zone: Mapped[str | None] = mapped_column(String(40))
    reminder_session_time: Mapped[str | None] = mapped_column(String(5))
    reminder_days: Mapped[str] = mapped_column(String(13), server_default=ALL_DAYS_TEXT)
    reminders_paused: Mapped[bool] = mapped_column(Boolean, server_default=false())
    quiet_start: Mapped[str | None] = mapped_column(String(5))
    quiet_end: Mapped[str | None] = mapped_column(String(5))
    checkin_time: Mapped[str | None] = mapped_column(String(5))
    # They blocked the bot: the reminder queue skips them until this is cleared.
    inactive: Mapped[bool] = mapped_column(Boolean, server_default=false())
    # Since when (cleared when they write again): FORGET_BLOCKED_AFTER_DAYS counts from it.
    inactive_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # What the person added today against the daily caps, when each document was last
    # sent, which any-state buttons are live (domain Allowance; bot/domain/limits/allowance.py).
    allowance: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    # lazy="raise": an implicit lazy load would fail under asyncio anyway; failing early
    # points at the query that forgot to load it.
    prescriptions: Mapped[list[PrescriptionRow]] = relationship(
        back_populates="person",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="PrescriptionRow.exercise_id",
        lazy="raise",
    )
    conversation: Mapped[ConversationRow | None] = relationship(
        back_populates="person",
        cascade="all, delete-orphan",
        passive_deletes=True,
        lazy="raise",
    )


class PrescriptionRow(Base):
    """One exercise in a person's program, with optional dose overrides."""

    __tablename__ = "prescriptions"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    exercise_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean)
    hold_seconds: Mapped[int | None] = mapped_column(Integer)
    repetitions: Mapped[int | None] = mapped_column(Integer)
    sets: Mapped[int | None] = mapped_column(Integer)

    person: Mapped[PersonRow] = relationship(back_populates="prescriptions", lazy="raise")


class ConversationRow(Base):
    """The flow and state a person is in, with its scratch data."""

    __tablename__ = "conversations"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    flow: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    revision: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    person: Mapped[PersonRow] = relationship(back_populates="conversation", lazy="raise")


class SessionRow(Base):
    """One exercise session; finished ones stay as history.

    Columns hold what is queried (status, the running hold's deadline); the rest of the
    domain Session lives in `progress` (see storage.session_mapping).
    """

    __tablename__ = "sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    end_reason: Mapped[str | None] = mapped_column(String(32))
    # The scheduler's tick looks for running holds by this column, soonest first.
    hold_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    progress: Mapped[dict[str, Any]] = mapped_column(JSON)


class PainRatingRow(Base):
    """One 0-10 pain rating, kept for reports; linked to its session while that exists."""

    __tablename__ = "pain_ratings"
    # (person_id, at) serves a person's history in time order and person_id lookups.
    __table_args__ = (Index("ix_pain_ratings_person_id_at", "person_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    # Indexed so that deleting a session need not scan every rating for SET NULL.
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("sessions.id", ondelete="SET NULL"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    rating: Mapped[int] = mapped_column(Integer)
    moment: Mapped[str] = mapped_column(String(16))
    # The domain calls it `where`, an SQL keyword.
    location: Mapped[str | None] = mapped_column(String(32))
    exercise_id: Mapped[str | None] = mapped_column(String(64))


class TriageDecisionRow(Base):
    """One escalation decision (domain TriageRecord), for export and clinical review."""

    __tablename__ = "triage_decisions"
    # (person_id, at) serves a person's history in time order and person_id lookups.
    __table_args__ = (Index("ix_triage_decisions_person_id_at", "person_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    level: Mapped[str] = mapped_column(String(16))
    rule: Mapped[str | None] = mapped_column(String(64))
    catalogue_version: Mapped[str] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(16))
    # What the person typed: health data, never logged.
    text: Mapped[str | None] = mapped_column(Text)


class ProgramChangeRow(Base):
    """One change to a person's program after set-up (domain ProgramChange), kept with its
    date so the visit report can say when the program changed."""

    __tablename__ = "program_changes"
    __table_args__ = (Index("ix_program_changes_person_id_at", "person_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    what: Mapped[str] = mapped_column(String(16))  # exercises | dose | country
    exercise_id: Mapped[str | None] = mapped_column(String(64))
    dose_field: Mapped[str | None] = mapped_column(String(16))
    before: Mapped[str | None] = mapped_column(String(400))
    after: Mapped[str | None] = mapped_column(String(400))


class QuestionRow(Base):
    """A question the person wants to ask at their next visit.

    Its own id lets later features name one question (review, edit, mark as answered) in
    callback data; answered_at and answer stay NULL until then.
    """

    __tablename__ = "questions"
    __table_args__ = (Index("ix_questions_person_id_asked_at", "person_id", "asked_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime())
    context: Mapped[str | None] = mapped_column(String(200))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answer: Mapped[str | None] = mapped_column(Text)


class ReminderRow(Base):
    """One reminder to send (domain Reminder), kept after it was sent for the audit trail.

    status: pending -> claimed (by one process, while it sends) -> sent | missed; or
    pending -> cancelled. A claim whose process died goes back to pending.
    """

    __tablename__ = "reminders"
    __table_args__ = (
        # The tick's claim walks (status, fire_at): pending ones, earliest first.
        Index("ix_reminders_status_fire_at", "status", "fire_at"),
        # Loading a person's pending reminders (every update does): without it SQLite's
        # planner walked the status index through every pending reminder of everyone.
        Index("ix_reminders_person_id_status_fire_at", "person_id", "status", "fire_at"),
        # Ids go into buttons: SQLite must not hand out a deleted one again.
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    fire_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(12))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class AppointmentRow(Base):
    """A person's next visit (domain Appointment): at most one per person."""

    __tablename__ = "appointments"
    # A replaced appointment gets a new id (buttons naming the old one go stale): SQLite
    # must not hand out a deleted one again.
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), unique=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    with_whom: Mapped[str] = mapped_column(String(200))


# The bookkeeping tables live in their own module; imported here so that Base.metadata
# (migrations, tests) holds every table, and re-exported for the modules that use them.
from storage.ops_models import BotSettingRow as BotSettingRow  # noqa: E402
from storage.ops_models import OutboxRow as OutboxRow  # noqa: E402
from storage.ops_models import ProcessedUpdateRow as ProcessedUpdateRow  # noqa: E402
from storage.ops_models import ProgramLinkRow as ProgramLinkRow  # noqa: E402
from storage.share_models import ShareLinkRow as ShareLinkRow  # noqa: E402
