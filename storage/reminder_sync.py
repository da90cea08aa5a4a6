"""Loading and writing back a person's pending reminders and next appointment.

Used by storage.repositories.SqlPeopleRepository; the scheduler's side (claiming due
reminders, marking them sent) is storage.reminder_queue.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.model import Appointment, Reminder
from storage.models import AppointmentRow, ReminderRow
from storage.queries import APPOINTMENT, PENDING_REMINDERS
from storage.reminder_mapping import (
    CANCELLED,
    PENDING,
    appointment_from_row,
    new_reminder_row,
    reminder_from_row,
    write_reminder,
)


async def pending_reminder_rows(session: AsyncSession, person_id: int) -> list[ReminderRow]:
    """The person's pending reminder rows, earliest first, locked (pending_reminders_query)."""
    rows = await session.execute(PENDING_REMINDERS, {"person_id": person_id})
    return list(rows.scalars())


def reminders_of(rows: Iterable[ReminderRow]) -> list[Reminder]:
    """The domain's reminders of these rows."""
    return [reminder_from_row(row) for row in rows]


async def write_reminders(
    session: AsyncSession, person_id: int, reminders: Sequence[Reminder], now: datetime,
    loaded: Iterable[ReminderRow] | None = None,
) -> None:
    """Make the stored reminders match `reminders`; new ones get their ids.

    `loaded`: the pending rows as read (and locked) in this transaction; None reads them.

    A reminder without an id is inserted. One with an id is updated (kind, fire_at,
    status) while its row is still pending; a row the queue has claimed or settled since is
    left as it is. Pending rows whose id is no longer in `reminders` become cancelled (kept
    for the audit trail). An id of another person's reminder, or of none, is a LookupError.
    """
    rows = await pending_reminder_rows(session, person_id) if loaded is None else loaded
    # A loaded row the queue claimed since (in this same transaction: the others wait for
    # the row locks) shows it: claim_due synchronises the rows in the session.
    pending = {row.id: row for row in rows if row.status == PENDING}
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


def appointment_of(row: AppointmentRow | None) -> Appointment | None:
    """The domain's appointment of this row (None: none stored)."""
    return None if row is None else appointment_from_row(row)


async def write_appointment(
    session: AsyncSession, person_id: int, appointment: Appointment | None,
    loaded: list[AppointmentRow | None] | None = None,
) -> None:
    """Store the person's next appointment; None removes it.

    The loaded appointment (same id) is updated in place. One without an id replaces
    whatever was stored and gets a new id, so that buttons naming the old one go stale.
    `loaded`: [the row read in this transaction, or None for none]; None reads it again.
    """
    existing = await appointment_row(session, person_id) if loaded is None else loaded[0]
    if appointment is not None and appointment.id is not None:
        if existing is None or existing.id != appointment.id:
            raise LookupError(f"appointment {appointment.id} of person {person_id} not found")
        existing.at = appointment.at
        existing.with_whom = appointment.with_whom
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


async def appointment_row(session: AsyncSession, person_id: int) -> AppointmentRow | None:
    """The person's appointment row, or None."""
    return (await session.execute(APPOINTMENT, {"person_id": person_id})).scalar_one_or_none()
