"""Which reminders a person has pending, worked out again whenever anything changes."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from bot.domain.model import Person, Reminder, ReminderKind, ReminderSettings
from bot.domain.reminders.schedule import after_quiet_hours, in_quiet_hours, next_fire, wall_to_utc
from bot.domain.reminders.timezones import zone

DAILY_KINDS: tuple[ReminderKind, ...] = ("session", "checkin")
NUDGE_AFTER = timedelta(hours=2)
# Same-day invitations to exercise, dropped at once after any warning sign.
SAME_DAY_KINDS: tuple[ReminderKind, ...] = ("session_nudge", "session_snooze")


def _respect_quiet_hours(moment: datetime, settings: ReminderSettings) -> datetime:
    if settings.quiet_start is None or settings.quiet_end is None or not settings.time_zone:
        return moment
    if in_quiet_hours(moment, settings.quiet_start, settings.quiet_end, settings.time_zone):
        return after_quiet_hours(moment, settings.quiet_start, settings.quiet_end,
                                 settings.time_zone)
    return moment


def next_daily(kind: ReminderKind, settings: ReminderSettings, after: datetime) -> datetime | None:
    """When the next daily reminder of this kind is due, or None when it is off."""
    local = settings.session_time if kind == "session" else settings.checkin_time
    if local is None or settings.time_zone is None or settings.paused:
        return None
    days = settings.days if kind == "session" else (0, 1, 2, 3, 4, 5, 6)
    moment = next_fire(local, days, settings.time_zone, after)
    return _respect_quiet_hours(moment, settings) if moment else None


def reschedule(person: Person, now: datetime) -> None:
    """Replace the pending daily reminders with the ones the settings ask for now.

    Reminders the repository no longer finds in the list are cancelled, not deleted.
    """
    replaced = (*DAILY_KINDS, "session_nudge")
    person.reminders = [r for r in person.reminders
                        if r.kind not in replaced or r.status != "pending"]
    if person.inactive:
        return
    after = max(now, person.rest_until or now)
    for kind in DAILY_KINDS:
        due = next_daily(kind, person.reminder_settings, after)
        if due is not None:
            person.reminders.append(Reminder(kind, due))


def schedule_next_after(person: Person, kind: ReminderKind, fired_at: datetime) -> None:
    """After a daily reminder fired, plan tomorrow's (strictly after the one that fired)."""
    due = next_daily(kind, person.reminder_settings, max(fired_at, person.rest_until or fired_at))
    if due is not None and not any(r.kind == kind and r.status == "pending"
                                   for r in person.reminders):
        person.reminders.append(Reminder(kind, due))


def add_nudge(person: Person, fired_at: datetime) -> None:
    """One gentle follow-up two hours after the session reminder, never more that day."""
    cancel(person, "session_nudge")
    person.reminders.append(Reminder("session_nudge", fired_at + NUDGE_AFTER))


def cancel(person: Person, kind: ReminderKind) -> None:
    """Drop pending reminders of this kind (the repository marks them cancelled)."""
    person.reminders = [r for r in person.reminders
                        if not (r.kind == kind and r.status == "pending")]


def resting(person: Person, now: datetime) -> bool:
    """True on the day of an urgent or emergency sign: no invitation to exercise."""
    return person.rest_until is not None and now < person.rest_until


def reminders_on(person: Person) -> bool:
    """True when a daily session reminder or check-in prompt is set and not paused."""
    settings = person.reminder_settings
    return bool(settings.time_zone and not settings.paused
                and (settings.session_time or settings.checkin_time))


def end_of_day(person: Person, now: datetime) -> datetime:
    """Midnight at the end of the person's local day (UTC when no time zone is known)."""
    name = person.reminder_settings.time_zone or "UTC"
    tomorrow = now.astimezone(zone(name)).date() + timedelta(days=1)
    return wall_to_utc(tomorrow, time(0), name)


def rest_today(person: Person, now: datetime) -> None:
    """An urgent or emergency sign: hold back the rest of today's exercise reminders.

    Today's daily reminders move to their next time after midnight, local time; snoozes
    and the nudge are dropped.
    """
    person.rest_until = max(end_of_day(person, now), person.rest_until or now)
    drop_same_day(person)
    reschedule(person, now)


def drop_same_day(person: Person) -> None:
    """Drop a pending snooze and nudge: after a warning sign, no 'time to exercise' ping."""
    for kind in SAME_DAY_KINDS:
        cancel(person, kind)
