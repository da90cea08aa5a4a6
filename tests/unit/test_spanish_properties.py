"""Spanish typed answers as properties (issue 17, point 2): spoken times, quiet hours, day
letters, dates and days ahead are read as said for any value, any text is read without
error, and every example a help line gives is read, in every language. The forms one by
one are in test_spanish_reading.py."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.reminders.schedule import parse_days, parse_hours
from bot.domain.understanding.dates import read_date
from bot.domain.understanding.days_and_times import parse_time
from bot.loaders.content import load_content

CATALOG = load_content().catalog
MONDAY = date(2026, 12, 7)


HOURS = st.integers(min_value=1, max_value=12)
PARTS = ("de la mañana", "de la tarde")
AMOUNTS = {"y cuarto": 15, "y media": 30, "menos cuarto": -15}


@given(HOURS, st.sampled_from(sorted(AMOUNTS)), st.sampled_from(sorted(PARTS)),
       st.booleans())
def test_spoken_times_read_as_said(hour: int, amount: str, part: str, lead: bool) -> None:
    # On the twelve-hour clock: "1 menos cuarto" is 0:45, "12 y media" 0:30.
    said = (hour * 60 + AMOUNTS[amount]) % (12 * 60)
    if part == "de la tarde":  # 12:00 to 21:59
        expected = said + 12 * 60 if said < 10 * 60 else None
    else:  # 00:00 to 12:59: "12 y media de la mañana" could be either, so it is asked
        expected = said if said >= 60 else None
    typed = f"{'a las ' if lead else ''}{hour} {amount} {part}"
    read = parse_time(typed, CATALOG.times)
    assert read == (None if expected is None else time(expected // 60, expected % 60)), typed


@given(st.integers(0, 23), st.integers(0, 59), st.integers(0, 23), st.integers(0, 59),
       st.sampled_from(["de las {} a las {}", "entre las {} y las {}", "desde las {} hasta las {}",
                        "{} - {}"]))
def test_quiet_hours_in_spanish_round_trip(h1: int, m1: int, h2: int, m2: int,
                                           form: str) -> None:
    typed = form.format(f"{h1}:{m1:02d}", f"{h2}:{m2:02d}")
    assert parse_hours(typed, CATALOG.times) == (time(h1, m1), time(h2, m2))


LETTERS = {0: "l", 1: "m", 2: "x", 3: "j", 4: "v", 6: "d"}


@given(st.sets(st.sampled_from(sorted(LETTERS)), min_size=1),
       st.sampled_from([" ", ", ", "-", " y "]))
def test_spanish_day_letters_round_trip(days: set[int], joint: str) -> None:
    typed = joint.join(LETTERS[day].upper() for day in sorted(days))
    spanish_only = days & {0, 2, 3, 4, 6}
    if joint == "-" and len(days) > 1:
        return  # a dash is a range, tested above
    expected = tuple(sorted(days)) if spanish_only else (0,)  # "M" alone is English Monday
    assert parse_days(typed, CATALOG.days) == expected


MONTHS = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
          "septiembre", "octubre", "noviembre", "diciembre"]


@given(st.dates(min_value=MONDAY, max_value=date(2027, 12, 6)), st.booleans(), st.booleans())
def test_spanish_dates_round_trip(day: date, article: bool, numeric: bool) -> None:
    """Any date of the coming year, as '3 de abril', 'el 3 de abril' or 'el 3/4' (day first)."""
    typed = f"{day.day}/{day.month}" if numeric else f"{day.day} de {MONTHS[day.month - 1]}"
    typed = f"el {typed}" if article else typed
    # A day and month without a year is the next such day, today or within a year.
    assert read_date(typed, MONDAY, CATALOG.dates) == (day,), typed


@given(st.integers(0, 23), st.integers(0, 59), st.sampled_from(["a las {}", "{} h", "las {} hs",
                                                                "sobre las {}", "son las {}"]))
def test_spanish_clock_times_round_trip(hour: int, minute: int, form: str) -> None:
    typed = form.format(f"{hour}:{minute:02d}")
    assert parse_time(typed, CATALOG.times) == time(hour, minute), typed


HOUR_WORDS = ["una", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez",
              "", "doce"]


@given(st.integers(1, 12).filter(lambda hour: hour != 11), st.sampled_from(sorted(AMOUNTS)))
def test_hours_said_in_words(hour: int, amount: str) -> None:
    article = "la" if hour == 1 else "las"
    typed = f"{article} {HOUR_WORDS[hour - 1]} {amount}"
    at = (hour * 60 + AMOUNTS[amount]) % (24 * 60)
    assert parse_time(typed, CATALOG.times) == time(at // 60, at % 60), typed


@given(st.integers(1, 10), st.sampled_from([("dia", 1), ("dias", 1), ("semana", 7),
                                            ("semanas", 7)]), st.booleans())
def test_days_ahead_in_words(count: int, unit: tuple[str, int], lead: bool) -> None:
    words = ["una", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez"]
    typed = f"{'dentro de' if lead else 'en'} {words[count - 1]} {unit[0]}"
    assert read_date(typed, MONDAY, CATALOG.dates) == (MONDAY + timedelta(days=count * unit[1]),)


@given(st.text(max_size=300))
def test_any_text_is_read_without_error(text: str) -> None:
    parse_time(text, CATALOG.times)
    parse_hours(text, CATALOG.times)
    parse_days(text, CATALOG.days)
    read_date(text, MONDAY, CATALOG.dates)


LOCALES = load_content().locales
READERS: dict[str, Callable[[str], object]] = {
    "reminders.time": lambda typed: parse_time(typed, CATALOG.times),
    "reminders.time_help": lambda typed: parse_time(typed, CATALOG.times),
    "appointments.time": lambda typed: parse_time(typed, CATALOG.times),
    "reminders.quiet": lambda typed: parse_hours(typed, CATALOG.times),
    "reminders.quiet_help": lambda typed: parse_hours(typed, CATALOG.times),
    "reminders.days_help": lambda typed: parse_days(typed, CATALOG.days),
    "appointments.date_help": lambda typed: read_date(typed, MONDAY, CATALOG.dates) or None,
}


@pytest.mark.parametrize("language", sorted(LOCALES.by_language))
@pytest.mark.parametrize("key", sorted(READERS))
def test_every_example_the_bot_gives_is_read(language: str, key: str) -> None:
    """A help line that shows "7 de la tarde" must understand "7 de la tarde"."""
    examples = re.findall(r'"([^"]+)"', LOCALES.texts(language).strings[key])
    assert examples, f"{language} {key} shows no example"
    for example in examples:
        assert READERS[key](example) is not None, f"{language} {key}: {example!r} is not read"
