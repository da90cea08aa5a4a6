"""Time zones: stored names, typed offsets and cities, and the zone implied by a clock."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, available_timezones

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.reminders.timezones import (
    MAX_OFFSET,
    MIN_OFFSET,
    as_utc,
    find_zone,
    format_offset,
    offsets_in_use,
    parse_offset,
    zone,
    zone_from_local_time,
)
from bot.loaders.calendar import load_calendar

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
PLACES = load_calendar().places  # every language's, as the bot reads them


@pytest.mark.parametrize(
    ("name", "minutes"),
    [("UTC+05:30", 330), ("UTC-03:00", -180), ("UTC+00:00", 0), ("UTC+14:00", 840)],
)
def test_zone_reads_our_fixed_offsets(name: str, minutes: int) -> None:
    assert zone(name).utcoffset(None) == timedelta(minutes=minutes)


def test_zone_reads_iana_names() -> None:
    assert zone("Europe/Lisbon") == ZoneInfo("Europe/Lisbon")
    assert zone("UTC").utcoffset(NOW) == timedelta(0)


@pytest.mark.parametrize(
    "name",
    ["", "UTC+5", "utc+05:00", "UTC+15:00", "UTC-12:15", "UTC+05:60", "Europe", "Mars/Base",
     "../etc/passwd", "/etc/passwd", "localtime", "posixrules", "Factory", "Europe/Lisbon ",
     "\x00", "a" * 300],
)  # fmt: skip
def test_zone_rejects_anything_else_with_value_error(name: str) -> None:
    with pytest.raises(ValueError):
        zone(name)


@given(st.integers(MIN_OFFSET, MAX_OFFSET))
def test_every_offset_in_range_round_trips_through_its_name(minutes: int) -> None:
    assert zone(format_offset(minutes)).utcoffset(None) == timedelta(minutes=minutes)


@given(st.text(max_size=40))
def test_zone_raises_only_value_error(name: str) -> None:
    with contextlib.suppress(ValueError):
        zone(name)


def test_as_utc_needs_an_aware_datetime() -> None:
    assert as_utc(datetime(2026, 1, 1, 12, tzinfo=timezone(timedelta(hours=2)))).hour == 10
    with pytest.raises(ValueError):
        as_utc(datetime(2026, 1, 1, 12))


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("UTC+2", "UTC+02:00"),
        ("GMT-5", "UTC-05:00"),
        ("+05:30", "UTC+05:30"),
        ("utc +5:45", "UTC+05:45"),
        ("UTC", "UTC+00:00"),
        ("gmt", "UTC+00:00"),
        (" utc ", "UTC+00:00"),
        ("UTC+05:30", "UTC+05:30"),
        ("+0530", "UTC+05:30"),
        ("-3", "UTC-03:00"),
        ("UTC + 1", "UTC+01:00"),
        ("UTC−3", "UTC-03:00"),  # a typographic minus
        ("＋５:３０", "UTC+05:30"),  # full-width, as some keyboards type
        ("GMT+5h30", "UTC+05:30"),
        ("UTC+14", "UTC+14:00"),
        ("UTC-12", "UTC-12:00"),
        ("UTC-0", "UTC+00:00"),
    ],
)
def test_parse_offset_reads_typed_offsets(typed: str, expected: str) -> None:
    assert parse_offset(typed) == expected


@pytest.mark.parametrize(
    "typed",
    ["", "5", "UTC+14:30", "UTC-12:30", "UTC+5:37", "UTC+5.5", "+", "UTC+2 hours", "Lisbon",
     "z", "+99", "GMT+-3", "12:30", "UTC-02:15", "UTC+1:15", "+0215", "UTC-13"],
)  # fmt: skip
def test_parse_offset_refuses_what_is_not_an_offset_in_range(typed: str) -> None:
    assert parse_offset(typed) is None


@given(st.text(max_size=60))
def test_parse_offset_never_raises_and_gives_a_valid_zone(text: str) -> None:
    found = parse_offset(text)
    if found is not None:
        zone(found)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Lisbon", "Europe/Lisbon"),
        ("lisboa", "Europe/Lisbon"),
        ("Europe/Lisbon", "Europe/Lisbon"),
        ("europe/lisbon", "Europe/Lisbon"),
        ("Lisbon, Portugal", "Europe/Lisbon"),
        ("I'm in Lisbon", "Europe/Lisbon"),
        ("Porto", "Europe/Lisbon"),
        ("Portugal", "Europe/Lisbon"),
        ("new york", "America/New_York"),
        ("New_York", "America/New_York"),
        ("Sao Paulo", "America/Sao_Paulo"),
        ("são paulo", "America/Sao_Paulo"),
        ("Kolkata", "Asia/Kolkata"),
        ("Calcutta", "Asia/Kolkata"),
        ("London", "Europe/London"),
        ("Manchester", "Europe/London"),
        ("Delhi", "Asia/Kolkata"),
        ("Mumbai", "Asia/Kolkata"),
        ("Bangalore", "Asia/Kolkata"),
        ("San Francisco", "America/Los_Angeles"),
        ("Los Angeles", "America/Los_Angeles"),
        ("Seattle", "America/Los_Angeles"),
        ("Boston", "America/New_York"),
        ("Washington", "America/New_York"),
        ("Miami", "America/New_York"),
        ("EST", "America/New_York"),
        ("Barcelona", "Europe/Madrid"),
        ("Munich", "Europe/Berlin"),
        ("München", "Europe/Berlin"),
        ("Hamburg", "Europe/Berlin"),
        ("Zürich", "Europe/Zurich"),
        ("Sydney", "Australia/Sydney"),
        ("Melbourne", "Australia/Melbourne"),
        ("Auckland", "Pacific/Auckland"),
        ("Toronto", "America/Toronto"),
        ("Vancouver", "America/Vancouver"),
        ("Dublin", "Europe/Dublin"),
        ("Buenos Aires", "America/Argentina/Buenos_Aires"),
        ("Indianapolis", "America/Indiana/Indianapolis"),
        ("Etc/GMT+5", "Etc/GMT+5"),
        ("etc/gmt-5", "Etc/GMT-5"),
        ("UTC", "UTC"),
        # small typos
        ("Lisbn", "Europe/Lisbon"),
        ("Sidney", "Australia/Sydney"),
        ("Torronto", "America/Toronto"),
        ("New Yrok", "America/New_York"),
        ("los angles", "America/Los_Angeles"),
        ("Bangalor", "Asia/Kolkata"),
    ],
)
def test_find_zone_reads_cities_and_zone_names(typed: str, expected: str) -> None:
    assert find_zone(typed, PLACES) == expected


@pytest.mark.parametrize(
    "typed",
    ["", "hello", "USA", "Brazil", "Australia", "Canada", "Europe", "yes", "UTC+2", "7:30", "19:30",
     "I wake up at 7",
     "🙂", "x" * 500],
)  # fmt: skip
def test_find_zone_does_not_guess(typed: str) -> None:
    assert find_zone(typed, PLACES) is None


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_find_zone_never_raises_and_gives_an_installed_zone(text: str) -> None:
    found = find_zone(text, PLACES)
    if found is not None:
        assert found in available_timezones()
        zone(found)


# The offsets the window keeps, from -10:00 (Hawaii) to +13:45 (Chatham summer).
KEPT = sorted(m for m in offsets_in_use() if -10 * 60 <= m <= 13 * 60 + 45)


@given(
    st.datetimes(datetime(2000, 1, 1), datetime(2040, 1, 1), timezones=st.just(UTC)),
    st.sampled_from(KEPT),
)
def test_zone_from_local_time_recovers_the_offset(now: datetime, minutes: int) -> None:
    their_clock = (now + timedelta(minutes=minutes)).time().replace(second=0, microsecond=0)
    assert zone_from_local_time(now, their_clock) == format_offset(minutes)


@given(
    st.datetimes(datetime(2000, 1, 1), datetime(2040, 1, 1), timezones=st.just(UTC)),
    st.times(),
)
def test_zone_from_local_time_is_an_offset_in_use_or_none(now: datetime, their: time) -> None:
    name = zone_from_local_time(now, their)
    if name is None:
        return
    offset = zone(name).utcoffset(None)
    assert offset is not None
    assert int(offset.total_seconds()) // 60 in offsets_in_use()
    assert timedelta(hours=-10) <= offset <= timedelta(hours=13, minutes=45)


@pytest.mark.parametrize("their", [time(7, 15), time(9, 45), time(12, 0), time(6, 45)])
def test_a_clock_no_place_has_now_gives_no_zone(their: time) -> None:
    # At 09:30 UTC: UTC-02:15, +00:15, +02:30 and -02:45 are no place's offset.
    assert zone_from_local_time(NOW, their) is None


def test_the_offsets_in_use_are_the_real_ones() -> None:
    found = offsets_in_use()
    whole_hours = {h * 60 for h in range(-12, 15)}
    assert whole_hours <= found
    others = {-570, -210, -150, 210, 270, 330, 345, 390, 525, 570, 630, 765, 825}
    assert found - whole_hours == others  # -09:30 Marquesas ... +13:45 Chatham summer
    assert all(MIN_OFFSET <= m <= MAX_OFFSET for m in found)


@given(st.integers(-12 * 60, 14 * 60).filter(lambda m: m % 15 == 0))
def test_a_typed_offset_is_read_only_when_some_place_uses_it(minutes: int) -> None:
    sign = "-" if minutes < 0 else "+"
    typed = f"UTC{sign}{abs(minutes) // 60}:{abs(minutes) % 60:02d}"
    expected = format_offset(minutes) if minutes in offsets_in_use() else None
    assert parse_offset(typed) == expected


@pytest.mark.parametrize(
    ("their", "expected"),
    [
        (time(9, 30), "UTC+00:00"),
        (time(10, 31), "UTC+01:00"),  # a minute typing the answer does not matter
        (time(15, 0), "UTC+05:30"),
        (time(23, 30), "UTC-10:00"),  # Hawaii, not +14:00
        (time(22, 30), "UTC+13:00"),  # New Zealand summer, not -11:00
        (time(23, 15), "UTC+13:45"),  # Chatham summer
        (time(6, 30), "UTC-03:00"),
    ],
)
def test_zone_from_local_time_examples(their: time, expected: str) -> None:
    assert zone_from_local_time(NOW, their) == expected


def test_zone_from_local_time_needs_an_aware_now() -> None:
    with pytest.raises(ValueError):
        zone_from_local_time(datetime(2026, 3, 2, 9, 30), time(9, 30))


def test_every_zone_the_places_name_is_one_this_database_has() -> None:
    # At run time a zone an older database lacks is skipped; here a misspelt one fails.
    assert set(PLACES.zones) <= available_timezones()
    assert len(PLACES.zone_of) > 200
