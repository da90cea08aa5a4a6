"""When reminders fire: local wall-clock times to UTC instants, quiet hours, lateness, and
reading the times and days people type. Pure functions; the current time is always passed in.

Two rules for days when clocks change (the PEP 495 meaning of fold=0, which zoneinfo follows):
- a local time that does not exist that day (spring forward) is shifted forward by the length
  of the gap: 02:30 on a day whose clocks jump 02:00 -> 03:00 fires at 03:30;
- a local time that occurs twice (fall back) fires once, at its first occurrence.
Quiet hours are a window on the wall clock and end at the first instant the clock is out of
it: when the clocks jump over the end time (or back to before the start), at the jump itself.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Literal

from bot.domain.engine.replies import Line
from bot.domain.reminders.quiet_hours import in_window
from bot.domain.reminders.timezones import (
    as_utc,
    find_zone,
    parse_offset,
    zone,
    zone_from_local_time,
)
from bot.domain.understanding.days_and_times import (
    EVERY_DAY,
    WEEKDAYS,
    WEEKENDS,
    DayWords,
    TimeWords,
    describe_days,
    parse_days,
    parse_hours,
    parse_time,
)

if TYPE_CHECKING:
    from bot.domain.model import ReminderSettings

# The readers of typed days, times and zones live in days_and_times.py and timezones.py;
# they are re-exported so callers need one import.
__all__ = [
    "EVERY_DAY",
    "WEEKDAYS",
    "WEEKENDS",
    "DayWords",
    "TimeWords",
    "after_quiet_hours",
    "describe_days",
    "find_zone",
    "in_quiet_hours",
    "late_policy",
    "next_fire",
    "parse_days",
    "parse_hours",
    "parse_offset",
    "parse_time",
    "settings_summary",
    "shift",
    "wall_time_exists",
    "wall_to_utc",
    "zone",
    "zone_from_local_time",
]

# Enough days to pass the longest run of excluded weekdays, plus a day skipped by a date-line
# move (Samoa, 2011) and the day before `after`, whose shifted gap time may still be ahead.
_SEARCH_DAYS = 16


def _at(day: date, local: time, tz: tzinfo) -> datetime:
    # fold=0 gives both documented rules at once: the first of two occurrences, and for a time
    # in a gap the offset from before the change, which lands the length of the gap later.
    return datetime.combine(day, local.replace(tzinfo=None, fold=0), tzinfo=tz).astimezone(UTC)


def wall_to_utc(day: date, local: time, tz_name: str) -> datetime:
    """The UTC instant of a local wall-clock time on a date, by the module's gap and fold rules."""
    return _at(day, local, zone(tz_name))


def wall_time_exists(day: date, local: time, tz_name: str) -> bool:
    """False when the local time falls in a spring-forward gap that day (a UTC round trip)."""
    tz = zone(tz_name)
    naive = datetime.combine(day, local.replace(tzinfo=None, fold=0))
    return _at(day, local, tz).astimezone(tz).replace(tzinfo=None, fold=0) == naive


def next_fire(local: time, days: tuple[int, ...], tz_name: str, after: datetime) -> datetime | None:
    """The first UTC instant strictly after `after` when it is `local` on one of `days` in tz."""
    if not days:
        return None
    if any(day not in EVERY_DAY for day in days):
        raise ValueError(f"days are 0 (Monday) to 6: {days!r}")
    tz = zone(tz_name)
    start = as_utc(after)
    # Walk local calendar dates, never adding 24 hours to an instant: a day with a clock
    # change is 23 or 25 hours long, and that is how reminders get skipped or doubled.
    first = start.astimezone(tz).date() - timedelta(days=1)
    for offset in range(_SEARCH_DAYS):
        day = first + timedelta(days=offset)
        if day.weekday() in days:
            candidate = _at(day, local, tz)
            if candidate > start:
                return candidate
    raise RuntimeError("no fire time found")  # unreachable: some allowed day is in range


def in_quiet_hours(
    moment_utc: datetime, quiet_start: time | None, quiet_end: time | None, tz_name: str
) -> bool:
    """Whether the local time is in [start, end), a window that may cross midnight."""
    if quiet_start is None or quiet_end is None:
        return False
    return in_window(as_utc(moment_utc).astimezone(zone(tz_name)).time(), quiet_start, quiet_end)


def after_quiet_hours(
    moment_utc: datetime, quiet_start: time | None, quiet_end: time | None, tz_name: str
) -> datetime:
    """The end (UTC) of the quiet window containing the moment; the moment itself if none."""
    moment = as_utc(moment_utc)
    if quiet_start is None or quiet_end is None:
        return moment
    if not in_quiet_hours(moment, quiet_start, quiet_end, tz_name):
        return moment
    start, end_time = quiet_start.replace(tzinfo=None), quiet_end.replace(tzinfo=None)
    tz = zone(tz_name)
    current = moment
    # Usually one pass. A clock change can end the window early (spring forward over its end,
    # fall back to before its start) or, in a window of nearly a day, jump back into it.
    for _ in range(4):
        local = current.astimezone(tz)
        day = local.date()
        if start > end_time and local.time() >= start:
            day += timedelta(days=1)  # the window crosses midnight: it ends tomorrow
        end = _at(day, end_time, tz)
        if end <= current:
            # We are in the second pass of a repeated hour, so the end is its second pass.
            end = datetime.combine(day, end_time.replace(fold=1), tzinfo=tz).astimezone(UTC)
        if _offset(current, tz) != _offset(end, tz):
            jump = _clocks_change(current, end, tz)
            if not in_quiet_hours(jump, start, end_time, tz_name):
                return jump
        if not in_quiet_hours(end, start, end_time, tz_name):
            return end
        current = end
    return current  # not reached with any real zone: no window is entered four times


def _offset(moment: datetime, tz: tzinfo) -> timedelta | None:
    return moment.astimezone(tz).utcoffset()


def _clocks_change(low: datetime, high: datetime, tz: tzinfo) -> datetime:
    """The instant, to the second, the offset changes between two instants with different ones."""
    target = _offset(high, tz)
    # Changes happen on whole seconds: halve the interval until one second is left.
    first, last = math.floor(low.timestamp()), math.floor(high.timestamp())
    while last - first > 1:
        middle = (first + last) // 2
        if _offset(datetime.fromtimestamp(middle, UTC), tz) == target:
            last = middle
        else:
            first = middle
    return datetime.fromtimestamp(last, UTC)


def shift(fire_at: datetime, minutes: int) -> datetime:
    """The fire time moved by real minutes (a snooze), in UTC, whatever the clocks do meanwhile."""
    return as_utc(fire_at) + timedelta(minutes=minutes)


def late_policy(
    fire_at: datetime, now: datetime, limit: timedelta = timedelta(hours=1)
) -> Literal["send", "missed", "early"]:
    """'early' before the fire time, 'send' if less than `limit` late, else 'missed'."""
    lateness = as_utc(now) - as_utc(fire_at)
    if lateness < timedelta(0):
        return "early"
    return "send" if lateness < limit else "missed"


def settings_summary(settings: ReminderSettings) -> dict[str, str | Line]:
    """Values for the bot's sentence, '' when unset; the days as a line to render."""

    def clock(value: time | None) -> str:
        return value.strftime("%H:%M") if value is not None else ""

    quiet = ""
    if settings.quiet_start is not None and settings.quiet_end is not None:
        quiet = f"{clock(settings.quiet_start)}-{clock(settings.quiet_end)}"
    return {
        "time": clock(settings.session_time),
        "days": describe_days(settings.days),
        "zone": settings.time_zone or "",
        "paused": "yes" if settings.paused else "no",
        "quiet": quiet,
        "checkin": clock(settings.checkin_time),
    }
