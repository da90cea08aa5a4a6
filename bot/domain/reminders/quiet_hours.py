"""Quiet hours against the daily reminder times: which reminder the window hides, and when
it would come instead."""

from __future__ import annotations

from datetime import time

from bot.domain.model import ReminderSettings

# The daily reminders a quiet window can hide, by the setting that holds their time.
TIMES = ("session_time", "checkin_time")


def in_window(wall: time, start: time, end: time) -> bool:
    """Whether a wall-clock time is in [start, end), a window that may cross midnight."""
    wall, start, end = (t.replace(tzinfo=None) for t in (wall, start, end))
    if start <= end:
        return start <= wall < end  # start == end is an empty window, not a whole day
    return wall >= start or wall < end


def hidden(settings: ReminderSettings) -> str | None:
    """The first setting whose daily reminder falls in the quiet hours, or None."""
    start, end = settings.quiet_start, settings.quiet_end
    if start is None or end is None:
        return None
    for field in TIMES:
        wall: time | None = getattr(settings, field)
        if wall is not None and in_window(wall, start, end):
            return field
    return None


def move_one(settings: ReminderSettings, field: str, which: str) -> None:
    """Settle a clash: 'reminder' moves the reminder to the end of the quiet hours, 'quiet'
    ends the quiet hours at the reminder's time; anything else leaves both."""
    wall: time | None = getattr(settings, field, None)
    if wall is None or settings.quiet_end is None:
        return
    if which == "reminder":
        setattr(settings, field, settings.quiet_end)
    elif which == "quiet" and wall != settings.quiet_start:
        settings.quiet_end = wall
