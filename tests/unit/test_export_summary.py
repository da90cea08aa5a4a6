"""What the visit PDF shows of a long history: one row per warning sign and level with
every date, stops per exercise and place, the last weeks with the earlier ones added up."""

from __future__ import annotations

from datetime import UTC, date, timedelta

from bot.export.report import EscalationItem, PainStop, WeekAdherence
from bot.export.summary import (
    ELLIPSIS,
    QUOTE_CHARS,
    STOP_ROWS,
    bounded,
    stop_rows,
    warning_rows,
    week_rows,
    when_text,
)
from tests.unit.test_export_text import LABELS, at

WORSE = "Pain that is getting worse"


def test_two_identical_events_are_one_row_with_both_times() -> None:
    """The issue: two identical "Pain that is getting worse" rows on the same day."""
    said = "my pain is getting worse"
    rows = warning_rows([EscalationItem(at(7, 12, 12, 10), "call_doctor", WORSE, said),
                         EscalationItem(at(7, 12, 12, 11), "call_doctor", WORSE, said)],
                        UTC, LABELS, 2026)
    assert len(rows) == 1
    (row,) = rows
    assert (row.level, row.about, row.when, row.count) == ("call_doctor", WORSE,
                                                           "7 Dec 12:10, 12:11", 2)
    assert row.quotes == (said,) and row.more_quotes == 0


def test_rows_go_most_serious_first_then_most_recent_and_keep_each_level() -> None:
    items = [EscalationItem(at(1), "call_doctor", "A", None),
             EscalationItem(at(3), "call_doctor", "B", None),
             EscalationItem(at(2), "emergency", "C", None),
             EscalationItem(at(4), "urgent", "A", None)]
    rows = warning_rows(items, UTC, LABELS, 2026)
    assert [(r.level, r.about) for r in rows] == [
        ("emergency", "C"), ("urgent", "A"), ("call_doctor", "B"), ("call_doctor", "A")]


def test_my_words_are_quoted_newest_first_bounded_and_the_rest_counted() -> None:
    long = "word " * 100
    items = [EscalationItem(at(d), "urgent", "A fever", text)
             for d, text in ((1, "first"), (2, long), (3, "third"), (4, "third"), (5, None))]
    (row,) = warning_rows(items, UTC, LABELS, 2026)
    assert row.quotes[0] == "third"
    assert row.quotes[1].endswith(ELLIPSIS) and len(row.quotes[1]) <= QUOTE_CHARS
    assert row.more_quotes == 1  # "first"


def test_many_times_are_said_as_days_and_runs_of_days_with_counts() -> None:
    moments = [at(d, 11, h) for d in (3, 4, 5, 9) for h in (8, 20)]
    assert when_text(moments, LABELS, 2026) == "3 Nov to 5 Nov (6 times); 9 Nov (2 times)"
    assert when_text([at(9, 11, 8), at(2, 1, 9, year=2027)], LABELS, 2026) == (
        "9 Nov 08:00; 2 Jan 2027 09:00")


def test_a_year_of_scattered_days_keeps_the_last_weeks_and_adds_up_the_rest() -> None:
    moments = [at(1, 1, 9, year=2026) + timedelta(days=3 * n) for n in range(120)]
    text = when_text(moments, LABELS, 2026)
    last = moments[-1].date()
    older, *recent = text.split("; ")
    assert older.startswith("1 Jan 2026 to ") and older.endswith(" times)")
    count = int(older.rsplit("(", 1)[1].split()[0])
    assert count + len(recent) == len(moments)  # every time is counted, none twice
    assert 1 < len(recent) <= 8
    assert recent[-1] == f"{last.day} {LABELS[f'month_short.{last.month}']}"
    assert len(text) < 200


def test_stops_are_one_row_per_exercise_and_place_with_the_highest_pain() -> None:
    stops = [PainStop(at(1), "Cat and camel", 5, "Upper back"),
             PainStop(at(2), "Cat and camel", 7, "Upper back"),
             PainStop(at(3), "Head rolls", 6, None)]
    rows, more = stop_rows(stops, UTC, LABELS, 2026)
    assert more == 0
    assert [(r.exercise, r.where, r.count, r.highest, r.when) for r in rows] == [
        ("Head rolls", "Not said", 1, 6, "3 Nov 09:00"),
        ("Cat and camel", "Upper back", 2, 7, "1 Nov 09:00; 2 Nov 09:00")]
    many = [PainStop(at(n % 28 + 1), f"Exercise {n}", 5, "Neck") for n in range(STOP_ROWS + 3)]
    assert stop_rows(many, UTC, LABELS, 2026)[1] == 3


def test_the_last_six_weeks_one_by_one_and_the_earlier_added_up() -> None:
    weeks = [WeekAdherence(date(2026, 1, 5) + timedelta(weeks=n), 2, 1, 5, 1, n % 2)
             for n in range(10)]
    rows = week_rows(weeks)
    assert [r.earlier for r in rows] == [True] + [False] * 6
    assert rows[0].week_start == date(2026, 1, 5) and rows[0].counts == (8, 4, 20, 4, 2)
    assert rows[1].week_start == date(2026, 2, 2)
    assert [r.earlier for r in week_rows(weeks[:3])] == [False] * 3


def test_bounded_cuts_at_a_word() -> None:
    assert bounded("short", 10) == "short"
    assert bounded("one two three four five", 12) == "one two" + ELLIPSIS


def test_the_same_minute_twice_is_said_once_with_its_count() -> None:
    moments = [at(5, 1, 8), at(5, 1, 8), at(5, 1, 8), at(5, 1, 8, 1)]
    assert when_text(moments, LABELS, 2026) == "5 Jan 08:00 (3 times), 08:01"
