"""Quiet hours against the daily reminder times: which one a window hides, and moving one."""

from __future__ import annotations

from datetime import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.model import ReminderSettings
from bot.domain.reminders.quiet_hours import hidden, in_window, move_one

clocks = st.times().map(lambda t: t.replace(second=0, microsecond=0))


@pytest.mark.parametrize(("wall", "start", "end", "inside"), [
    (time(6, 45), time(22), time(8), True),
    (time(23, 0), time(22), time(8), True),
    (time(8, 0), time(22), time(8), False),  # the end is not quiet
    (time(22, 0), time(22), time(8), True),  # the start is
    (time(12, 0), time(22), time(8), False),
    (time(13, 0), time(12), time(14), True),
    (time(9, 0), time(9), time(9), False),  # an empty window
])
def test_a_clock_in_a_window(wall: time, start: time, end: time, inside: bool) -> None:
    assert in_window(wall, start, end) is inside


def test_a_reminder_at_06_45_under_22_to_08_is_hidden() -> None:
    settings = ReminderSettings(time_zone="Europe/Lisbon", session_time=time(6, 45),
                                quiet_start=time(22), quiet_end=time(8))
    assert hidden(settings) == "session_time"
    settings.session_time = time(9)
    assert hidden(settings) is None
    settings.checkin_time = time(23, 30)
    assert hidden(settings) == "checkin_time"
    settings.quiet_start = None
    assert hidden(settings) is None


@given(clocks, clocks, clocks, st.sampled_from(["reminder", "quiet"]))
def test_moving_one_leaves_the_reminder_outside_the_window(
        wall: time, start: time, end: time, which: str) -> None:
    settings = ReminderSettings(time_zone="UTC", session_time=wall, quiet_start=start,
                                quiet_end=end)
    if hidden(settings) is None:
        return
    move_one(settings, "session_time", which)
    if which == "quiet" and wall == start:
        assert settings.quiet_end == end  # ending them where they start would leave none
    else:
        assert hidden(settings) is None
        assert settings.quiet_start == start


def test_leaving_it_changes_nothing() -> None:
    settings = ReminderSettings(time_zone="UTC", session_time=time(6, 45),
                                quiet_start=time(22), quiet_end=time(8))
    move_one(settings, "session_time", "keep")
    assert (settings.session_time, settings.quiet_start, settings.quiet_end) == (
        time(6, 45), time(22), time(8))
