"""The calendar entry: the right instant and zone, the questions, a reminder, a stable UID."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from bot.export import ics as ics_module
from bot.export.ics import PRODID, visit_ics
from bot.export.report import Visit, VisitReport
from tests.unit.test_export_text import (
    ACCENTED,
    ANSWERED,
    CJK,
    CONTROL_CLEAN,
    CYRILLIC,
    EMOJI,
    GENERATED,
    GREEK,
    LABELS,
    LONG,
    VISIT,
    empty_report,
    full_report,
    only,
)

SEED = "person:42:visit:7"


def parse(report: VisitReport, seed: str = SEED) -> tuple[Calendar, Event]:
    """The calendar and its one event, read back from the bytes."""
    data = visit_ics(report, seed)
    assert data is not None
    calendar = Calendar.from_ical(data)
    events = calendar.events  # walk("VEVENT"), typed as events
    assert len(events) == 1
    return calendar, events[0]


def decoded(event: Event, name: str) -> Any:
    """A property's Python value (datetime, timedelta, str)."""
    return event.decoded(name)


def test_every_label_the_calendar_uses_is_in_export_toml() -> None:
    missing = [key for key in ics_module.LABEL_KEYS if key not in LABELS]
    assert not missing
    assert visit_ics(full_report(labels=only(ics_module.LABEL_KEYS)), SEED) is not None


def test_no_visit_no_calendar_entry() -> None:
    assert visit_ics(empty_report(), SEED) is None
    assert visit_ics(full_report(visit=None), SEED) is None


def test_the_calendar_names_its_producer_and_version() -> None:
    calendar, _ = parse(full_report())
    assert str(calendar["PRODID"]) == PRODID == "-//Backcoach//Visit export//EN"
    assert str(calendar["VERSION"]) == "2.0"


def test_the_start_is_the_visit_in_its_named_zone_with_a_vtimezone() -> None:
    calendar, event = parse(full_report())
    start = decoded(event, "DTSTART")
    assert start.tzinfo is not None and start == VISIT.starts_at
    assert start.utcoffset() == timedelta(0)  # Lisbon in December
    assert event["DTSTART"].params["TZID"] == "Europe/Lisbon"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Lisbon"]
    assert decoded(event, "DTEND") - start == timedelta(minutes=30)


def test_a_fixed_offset_zone_is_written_in_utc() -> None:
    plus = timezone(timedelta(hours=5, minutes=30))
    visit = Visit(datetime(2026, 12, 8, 14, 30, tzinfo=plus), "Dr Rao", 45)
    calendar, event = parse(full_report(zone="UTC+05:30", visit=visit))
    start = decoded(event, "DTSTART")
    assert start == datetime(2026, 12, 8, 9, 0, tzinfo=UTC) == visit.starts_at
    assert start.utcoffset() == timedelta(0) and "TZID" not in event["DTSTART"].params
    assert not calendar.walk("VTIMEZONE")
    assert decoded(event, "DTEND") == datetime(2026, 12, 8, 9, 45, tzinfo=UTC)


def test_the_end_is_elapsed_minutes_across_a_clock_change() -> None:
    # Lisbon's clocks go back at 02:00 on 25 October 2026: 01:45 + 30 min is 01:15 again,
    # which a calendar would read as the first 01:15, before the start. So: UTC.
    start = datetime(2026, 10, 25, 1, 45, tzinfo=ZoneInfo("Europe/Lisbon"))
    _, event = parse(full_report(visit=Visit(start, "Dr Silva", 30)))
    begins, ends = decoded(event, "DTSTART"), decoded(event, "DTEND")
    # (Times in a repeated hour never equal times in another zone: compare them in UTC.)
    assert begins.astimezone(UTC) == start.astimezone(UTC) == datetime(2026, 10, 25, 0, 45,
                                                                       tzinfo=UTC)
    assert ends.astimezone(UTC) == begins.astimezone(UTC) + timedelta(minutes=30)
    assert "TZID" not in event["DTEND"].params and ends.utcoffset() == timedelta(0)


def test_the_second_of_two_same_wall_times_keeps_its_instant() -> None:
    second = datetime(2026, 10, 25, 1, 15, fold=1, tzinfo=ZoneInfo("Europe/Lisbon"))
    _, event = parse(full_report(visit=Visit(second, "Dr Silva", 30)))
    assert decoded(event, "DTSTART").astimezone(UTC) == datetime(2026, 10, 25, 1, 15, tzinfo=UTC)


def test_stamp_summary_and_description() -> None:
    _, event = parse(full_report())
    assert decoded(event, "DTSTAMP") == GENERATED
    assert str(event["SUMMARY"]) == "Visit with Dr Silva"
    description = str(event["DESCRIPTION"])
    assert description.splitlines()[:6] == [
        "My questions:", f"1. {ACCENTED}", f"2. {CYRILLIC}", f"3. {GREEK}", f"4. {CJK}",
        f"5. {EMOJI}",
    ]
    assert f"6. {LONG}" in description and f"7. {CONTROL_CLEAN}" in description
    assert ANSWERED not in description


def test_nobody_named_and_no_questions() -> None:
    visit = Visit(VISIT.starts_at, "  \x00 ", 30)
    _, event = parse(full_report(visit=visit, questions=[]))
    assert str(event["SUMMARY"]) == "Health visit"
    assert str(event["DESCRIPTION"]) == "No questions saved."


def test_a_reminder_one_day_before() -> None:
    _, event = parse(full_report())
    alarms = event.walk("VALARM")
    assert len(alarms) == 1
    assert str(alarms[0]["ACTION"]) == "DISPLAY"
    assert alarms[0].decoded("TRIGGER") == timedelta(days=-1)
    assert "Visit with Dr Silva" in str(alarms[0]["DESCRIPTION"])


def test_the_uid_is_stable_per_seed() -> None:
    first = str(parse(full_report())[1]["UID"])
    again = str(parse(full_report(questions=[]), SEED)[1]["UID"])
    other = str(parse(full_report(), "person:42:visit:8")[1]["UID"])
    assert first == again != other
    assert first.endswith("@backcoach") and len(first) == 64 + len("@backcoach")


def test_the_same_report_gives_the_same_bytes() -> None:
    assert visit_ics(full_report(), SEED) == visit_ics(full_report(), SEED)
