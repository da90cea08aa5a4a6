"""Next fire times across clock changes, quiet hours, lateness, and reading times and days.

The property tests compare next_fire with an oracle that knows nothing of `fold`: it finds
the UTC instants whose local wall time is the one asked for, using only UTC -> local
conversions (which are never ambiguous), and applies the documented gap rule itself.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import cache
from itertools import pairwise

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from bot.domain.engine.replies import Line
from bot.domain.model import ReminderSettings
from bot.domain.reminders.schedule import (
    EVERY_DAY,
    after_quiet_hours,
    describe_days,
    in_quiet_hours,
    late_policy,
    next_fire,
    parse_days,
    parse_time,
    settings_summary,
    shift,
    wall_time_exists,
    wall_to_utc,
    zone,
)
from bot.loaders.calendar import load_calendar
from bot.loaders.content import load_content
from bot.telegram.rendering import render_plain

WORDS = load_calendar()  # every language's, as the bot reads them
ENGLISH = load_content().locales.texts("en")


def said(value: str | Line) -> str:
    """What the person reads: a line rendered in English, text as it is."""
    return render_plain(value, ENGLISH) if isinstance(value, Line) else value


def said_all(values: dict[str, str | Line]) -> dict[str, str]:
    return {name: said(value) for name, value in values.items()}


ZONES = (
    "Europe/Lisbon",
    "America/New_York",
    "Australia/Sydney",  # southern hemisphere: summer time spans the new year
    "Asia/Kolkata",  # no daylight saving
    "America/Sao_Paulo",  # clocks changed at midnight until 2019, then never
    "Pacific/Chatham",  # +12:45 / +13:45
    "Europe/London",
    "Australia/Lord_Howe",  # a 30-minute change
    "UTC+05:30",
    "UTC-03:00",
)
# Local times where clocks change in these zones, plus everyday ones.
TRICKY_TIMES = [time(h, m) for h in (0, 1, 2, 3) for m in (0, 15, 30, 45)] + [time(23, 30)]
LOCAL_TIMES = st.one_of(
    st.sampled_from(TRICKY_TIMES), st.times().map(lambda t: t.replace(microsecond=0))
)
# Any non-empty set of weekdays, as a bit mask (sets of a 7-value domain waste many draws).
DAY_SETS = st.integers(1, 127).map(lambda mask: tuple(d for d in range(7) if mask >> d & 1))
INSTANTS = st.datetimes(datetime(2014, 1, 1), datetime(2032, 1, 1), timezones=st.just(UTC))


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def _offset(moment: datetime, tz: tzinfo) -> timedelta:
    found = moment.astimezone(tz).utcoffset()
    assert found is not None
    return found


def oracle_fire(day: date, local: time, tz: tzinfo) -> datetime:
    """The instant a wall time should fire, from UTC -> local conversions only."""
    naive = datetime.combine(day, local).replace(tzinfo=UTC)
    offsets = {_offset(naive + timedelta(hours=h), tz) for h in range(-48, 49, 3)}
    real = sorted(naive - o for o in offsets if _offset(naive - o, tz) == o)
    if real:
        return real[0]  # the first of two occurrences
    # A gap: the offset from before the jump (the smaller) shifts it forward by the gap.
    return naive - min(offsets)


def oracle_next(local: time, days: tuple[int, ...], tz: tzinfo, after: datetime) -> datetime:
    today = after.astimezone(tz).date()
    for n in range(-1, 16):
        day = today + timedelta(days=n)
        if day.weekday() in days and (fire := oracle_fire(day, local, tz)) > after:
            return fire
    raise AssertionError("no fire found")


@cache
def transitions(tz_name: str) -> tuple[datetime, ...]:
    """Every UTC instant (to the minute) when the zone's offset changes, 2014-2032."""
    tz = zone(tz_name)
    found = []
    day = utc(2014, 1, 1)
    while day < utc(2032, 1, 1):
        if _offset(day, tz) != _offset(day + timedelta(days=1), tz):
            low, high = 0, 24 * 60  # minutes into the day; changes happen on whole minutes
            while high - low > 1:
                middle = (low + high) // 2
                same = _offset(day + timedelta(minutes=middle), tz) == _offset(day, tz)
                low, high = (middle, high) if same else (low, middle)
            found.append(day + timedelta(minutes=high))
        day += timedelta(days=1)
    return tuple(found)


def near_transitions(tz_name: str) -> st.SearchStrategy[datetime]:
    changes = transitions(tz_name)
    if not changes:
        return INSTANTS
    return st.builds(
        lambda at, delta: at + delta,
        st.sampled_from(changes),
        st.timedeltas(timedelta(days=-3), timedelta(days=3)),
    )


@st.composite
def zone_and_after(draw: st.DrawFn) -> tuple[str, datetime]:
    name = draw(st.sampled_from(ZONES))
    return name, draw(st.one_of(INSTANTS, near_transitions(name)))


@st.composite
def clock_change_case(draw: st.DrawFn) -> tuple[str, datetime, time, tuple[int, ...]]:
    """A zone, an instant up to 30 hours before one of its clock changes, a local time within
    two hours of the change's wall-clock time, and days including the change's: gaps and
    repeated hours, often."""
    name = draw(st.sampled_from([z for z in ZONES if transitions(z)]))
    change = draw(st.sampled_from(transitions(name)))
    wall = change.astimezone(zone(name)).replace(tzinfo=None)
    local = (wall + timedelta(minutes=draw(st.integers(-120, 120)))).time()
    after = change - draw(st.timedeltas(timedelta(0), timedelta(hours=30)))
    days = tuple(sorted({*draw(DAY_SETS), wall.weekday()}))
    return name, after, local, days


@st.composite
def fire_case(draw: st.DrawFn) -> tuple[str, datetime, time, tuple[int, ...]]:
    """Either any zone, instant, time and days, or a case built round a clock change."""
    if draw(st.booleans()):
        return draw(clock_change_case())
    name, after = draw(zone_and_after())
    return name, after, draw(LOCAL_TIMES), draw(DAY_SETS)


def test_the_zones_under_test_really_change_clocks() -> None:
    for name in ("Europe/Lisbon", "America/New_York", "Australia/Sydney", "Pacific/Chatham"):
        assert len(transitions(name)) >= 30
    assert transitions("America/Sao_Paulo")[-1] == utc(2019, 2, 17, 2)  # DST ended in 2019
    assert transitions("Asia/Kolkata") == ()


@settings(max_examples=500, deadline=None)
@given(fire_case())
def test_next_fire_is_the_first_matching_instant_after(
    case: tuple[str, datetime, time, tuple[int, ...]],
) -> None:
    name, after, local, days = case
    tz = zone(name)
    fire = next_fire(local, days, name, after)
    assert fire is not None
    assert fire > after
    assert fire.utcoffset() == timedelta(0)
    assert fire == oracle_next(local, days, tz, after)
    seen = fire.astimezone(tz)
    assert seen.weekday() in days
    if wall_time_exists(seen.date(), local, name):
        assert seen.time() == local
        if (fire + timedelta(hours=1)).astimezone(tz).time() == local:
            event("repeated time: fired at the first occurrence")
    else:
        event("time in a gap: shifted forward")
        gap = _offset(fire, tz) - _offset(fire - timedelta(hours=6), tz)
        assert gap > timedelta(0)
        assert seen.replace(tzinfo=None) == datetime.combine(seen.date(), local) + gap


@settings(max_examples=200, deadline=None)
@given(fire_case())
def test_consecutive_fires_hit_every_allowed_local_day_once(
    case: tuple[str, datetime, time, tuple[int, ...]],
) -> None:
    name, after, local, days = case
    tz = zone(name)
    fires = []
    for _ in range(30):
        fire = next_fire(local, days, name, after)
        assert fire is not None
        fires.append(fire)
        after = fire
    dates = [f.astimezone(tz).date() for f in fires]
    for earlier, later in pairwise(dates):
        assert later > earlier  # never doubled
        between = (earlier + timedelta(days=n) for n in range(1, (later - earlier).days))
        assert not [d for d in between if d.weekday() in days]  # never skipped


@pytest.mark.parametrize("name", ZONES)
@pytest.mark.parametrize("local", [time(0, 30), time(1, 30), time(2, 30), time(3, 0), time(7, 30)])
def test_a_daily_reminder_fires_once_on_every_day_of_a_year(name: str, local: time) -> None:
    tz = zone(name)
    after = wall_to_utc(date(2023, 12, 31), time(12), name)
    fires = []
    for _ in range(366):
        fire = next_fire(local, EVERY_DAY, name, after)
        assert fire is not None
        fires.append(fire)
        after = fire
    dates = [f.astimezone(tz).date() for f in fires]
    assert dates == [date(2024, 1, 1) + timedelta(days=n) for n in range(366)]


# Clock changes, checked by hand against the tz database:
# Lisbon 2024-03-31 01:00 -> 02:00 and 2024-10-27 02:00 -> 01:00 (UTC+0 / UTC+1).
# New York 2024-03-10 02:00 -> 03:00 and 2024-11-03 02:00 -> 01:00 (UTC-5 / UTC-4).
# Sydney 2024-04-07 03:00 -> 02:00 and 2024-10-06 02:00 -> 03:00 (UTC+10 / UTC+11).
# Chatham 2024-04-07 03:45 -> 02:45 and 2024-09-29 02:45 -> 03:45 (UTC+12:45 / UTC+13:45).
# Sao Paulo 2018-11-04 00:00 -> 01:00 and 2019-02-17 00:00 -> 2019-02-16 23:00 (UTC-3 / UTC-2).
@pytest.mark.parametrize(
    ("name", "local", "after", "expected"),
    [
        # Spring forward: the missing time fires the length of the gap later.
        ("Europe/Lisbon", time(1, 30), utc(2024, 3, 30, 12), utc(2024, 3, 31, 1, 30)),
        ("America/New_York", time(2, 30), utc(2024, 3, 9, 12), utc(2024, 3, 10, 7, 30)),
        ("Australia/Sydney", time(2, 30), utc(2024, 10, 5, 0), utc(2024, 10, 5, 16, 30)),
        ("Pacific/Chatham", time(3, 0), utc(2024, 9, 28, 0), utc(2024, 9, 28, 14, 15)),
        ("America/Sao_Paulo", time(0, 30), utc(2018, 11, 3, 12), utc(2018, 11, 4, 3, 30)),
        # The change itself does not move a time just outside the gap.
        ("America/New_York", time(3, 0), utc(2024, 3, 9, 12), utc(2024, 3, 10, 7, 0)),
        ("America/New_York", time(1, 59), utc(2024, 3, 9, 12), utc(2024, 3, 10, 6, 59)),
        # Fall back: the repeated time fires at its first occurrence.
        ("America/New_York", time(1, 30), utc(2024, 11, 2, 12), utc(2024, 11, 3, 5, 30)),
        ("Europe/London", time(1, 30), utc(2024, 10, 26, 12), utc(2024, 10, 27, 0, 30)),
        ("Australia/Sydney", time(2, 30), utc(2024, 4, 6, 0), utc(2024, 4, 6, 15, 30)),
        ("Pacific/Chatham", time(3, 0), utc(2024, 4, 6, 0), utc(2024, 4, 6, 13, 15)),
        ("America/Sao_Paulo", time(23, 30), utc(2019, 2, 16, 12), utc(2019, 2, 17, 1, 30)),
        # No daylight saving, and fixed offsets.
        ("Asia/Kolkata", time(7, 30), utc(2024, 3, 31, 0), utc(2024, 3, 31, 2, 0)),
        ("UTC+05:30", time(7, 30), utc(2024, 3, 31, 0), utc(2024, 3, 31, 2, 0)),
        ("UTC-03:00", time(7, 30), utc(2024, 3, 31, 0), utc(2024, 3, 31, 10, 30)),
    ],
)
def test_next_fire_on_clock_change_days(
    name: str, local: time, after: datetime, expected: datetime
) -> None:
    assert next_fire(local, EVERY_DAY, name, after) == expected


def test_a_repeated_hour_fires_once_not_twice() -> None:
    first = utc(2024, 11, 3, 5, 30)  # 01:30 EDT; 01:30 EST comes an hour later
    following = next_fire(time(1, 30), EVERY_DAY, "America/New_York", first)
    assert following == utc(2024, 11, 4, 6, 30)  # the next day's 01:30 EST


def test_the_day_after_a_gap_is_back_to_normal() -> None:
    gap_day = utc(2024, 3, 31, 1, 30)  # 02:30 WEST, for 01:30 that did not exist
    assert next_fire(time(1, 30), EVERY_DAY, "Europe/Lisbon", gap_day) == utc(2024, 4, 1, 0, 30)


def test_wall_time_exists_spots_the_gap_only() -> None:
    assert not wall_time_exists(date(2024, 3, 10), time(2, 30), "America/New_York")
    assert wall_time_exists(date(2024, 3, 10), time(3, 0), "America/New_York")
    assert wall_time_exists(date(2024, 11, 3), time(1, 30), "America/New_York")
    assert wall_time_exists(date(2024, 3, 10), time(2, 30), "UTC-05:00")


def test_next_fire_days_and_arguments() -> None:
    monday_noon = utc(2026, 3, 2, 12)
    assert next_fire(time(9), (), "Europe/Lisbon", monday_noon) is None
    assert next_fire(time(9), (0,), "Europe/Lisbon", monday_noon) == utc(2026, 3, 9, 9)
    assert next_fire(time(13), (0,), "Europe/Lisbon", monday_noon) == utc(2026, 3, 2, 13)
    assert next_fire(time(12), (0,), "Europe/Lisbon", monday_noon) == utc(2026, 3, 9, 12)
    with pytest.raises(ValueError):
        next_fire(time(9), (7,), "Europe/Lisbon", monday_noon)
    with pytest.raises(ValueError):
        next_fire(time(9), (0,), "Mars/Olympus", monday_noon)
    with pytest.raises(ValueError):
        next_fire(time(9), (0,), "Europe/Lisbon", datetime(2026, 3, 2, 12))


def test_a_fold_flag_on_the_wanted_time_is_ignored() -> None:
    after = utc(2024, 11, 2, 12)
    plain = next_fire(time(1, 30), EVERY_DAY, "America/New_York", after)
    assert next_fire(time(1, 30, fold=1), EVERY_DAY, "America/New_York", after) == plain


NIGHT = (time(22), time(7))


@pytest.mark.parametrize(
    ("moment", "quiet"),
    [
        (utc(2026, 1, 10, 23, 30), True),  # Lisbon is UTC+0 in winter
        (utc(2026, 1, 10, 6, 59), True),
        (utc(2026, 1, 10, 7, 0), False),
        (utc(2026, 1, 10, 12, 0), False),
        (utc(2026, 1, 10, 22, 0), True),
        (utc(2026, 1, 10, 21, 59), False),
        (utc(2026, 7, 10, 21, 30), True),  # 22:30 WEST in summer
        (utc(2026, 7, 10, 6, 30), False),  # 07:30 WEST
    ],
)
def test_quiet_hours_crossing_midnight(moment: datetime, quiet: bool) -> None:
    assert in_quiet_hours(moment, *NIGHT, "Europe/Lisbon") is quiet


def test_quiet_hours_within_a_day_and_unset() -> None:
    siesta = (time(13), time(15))
    assert in_quiet_hours(utc(2026, 1, 10, 14), *siesta, "Europe/Lisbon")
    assert not in_quiet_hours(utc(2026, 1, 10, 15), *siesta, "Europe/Lisbon")
    assert not in_quiet_hours(utc(2026, 1, 10, 14), time(9), time(9), "Europe/Lisbon")
    assert not in_quiet_hours(utc(2026, 1, 10, 23), None, time(7), "Europe/Lisbon")
    moment = utc(2026, 1, 10, 23)
    assert after_quiet_hours(moment, None, None, "Europe/Lisbon") == moment


@pytest.mark.parametrize(
    ("moment", "window", "expected"),
    [
        (utc(2026, 1, 10, 23, 30), NIGHT, utc(2026, 1, 11, 7)),  # evening: it ends tomorrow
        (utc(2026, 1, 11, 3, 0), NIGHT, utc(2026, 1, 11, 7)),  # after midnight: today
        (utc(2026, 1, 11, 12, 0), NIGHT, utc(2026, 1, 11, 12)),  # not quiet: unchanged
        (utc(2024, 3, 30, 23, 0), NIGHT, utc(2024, 3, 31, 6)),  # the night clocks go forward
        (utc(2024, 10, 26, 22, 0), NIGHT, utc(2024, 10, 27, 7)),  # the night clocks go back
        # Clocks jump 01:00 -> 02:00 over the 01:30 end: quiet ends at the jump.
        (utc(2024, 3, 30, 23, 30), (time(23), time(1, 30)), utc(2024, 3, 31, 1)),
        # Clocks go back 02:00 -> 01:00, before the 01:15 start: quiet ends at the change.
        (utc(2024, 10, 27, 0, 30), (time(1, 15), time(2)), utc(2024, 10, 27, 1)),
    ],
)
def test_after_quiet_hours_in_lisbon(
    moment: datetime, window: tuple[time, time], expected: datetime
) -> None:
    assert after_quiet_hours(moment, *window, "Europe/Lisbon") == expected


def test_after_quiet_hours_in_the_second_pass_of_a_repeated_hour() -> None:
    # 06:15 UTC on 2024-11-03 is 01:15 EST, the second 01:15 in New York that night.
    moment = utc(2024, 11, 3, 6, 15)
    window = (time(22), time(1, 30))
    assert in_quiet_hours(moment, *window, "America/New_York")
    assert after_quiet_hours(moment, *window, "America/New_York") == utc(2024, 11, 3, 6, 30)


@settings(max_examples=400, deadline=None)
@given(fire_case(), LOCAL_TIMES)
def test_after_quiet_hours_ends_the_window(
    case: tuple[str, datetime, time, tuple[int, ...]], start: time
) -> None:
    name, moment, end, _ = case  # the window ends near a clock change in half the cases
    tz = zone(name)
    result = after_quiet_hours(moment, start, end, name)
    if not in_quiet_hours(moment, start, end, name):
        assert result == moment
        return
    # Under a day, except for a window of nearly a day whose one open minute a gap swallows.
    assert moment < result <= moment + timedelta(hours=48)
    seen = result.astimezone(tz)
    assert not in_quiet_hours(result, start, end, name)
    # The window ends when the wall clock reaches its end, or when the clocks jump out of it.
    if seen.time() != end:
        event("quiet hours ended by a clock change")
        assert _offset(result - timedelta(seconds=1), tz) != _offset(result, tz)
    # Quiet all the way from the moment to the end.
    for n in range(1, 8):
        assert in_quiet_hours(moment + (result - moment) * n // 8, start, end, name)


def test_shift_is_real_minutes_in_utc() -> None:
    # A 60-minute snooze across the spring-forward jump is still 60 minutes later.
    before = datetime(2024, 3, 10, 1, 30, tzinfo=zone("America/New_York"))
    moved = shift(before, 60)
    assert moved == utc(2024, 3, 10, 7, 30)
    assert moved.utcoffset() == timedelta(0)
    assert shift(utc(2026, 1, 1), -15) == utc(2025, 12, 31, 23, 45)


def test_late_policy() -> None:
    fire_at = utc(2026, 1, 1, 9)
    second = timedelta(seconds=1)
    assert late_policy(fire_at, fire_at - second) == "early"
    assert late_policy(fire_at, fire_at) == "send"
    assert late_policy(fire_at, fire_at + timedelta(hours=1) - second) == "send"
    assert late_policy(fire_at, fire_at + timedelta(hours=1)) == "missed"
    assert late_policy(fire_at, fire_at + timedelta(days=2)) == "missed"
    assert late_policy(fire_at, fire_at + timedelta(minutes=20), timedelta(minutes=15)) == "missed"


TYPED_TIMES = {
    "7:30": time(7, 30), "07:30": time(7, 30), "19:00": time(19), "7pm": time(19),
    "7 pm": time(19), "7PM": time(19), "7.30pm": time(19, 30), "7:30 am": time(7, 30),
    "7 a.m.": time(7), "12am": time(0), "12pm": time(12), "12:15 pm": time(12, 15),
    "noon": time(12), "Midnight": time(0), "1930": time(19, 30), "730": time(7, 30),
    "19h": time(19), "19h30": time(19, 30), "19 h 30": time(19, 30), "at 7pm": time(19),
    "7 o'clock": time(7), "7": time(7), "24:00": time(0), "  08:05  ": time(8, 5),
    "７：３０": time(7, 30),  # full-width, as some keyboards type
    "٧:٣٠": time(7, 30),  # Arabic-Indic digits
}  # fmt: skip
NOT_TIMES = ["", "hello", "25:00", "24:30", "7:60", "13pm", "0am", "7:5", "12345", "-7:30",
             "7:30pm tomorrow", "7:30:00:00", "🙂", "at", "o'clock", "x" * 500]  # fmt: skip


@pytest.mark.parametrize(("typed", "expected"), TYPED_TIMES.items())
def test_parse_time_reads_typed_times(typed: str, expected: time) -> None:
    assert parse_time(typed, WORDS.times) == expected


@pytest.mark.parametrize("typed", NOT_TIMES)
def test_parse_time_refuses_garbage(typed: str) -> None:
    assert parse_time(typed, WORDS.times) is None


@given(st.integers(0, 23), st.integers(0, 59))
def test_parse_time_reads_every_24_hour_time(hour: int, minute: int) -> None:
    expected = time(hour, minute)
    assert parse_time(f"{hour}:{minute:02d}", WORDS.times) == expected
    assert parse_time(f"{hour:02d}{minute:02d}", WORDS.times) == expected
    assert parse_time(f"{hour}h{minute:02d}", WORDS.times) == expected
    half = "am" if hour < 12 else "pm"
    assert parse_time(f"{(hour - 1) % 12 + 1}:{minute:02d} {half}", WORDS.times) == expected


WEEK = (0, 1, 2, 3, 4)
TYPED_DAYS = {
    "weekdays": WEEK, "Weekdays": WEEK, "week days": WEEK, "every day": EVERY_DAY,
    "everyday": EVERY_DAY, "daily": EVERY_DAY, "7 days a week": EVERY_DAY, "weekends": (5, 6),
    "weekend": (5, 6), "mon wed fri": (0, 2, 4), "Mon-Fri": WEEK, "Mon – Fri": WEEK,
    "monday to friday": WEEK, "Monday through Friday": WEEK, "monday, thursday": (0, 3),
    "fri-mon": (0, 4, 5, 6),  # wraps round the week
    "Mondays and Thursdays": (0, 3), "tues & thurs": (1, 3), "tu th sa": (1, 3, 5),
    "M-F": WEEK, "m w f": (0, 2, 4), "weekdays and saturday": (0, 1, 2, 3, 4, 5),
    "every day except sunday": (0, 1, 2, 3, 4, 5), "not weekends": WEEK,
    "on wednesdays only": (2,), "MONDAY": (0,),
}  # fmt: skip
NOT_DAYS = ["", "hello", "t", "s", "mon -", "- fri", "-", "mon-", "every other day", "7:30",
            "no", "except", "monday or maybe", "🙂", "x" * 500]  # fmt: skip


@pytest.mark.parametrize(("typed", "expected"), TYPED_DAYS.items())
def test_parse_days_reads_typed_days(typed: str, expected: tuple[int, ...]) -> None:
    assert parse_days(typed, WORDS.days) == expected


@pytest.mark.parametrize("typed", NOT_DAYS)
def test_parse_days_refuses_garbage(typed: str) -> None:
    assert parse_days(typed, WORDS.days) is None


@given(st.text(max_size=80))
def test_parsers_never_raise_on_any_text(text: str) -> None:
    found_time = parse_time(text, WORDS.times)
    assert found_time is None or isinstance(found_time, time)
    found_days = parse_days(text, WORDS.days)
    assert found_days is None or (found_days and set(found_days) <= set(EVERY_DAY))


@given(st.text(alphabet="0123456789:.hapm -–,&/ montuewdhfrisa", max_size=20))
def test_parsers_never_raise_on_near_misses(text: str) -> None:
    parse_time(text, WORDS.times)
    parse_days(text, WORDS.days)


def test_describe_days() -> None:
    assert said(describe_days(EVERY_DAY)) == "every day"
    assert said(describe_days(WEEK)) == "weekdays"
    assert said(describe_days((6, 5))) == "weekends"
    assert said(describe_days((4, 0, 2))) == "Mon, Wed, Fri"
    assert said(describe_days(())) == "no days"


def test_settings_summary() -> None:
    settings = ReminderSettings(
        time_zone="Europe/Lisbon",
        session_time=time(7, 30),
        days=WEEK,
        quiet_start=time(22),
        quiet_end=time(7),
    )
    assert said_all(settings_summary(settings)) == {
        "time": "07:30",
        "days": "weekdays",
        "zone": "Europe/Lisbon",
        "paused": "no",
        "quiet": "22:00-07:00",
        "checkin": "",
    }
    unset = said_all(settings_summary(ReminderSettings(session_time=time(0), paused=True)))
    assert unset["time"] == "00:00"  # midnight is a time, not "unset"
    assert (unset["days"], unset["zone"], unset["paused"], unset["quiet"]) == (
        "every day", "", "yes", ""
    )  # fmt: skip
