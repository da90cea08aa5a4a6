"""The reminder benchmark's people and database chores: N onboarded people in a few time
zones whose daily session reminder falls in the same UTC minute, bulk-written to the real
schema (people, conversations, prescriptions, reminders) with straight SQL."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any, TypeVar

from sqlalchemy import func, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.domain.reminders.schedule import EVERY_DAY, WEEKDAYS, WEEKENDS, zone
from bot.emulator import Emulator
from storage.models import ConversationRow, PersonRow, PrescriptionRow, ReminderRow
from storage.reminder_mapping import CLAIMED, PENDING, SENT, days_text, time_text

# A realistic spread for a clinic's patients: mostly Europe, some Americas and Asia-Pacific,
# with a half-hour offset (Kolkata) and a southern-hemisphere summer (Sydney, Sao Paulo).
ZONES = (
    ("Europe/Lisbon", 30), ("Europe/London", 15), ("Europe/Berlin", 15),
    ("America/New_York", 15), ("America/Sao_Paulo", 10), ("Asia/Kolkata", 10),
    ("Australia/Sydney", 5),
)
# The emulator numbers its users from here, one after another: person i (0-based) is the
# emulator's (i+1)-th user, with chat id = user id as for every private chat.
FIRST_USER_ID = 100_000_001
# Far enough ahead that nothing is due while scheduling, near enough that it is today.
LEAD = timedelta(hours=2)
CHUNK = 5_000  # rows per INSERT (an executemany; SQLAlchemy batches the VALUES itself)
KIND = "session"
ONBOARDED_REVISION = 6


@dataclass(frozen=True, slots=True)
class Plan:
    """One person's daily reminder settings: a local time on some weekdays in a zone."""

    index: int
    zone: str
    local: time
    days: tuple[int, ...]

    @property
    def telegram_user_id(self) -> int:
        """Their Telegram id (and private chat id), the emulator's user of the same index."""
        return FIRST_USER_ID + self.index


def due_minute(now: datetime) -> datetime:
    """The UTC minute everyone's reminder falls in: LEAD after now, on a whole minute."""
    return (now + LEAD).astimezone(UTC).replace(second=0, microsecond=0)


def _days_including(weekday: int, style: int) -> tuple[int, ...]:
    # Every day for most; weekdays or weekends; or three chosen days, always with `weekday`.
    if style < 6:
        return EVERY_DAY
    if style < 8:
        return WEEKDAYS if weekday in WEEKDAYS else WEEKENDS
    return tuple(sorted({weekday, (weekday + 2) % 7, (weekday + 4) % 7}))


def plans(people: int, due: datetime, seed: int = 5) -> list[Plan]:
    """People whose reminder, in their own zone and days, falls at `due` (UTC)."""
    rng = random.Random(seed)
    names = [name for name, _ in ZONES]
    weights = [weight for _, weight in ZONES]
    local_due = {name: due.astimezone(zone(name)) for name in names}
    result = []
    for index in range(people):
        name = rng.choices(names, weights)[0]
        local = local_due[name]
        result.append(Plan(index, name, local.time().replace(tzinfo=None),
                           _days_including(local.weekday(), rng.randrange(10))))
    return result


def zone_counts(people: Sequence[Plan]) -> dict[str, int]:
    """How many people live in each zone, in ZONES order."""
    counts = dict.fromkeys((name for name, _ in ZONES), 0)
    for plan in people:
        counts[plan.zone] += 1
    return counts


T = TypeVar("T")


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    """Consecutive slices of at most `size` items."""
    for start in range(0, len(items), size):
        yield items[start:start + size]


async def insert_people(engine: AsyncEngine, people: Sequence[Plan], exercises: Sequence[str],
                        now: datetime) -> list[int]:
    """Onboarded people with their settings, conversation and program; their row ids."""
    onboarded = now - timedelta(days=30)
    for part in chunks(people):
        async with engine.begin() as connection:
            await connection.execute(insert(PersonRow), [{
                "telegram_user_id": plan.telegram_user_id,
                "chat_id": plan.telegram_user_id,
                "language": "en",
                "created_at": onboarded,
                "consented_at": onboarded,
                "country_code": "PT",
                "safety_seen_at": onboarded,
                "onboarded_at": onboarded,
                "reminder_time_zone": plan.zone,
                "reminder_session_time": time_text(plan.local),
                "reminder_days": days_text(plan.days),
            } for plan in part])
            ids = await _person_ids(connection, part)
            await connection.execute(insert(ConversationRow), [{
                "person_id": person_id, "flow": "onboarding", "state": "done", "data": {},
                "revision": ONBOARDED_REVISION, "updated_at": onboarded,
            } for person_id in ids])
            await connection.execute(insert(PrescriptionRow), [{
                "person_id": person_id, "exercise_id": exercise, "enabled": True,
                "hold_seconds": None, "repetitions": None, "sets": None,
            } for person_id in ids for exercise in exercises])
    async with engine.connect() as connection:
        return await _person_ids(connection, people)


async def _person_ids(connection: AsyncConnection, people: Sequence[Plan]) -> list[int]:
    first, last = people[0].telegram_user_id, people[-1].telegram_user_id
    rows = await connection.execute(
        select(PersonRow.telegram_user_id, PersonRow.id)
        .where(PersonRow.telegram_user_id.between(first, last)))
    by_telegram = dict(rows.tuples().all())
    return [by_telegram[plan.telegram_user_id] for plan in people]


def reminder_rows(person_ids: Sequence[int], fires: Sequence[datetime]) -> list[dict[str, Any]]:
    """Parameters for pending session reminders, one per person."""
    return [{"person_id": person_id, "kind": KIND, "fire_at": fire_at, "status": PENDING}
            for person_id, fire_at in zip(person_ids, fires, strict=True)]


async def insert_reminders(connection: AsyncConnection, rows: Sequence[dict[str, Any]]) -> None:
    """One executemany INSERT into reminders (the caller owns the transaction)."""
    await connection.execute(insert(ReminderRow), rows)


async def reset_due(engine: AsyncEngine, due: datetime) -> int:
    """Put the due-minute reminders back to pending (claimed or sent ones); how many moved."""
    async with engine.begin() as connection:
        result = await connection.execute(
            update(ReminderRow)
            .where(ReminderRow.fire_at == due, ReminderRow.kind == KIND,
                   ReminderRow.status.in_((CLAIMED, SENT)))
            .values(status=PENDING, claimed_at=None, claimed_by=None, sent_at=None))
    return int(result.rowcount or 0)


async def status_counts(engine: AsyncEngine, due: datetime) -> dict[str, int]:
    """The due-minute session reminders by status."""
    async with engine.connect() as connection:
        rows = await connection.execute(
            select(ReminderRow.status, func.count())
            .where(ReminderRow.fire_at == due, ReminderRow.kind == KIND)
            .group_by(ReminderRow.status))
        return {status: int(count) for status, count in rows.tuples()}


async def tidy(engine: AsyncEngine) -> None:
    """After bulk writes: VACUUM ANALYZE on PostgreSQL, as autovacuum would do in service.

    SQLite is left alone: a deployed bot never runs ANALYZE there either.
    """
    if engine.dialect.name != "postgresql":
        return
    async with engine.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        for table in ("people", "conversations", "prescriptions", "reminders"):
            await autocommit.execute(text(f"VACUUM ANALYZE {table}"))


async def server_version(engine: AsyncEngine) -> str:
    """'SQLite 3.x' or 'PostgreSQL 15.x'."""
    async with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            return "SQLite " + str((await connection.execute(
                text("select sqlite_version()"))).scalar_one())
        return "PostgreSQL " + str((await connection.execute(
            text("show server_version"))).scalar_one()).split()[0]


async def register_chats(emulator: Emulator, people: int) -> None:
    """Give the emulator one started private chat per person, with the ids people rows use."""
    for index in range(people):
        user = emulator.user(f"p{index}")
        if user.user_id != FIRST_USER_ID + index:
            raise RuntimeError(f"emulator user {user.user_id} is not person {index}: "
                               "register the chats on a fresh emulator")
        if index % 10_000 == 9_999:
            await asyncio.sleep(0)  # keep the loop (and the emulator's server) responsive
