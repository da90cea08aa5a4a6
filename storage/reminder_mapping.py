"""Conversion between the domain ReminderSettings / Reminder / Appointment and their rows.

The settings live in columns of `people`: local times as "HH:MM" text (minutes only, no
zone: they are local to reminder_time_zone) and the weekdays as "0,1,2,3,4,5,6" (Monday 0),
in the order the domain gave them. Reminders and the appointment have tables of their own.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time

from bot.domain.model import (
    REMINDER_KINDS,
    REMINDER_STATUSES,
    Appointment,
    Person,
    Reminder,
    ReminderSettings,
    one_of,
)
from storage.models import AppointmentRow, PersonRow, ReminderRow

PENDING = "pending"
CLAIMED = "claimed"
SENT = "sent"
MISSED = "missed"
CANCELLED = "cancelled"
# What the domain may give a reminder; CLAIMED belongs to the queue alone.
DOMAIN_STATUSES = frozenset({PENDING, SENT, MISSED, CANCELLED})

# Column lengths, checked here so that SQLite (which ignores them) refuses what
# PostgreSQL would.
TIME_ZONE_LENGTH = 40
KIND_LENGTH = 24
WITH_WHOM_LENGTH = 200


def check_reminder_fields(person: Person) -> None:
    """Refuse settings, reminders or an appointment the columns cannot hold faithfully.

    Called before anything is written, so that a refusal leaves no half-written person.
    """
    settings = person.reminder_settings
    zone = settings.time_zone
    if zone is not None and len(zone) > TIME_ZONE_LENGTH:
        raise ValueError(f"time zone {zone!r} is longer than {TIME_ZONE_LENGTH} characters")
    for local in (settings.session_time, settings.quiet_start, settings.quiet_end,
                  settings.checkin_time):
        time_text(local)
    days_text(settings.days)
    for reminder in person.reminders:
        if reminder.status not in DOMAIN_STATUSES:
            raise ValueError(f"reminder status {reminder.status!r}: not one of "
                             f"{sorted(DOMAIN_STATUSES)}")
        if len(reminder.kind) > KIND_LENGTH:
            raise ValueError(f"reminder kind {reminder.kind!r} is longer than {KIND_LENGTH}")
        _check_aware(reminder.fire_at)
    appointment = person.appointment
    if appointment is not None:
        if len(appointment.with_whom) > WITH_WHOM_LENGTH:
            raise ValueError(f"appointment with_whom is longer than {WITH_WHOM_LENGTH}")
        _check_aware(appointment.at)


def time_text(local: time | None) -> str | None:
    """"HH:MM" for a local time of day; refuses seconds and zones, which would be lost."""
    if local is None:
        return None
    if local.second or local.microsecond or local.tzinfo is not None:
        raise ValueError(f"reminder time {local!r}: only hours and minutes can be stored")
    return f"{local.hour:02d}:{local.minute:02d}"


def parse_time(text: str | None) -> time | None:
    """The local time of an "HH:MM" column."""
    if text is None:
        return None
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def days_text(days: Sequence[int]) -> str:
    """The weekdays as "0,2,4", in the given order; each 0-6 and at most once."""
    if any(not 0 <= day <= 6 for day in days) or len(set(days)) != len(days):
        raise ValueError(f"reminder days {days!r}: each weekday 0-6, at most once")
    return ",".join(str(day) for day in days)


def parse_days(text: str) -> tuple[int, ...]:
    """The weekdays of a reminder_days column ("" is no day at all)."""
    return tuple(int(day) for day in text.split(",")) if text else ()


def settings_from_row(row: PersonRow) -> ReminderSettings:
    """The domain ReminderSettings kept in the people columns."""
    return ReminderSettings(
        time_zone=row.reminder_time_zone,
        session_time=parse_time(row.reminder_session_time),
        days=parse_days(row.reminder_days),
        paused=row.reminders_paused,
        quiet_start=parse_time(row.quiet_start),
        quiet_end=parse_time(row.quiet_end),
        checkin_time=parse_time(row.checkin_time),
    )


def write_settings(row: PersonRow, settings: ReminderSettings) -> None:
    """Copy the settings into the people columns."""
    row.reminder_time_zone = settings.time_zone
    row.reminder_session_time = time_text(settings.session_time)
    row.reminder_days = days_text(settings.days)
    row.reminders_paused = settings.paused
    row.quiet_start = time_text(settings.quiet_start)
    row.quiet_end = time_text(settings.quiet_end)
    row.checkin_time = time_text(settings.checkin_time)


def reminder_from_row(row: ReminderRow) -> Reminder:
    """The domain Reminder of a row, with its id."""
    return Reminder(kind=one_of(row.kind, REMINDER_KINDS), fire_at=row.fire_at, id=row.id,
                    status=one_of(row.status, REMINDER_STATUSES))


def new_reminder_row(person_id: int, reminder: Reminder, now: datetime) -> ReminderRow:
    """A new reminders row for `reminder` (its id is ignored)."""
    row = ReminderRow(person_id=person_id, status=PENDING)
    write_reminder(row, reminder, now)
    return row


def write_reminder(row: ReminderRow, reminder: Reminder, now: datetime) -> None:
    """Copy kind, fire time and status; a reminder becoming sent is stamped `now`."""
    if reminder.status == SENT and row.sent_at is None:
        row.sent_at = now
    row.kind = reminder.kind
    row.fire_at = reminder.fire_at
    row.status = reminder.status


def appointment_from_row(row: AppointmentRow) -> Appointment:
    """The domain Appointment of a row, with its id."""
    return Appointment(at=row.at, with_whom=row.with_whom, id=row.id)


def _check_aware(moment: datetime) -> None:
    if moment.tzinfo is None:
        raise ValueError(f"naive datetime {moment!r}: pass a timezone-aware time")
