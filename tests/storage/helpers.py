"""Small builders and raw queries shared by the storage tests."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta, timezone
from typing import Any

from sqlalchemy import Select, func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.domain.model import (
    Conversation,
    Cursor,
    Hold,
    LevelLabel,
    PainRating,
    Person,
    PlannedExercise,
    Prescription,
    Question,
    ReminderSettings,
    Session,
    TriageRecord,
)
from storage.models import Base

T0 = datetime(2025, 3, 1, 8, 30, 15, 123456, tzinfo=UTC)
BERLIN_SUMMER = timezone(timedelta(hours=2))


def make_person(telegram_user_id: int = 1001, **changes: object) -> Person:
    """A person with every field filled in, a two-exercise program and a conversation."""
    person = Person(
        telegram_user_id=telegram_user_id,
        chat_id=telegram_user_id + 5_000_000_000,  # beyond 32 bits, as real chat ids can be
        language="de",
        created_at=T0,
        consented_at=T0 + timedelta(minutes=1),
        country_code="DE",
        # Given in another offset on purpose: it must come back as the same instant in UTC.
        safety_seen_at=datetime(2025, 3, 1, 10, 32, 0, tzinfo=BERLIN_SUMMER),
        onboarded_at=T0 + timedelta(minutes=3),
        program={
            "chin_tuck": Prescription("chin_tuck", hold_seconds=5, repetitions=10, sets=2),
            "wall_angel": Prescription("wall_angel", enabled=False, repetitions=8),
        },
        conversation=Conversation(
            flow="check_in",
            state="ask_pain",
            data={"pain": [3, 4, None], "note": "Rücken ok 👍 — 背中", "nested": {"a": {"b": 1.5}}},
            revision=7,
        ),
    )
    for name, value in changes.items():
        setattr(person, name, value)
    return person


def make_session(started_at: datetime = T0 + timedelta(hours=1), **changes: object) -> Session:
    """An active session three exercises long, in the middle of a running hold."""
    session = Session(
        started_at=started_at,
        plan=[
            PlannedExercise("chin_tuck", hold_seconds=5, rounds=2, round_kind="sets"),
            PlannedExercise("wall_angel", hold_seconds=0, rounds=8, round_kind="repetitions"),
            PlannedExercise("prone_y", hold_seconds=10, rounds=3, round_kind="sets"),
        ],
        cursor=Cursor(exercise=2, round=3, side=1, step=4),
        hold=Hold(
            # Another offset on purpose: the same instants must come back in UTC.
            started_at=started_at.astimezone(BERLIN_SUMMER) + timedelta(minutes=5),
            deadline=started_at + timedelta(minutes=5, seconds=10, microseconds=250),
            message_id=9_876_543_210,
        ),
        results={"chin_tuck": "done", "wall_angel": "pain"},
        pain_before=4,
        pain_after=None,
    )
    for name, value in changes.items():
        setattr(session, name, value)
    return session


def make_rating(at: datetime, rating: int = 3, **changes: object) -> PainRating:
    """A pain rating during an exercise, with every field filled in."""
    pain = PainRating(at=at, rating=rating, moment="during", where="neck", exercise_id="prone_y")
    for name, value in changes.items():
        setattr(pain, name, value)
    return pain


def make_triage_record(at: datetime, level: LevelLabel = "urgent",
                       **changes: object) -> TriageRecord:
    """A triage decision on a typed message, with every field filled in."""
    record = TriageRecord(
        at=at,
        level=level,
        rule="numb_arms",
        catalogue_version="2025.03-1",
        source="message",
        text="Arme taub, Kribbeln 🙁 — 背中",
    )
    for name, value in changes.items():
        setattr(record, name, value)
    return record


def make_question(asked_at: datetime, text: str = "Soll ich weitermachen?") -> Question:
    """A question for the next visit, with a context."""
    return Question(text=text, asked_at=asked_at, context="checkin: pain 6 after wall_angel")


def make_settings(**changes: object) -> ReminderSettings:
    """Reminder settings with every field set to something other than its default."""
    settings = ReminderSettings(
        # 32 characters, the longest IANA name there is.
        time_zone="America/Argentina/ComodRivadavia",
        session_time=time(7, 30),
        days=(4, 0, 2),  # kept in the order given
        paused=True,
        quiet_start=time(22, 0),
        quiet_end=time(6, 45),
        checkin_time=time(19, 5),
    )
    for name, value in changes.items():
        setattr(settings, name, value)
    return settings


async def row_counts(engine: AsyncEngine) -> dict[str, int]:
    """Number of rows in each model table."""
    counts = {}
    async with engine.connect() as connection:
        for name, table in Base.metadata.tables.items():
            counts[name] = (
                await connection.execute(select(func.count()).select_from(table))
            ).scalar_one()
    return counts


async def query_plan(engine: AsyncEngine, query: Select[Any]) -> str:
    """The database's plan for a query, as text (to check which index it uses)."""
    async with engine.begin() as connection:
        sql = str(query.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
        if connection.dialect.name == "sqlite":
            plan = (await connection.execute(text(f"EXPLAIN QUERY PLAN {sql}"))).all()
        else:
            # With empty tables PostgreSQL would rather scan; ask what it can do.
            await connection.execute(text("SET LOCAL enable_seqscan = off"))
            await connection.execute(text("SET LOCAL enable_sort = off"))
            plan = (await connection.execute(text(f"EXPLAIN {sql}"))).all()
    return "\n".join(str(row) for row in plan)
