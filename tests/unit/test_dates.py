"""Dates as people type them, and the reminders an appointment plans."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.appointments.flow import schedule
from bot.domain.engine.replies import Line
from bot.domain.model import Appointment, Person, ReminderSettings
from bot.domain.understanding.dates import parse_date, read_date, said_date
from bot.loaders.calendar import load_calendar
from bot.loaders.content import load_content
from bot.telegram.rendering import render_plain

MONDAY = date(2026, 1, 5)
WORDS = load_calendar().dates  # every language's, as the bot reads them


@pytest.mark.parametrize(("typed", "expected"), [
    ("tomorrow", date(2026, 1, 6)),
    ("today", MONDAY),
    ("this tuesday", date(2026, 1, 6)),
    ("on Tuesday", date(2026, 1, 6)),
    ("tuesday week", date(2026, 1, 13)),
    ("next monday", date(2026, 1, 12)),  # the coming Monday is next week: one reading
    ("Mon", date(2026, 1, 12)),  # "monday" said on a Monday means next week
    ("12 March", date(2026, 3, 12)),
    ("march 12th", date(2026, 3, 12)),
    ("12/3", date(2026, 3, 12)),
    ("12.03.2026", date(2026, 3, 12)),
    ("2026-03-12", date(2026, 3, 12)),
    ("3 jan", date(2027, 1, 3)),  # already past this year: next year
    ("in 2 weeks", date(2026, 1, 19)),
    ("in 3 days", date(2026, 1, 8)),
])
def test_dates_people_type(typed: str, expected: date) -> None:
    assert parse_date(typed, MONDAY, WORDS) == expected


@pytest.mark.parametrize(("typed", "readings"), [
    ("next tuesday", (date(2026, 1, 6), date(2026, 1, 13))),
    ("Next Fri", (date(2026, 1, 9), date(2026, 1, 16))),
    ("next sunday", (date(2026, 1, 11), date(2026, 1, 18))),
    ("next monday", (date(2026, 1, 12),)),
    ("tuesday week", (date(2026, 1, 13),)),
    ("tuesday", (date(2026, 1, 6),)),
    ("next tuesday friday", ()),
    ("next next tuesday", ()),
])
def test_next_weekday_said_on_a_monday(typed: str, readings: tuple[date, ...]) -> None:
    assert read_date(typed, MONDAY, WORDS) == readings


def test_an_ambiguous_date_is_not_one_date() -> None:
    assert parse_date("next tuesday", MONDAY, WORDS) is None


def test_next_tuesday_said_on_monday_7_december() -> None:
    monday = date(2026, 12, 7)
    assert read_date("next Tuesday", monday, WORDS) == (date(2026, 12, 8), date(2026, 12, 15))
    assert read_date("tuesday week", monday, WORDS) == (date(2026, 12, 15),)


@given(st.dates(date(2020, 1, 1), date(2035, 12, 31)), st.integers(1, 7))
def test_next_weekday_on_any_day(today: date, day: int) -> None:
    name = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")[day - 1]
    readings = read_date(f"next {name}", today, WORDS)
    later_this_week = day > today.isoweekday()
    assert len(readings) == (2 if later_this_week else 1)
    assert all(r.isoweekday() == day for r in readings)
    assert 1 <= (readings[0] - today).days <= 7
    if later_this_week:
        assert (readings[1] - readings[0]).days == 7
    (week,) = read_date(f"{name} week", today, WORDS)
    assert week == read_date(name, today, WORDS)[0] + timedelta(days=7)


def test_month_first_where_people_write_it_so() -> None:
    assert parse_date("3/12", MONDAY, WORDS, month_first=True) == date(2026, 3, 12)
    assert parse_date("3/12", MONDAY, WORDS) == date(2026, 12, 3)


@pytest.mark.parametrize("typed", ["yesterday", "31/2", "2025-01-01", "soon", "", "13/13"])
def test_unreadable_or_past_dates_are_refused(typed: str) -> None:
    assert parse_date(typed, MONDAY, WORDS) is None


@given(st.text(max_size=80))
def test_any_text_never_raises(text: str) -> None:
    found = parse_date(text, MONDAY, WORDS)
    assert found is None or found >= MONDAY


def test_appointment_reminders_at_nine_local_across_a_clock_change() -> None:
    person = Person(1, 1, "en", created_at=datetime(2026, 3, 1, tzinfo=UTC))
    person.reminder_settings = ReminderSettings(time_zone="Europe/Lisbon")
    # The visit is on Tuesday 31 March 2026, 10:30 Lisbon summer time (09:30 UTC);
    # clocks went forward on Sunday 29 March.
    person.appointment = Appointment(datetime(2026, 3, 31, 9, 30, tzinfo=UTC), "Dr Silva")
    schedule(person, datetime(2026, 3, 20, tzinfo=UTC))
    planned = {r.kind: r.fire_at for r in person.reminders}
    assert planned == {
        "appointment_3d": datetime(2026, 3, 28, 9, 0, tzinfo=UTC),  # 09:00 winter time
        "appointment_1d": datetime(2026, 3, 30, 8, 0, tzinfo=UTC),  # 09:00 summer time
        "visit_done": datetime(2026, 3, 31, 11, 30, tzinfo=UTC),
    }
    schedule(person, datetime(2026, 3, 29, tzinfo=UTC))  # later: the 3-day one is past
    assert sorted(r.kind for r in person.reminders) == ["appointment_1d", "visit_done"]


def test_a_date_is_said_back_with_string_keys() -> None:
    english = load_content().locales.texts("en")

    def said(line: Line) -> str:
        return render_plain(line, english)

    assert said(said_date("date.visit", date(2026, 1, 12))) == "Mon 12 Jan 2026"
    assert said(said_date("date.next_reminder", date(2026, 1, 6), time="09:00")) == (
        "Tue 06 Jan at 09:00")
    assert said(said_date("date.asked", date(2026, 12, 3))) == "3 Dec"
