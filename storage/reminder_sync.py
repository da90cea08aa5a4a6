"""Loading and writing back a person's pending reminders and next appointment.

Used by storage.repositories.SqlPeopleRepository; the scheduler's side (claiming due
reminders, marking them sent) is storage.reminder_queue.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
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


async def pending_reminder_rows(session: AsyncSession, person_id: int) -> list[ReminderRow]:
    """The person's pending reminder rows, earliest first, locked (pending_reminders_query)."""
    return list((await session.execute(pending_reminders_query(person_id))).scalars())


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
    statement = (
        select(AppointmentRow)
        .where(AppointmentRow.person_id == person_id)
        .execution_options(populate_existing=True)
    )
    return (await session.execute(statement)).scalar_one_or_none()
