"""Loading and writing back a person's pending reminders and next appointment.

Used by storage.repositories.SqlPeopleRepository; the scheduler's side (claiming due
reminders, marking them sent) is storage.reminder_queue.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.model import Appointment, Reminder
from storage.models import AppointmentRow, ReminderRow
from storage.reminder_mapping import (
    CANCELLED,
    PENDING,
    appointment_from_row,
    new_reminder_row,
    reminder_from_row,
    write_reminder,
)


def pending_reminders_query(person_id: int) -> Select[tuple[ReminderRow]]:
    """A person's pending reminders, earliest first, row-locked until the transaction ends.

    The lock (PostgreSQL; SQLite serialises writers anyway) keeps the queue's claim, which
    skips locked rows, away from reminders a handler has loaded and may change or cancel.
    """
    return (
        select(ReminderRow)
        .where(ReminderRow.person_id == person_id, ReminderRow.status == PENDING)
        .order_by(ReminderRow.fire_at, ReminderRow.id)
        .with_for_update()
        # Rows cached in this session may predate the lock; reload them.
        .execution_options(populate_existing=True)
    )


async def load_pending_reminders(session: AsyncSession, person_id: int) -> list[Reminder]:
    """The person's pending reminders, earliest first, locked (see pending_reminders_query)."""
    rows = (await session.execute(pending_reminders_query(person_id))).scalars()
    return [reminder_from_row(row) for row in rows]


async def write_reminders(
    session: AsyncSession, person_id: int, reminders: Sequence[Reminder], now: datetime
) -> None:
    """Make the stored reminders match `reminders`; new ones get their ids.

    A reminder without an id is inserted. One with an id is updated (kind, fire_at,
    status) while its row is still pending; a row the queue has claimed or settled since is
    left as it is. Pending rows whose id is no longer in `reminders` become cancelled (kept
    for the audit trail). An id of another person's reminder, or of none, is a LookupError.
    """
    pending = {row.id: row for row in (await session.execute(
        pending_reminders_query(person_id))).scalars()}
    kept: set[int] = set()
    added: list[tuple[Reminder, ReminderRow]] = []
    for reminder in reminders:
        if reminder.id is None:
            row = new_reminder_row(person_id, reminder, now)
            session.add(row)
            added.append((reminder, row))
            continue
        kept.add(reminder.id)
        row_or_none = pending.get(reminder.id)
        if row_or_none is None:
            existing = await session.get(ReminderRow, reminder.id)
            if existing is None or existing.person_id != person_id:
                raise LookupError(f"reminder {reminder.id} of person {person_id} not found")
            continue
        write_reminder(row_or_none, reminder, now)
    for reminder_id, row in pending.items():
        if reminder_id not in kept:
            row.status = CANCELLED
    await session.flush()
    for reminder, row in added:
        reminder.id = row.id


async def load_appointment(session: AsyncSession, person_id: int) -> Appointment | None:
    """The person's next appointment, or None."""
    row = await _appointment_row(session, person_id)
    return None if row is None else appointment_from_row(row)


async def write_appointment(
    session: AsyncSession, person_id: int, appointment: Appointment | None
) -> None:
    """Store the person's next appointment; None removes it.

    The loaded appointment (same id) is updated in place. One without an id replaces
    whatever was stored and gets a new id, so that buttons naming the old one go stale.
    """
    existing = await _appointment_row(session, person_id)
    if appointment is not None and appointment.id is not None:
        if existing is None or existing.id != appointment.id:
            raise LookupError(f"appointment {appointment.id} of person {person_id} not found")
        existing.at = appointment.at
        existing.with_whom = appointment.with_whom
        await session.flush()
        return
    if existing is not None:
        await session.delete(existing)
        # Before the insert: person_id is unique, and a flush inserts before it deletes.
        await session.flush()
    if appointment is None:
        return
    row = AppointmentRow(person_id=person_id, at=appointment.at, with_whom=appointment.with_whom)
    session.add(row)
    await session.flush()
    appointment.id = row.id


async def _appointment_row(session: AsyncSession, person_id: int) -> AppointmentRow | None:
    statement = (
        select(AppointmentRow)
        .where(AppointmentRow.person_id == person_id)
        .execution_options(populate_existing=True)
    )
    return (await session.execute(statement)).scalar_one_or_none()
