"""The questions as a Telegram message; also the sample reports the other export tests use."""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TypedDict, Unpack
from zoneinfo import ZoneInfo

import pytest

from bot.domain.model import PainMoment
from bot.export import text as text_module
from bot.export.common import zone_of
from bot.export.report import (
    EscalationItem,
    PainPoint,
    PainStop,
    ProgramChange,
    ProgramItem,
    QuestionItem,
    Visit,
    VisitReport,
    WeekAdherence,
)
from bot.export.text import questions_text

EXPORT_TOML = Path(__file__).resolve().parents[2] / "content" / "locales" / "en" / "export.toml"
LISBON = ZoneInfo("Europe/Lisbon")
GENERATED = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
VISIT = Visit(datetime(2026, 12, 8, 14, 30, tzinfo=LISBON), "Dr Silva", 30)

ACCENTED = "Pode ser da postura?"
CYRILLIC = "Болит ли спина?"
GREEK = "Πόνος στην πλάτη;"
CJK = "背中が痛い"
EMOJI = "Is this ok? 👍😊"
LONG = "q" * 5000
CONTROL = "Bell\x07 tab\there\x00 null\x1b escape\r\nnew line"
CONTROL_CLEAN = "Bell tab here null escape new line"
ANSWERED = "Should I keep doing bird dog when my shoulder clicks?"
ANSWER = "Yes, as long as it does not hurt."
ANSWERED_BARE = "Is heat better than ice?"


def flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    """Nested TOML tables as dotted keys, the way the app passes them to the renderers."""
    flat: dict[str, str] = {}
    for key, value in table.items():
        if isinstance(value, Mapping):
            flat.update(flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def read_labels() -> dict[str, str]:
    """content/locales/en/export.toml, flattened without the 'export.' prefix."""
    with EXPORT_TOML.open("rb") as handle:
        return flatten(tomllib.load(handle))


LABELS = read_labels()


def at(day: int, month: int = 11, hour: int = 9, minute: int = 0, year: int = 2026) -> datetime:
    """A UTC moment, for brevity."""
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def sample_questions() -> list[QuestionItem]:
    """Open questions in every script we care about, then two answered ones."""
    return [
        QuestionItem(ACCENTED, at(3), "after cat and camel, pain 6/10"),
        QuestionItem(CYRILLIC, at(5)),
        QuestionItem(GREEK, at(6), "during a check-in, pain 4/10"),
        QuestionItem(CJK, at(7)),
        QuestionItem(EMOJI, at(8)),
        QuestionItem(LONG, at(9)),
        QuestionItem(CONTROL, at(9, 12, year=2025)),
        QuestionItem(ANSWERED, at(1, 10), "after bird dog, pain 3/10", at(20, 10), ANSWER),
        QuestionItem(ANSWERED_BARE, at(2, 10), None, at(21, 10)),
    ]


def sample_pain(count: int = 200) -> list[PainPoint]:
    """Ratings every 7 hours from 1 Sep, cycling through the four moments, oldest first."""
    moments: tuple[PainMoment, ...] = ("checkin", "before", "during", "after")
    start = at(1, 9, 7)
    return [PainPoint(start + timedelta(hours=7 * i), (3 * i + i // 9) % 11, moments[i % 4])
            for i in range(count)]


def sample_weeks(count: int = 12) -> list[WeekAdherence]:
    """Weeks from Monday 7 Sep with varying numbers."""
    return [WeekAdherence(date(2026, 9, 7) + timedelta(weeks=i), 3 + i % 3, 2 + i % 2,
                          10 + i, i % 4, i % 2) for i in range(count)]


def sample_escalations() -> list[EscalationItem]:
    """One of each level, oldest first."""
    return [
        EscalationItem(at(3, 10, 18, 5), "urgent", "Numbness or tingling in the arms"),
        EscalationItem(at(13, 11, 7, 5), "emergency", "Chest pain with shortness of breath"),
        EscalationItem(at(20, 11, 16, 45), "call_doctor", "Pain getting worse for two weeks"),
    ]


class ReportChanges(TypedDict, total=False):
    """VisitReport's fields, any of which a test gives instead of the sample's."""

    zone: str
    generated_at: datetime
    visit: Visit | None
    questions: list[QuestionItem]
    pain: list[PainPoint]
    weeks: list[WeekAdherence]
    escalations: list[EscalationItem]
    program: list[ProgramItem]
    program_changes: list[ProgramChange]
    stops: list[PainStop]
    labels: Mapping[str, str]
    program_changed: list[date]


def full_report(**changes: Unpack[ReportChanges]) -> VisitReport:
    """A realistic report: a visit, questions, 200 ratings, 12 weeks and three warnings."""
    report = VisitReport(
        zone="Europe/Lisbon", generated_at=GENERATED, visit=VISIT,
        questions=sample_questions(), pain=sample_pain(), weeks=sample_weeks(),
        escalations=sample_escalations(), labels=LABELS,
    )
    return dataclasses.replace(report, **changes)


def empty_report(**changes: Unpack[ReportChanges]) -> VisitReport:
    """Nothing saved yet and no visit set."""
    report = VisitReport(zone="Europe/Lisbon", generated_at=GENERATED,
                         visit=None, labels=LABELS)
    return dataclasses.replace(report, **changes)


def only(keys: tuple[str, ...]) -> dict[str, str]:
    """The labels restricted to `keys`: rendering with them proves the list is complete."""
    return {key: LABELS[key] for key in keys}


# --- the text message ---


def test_every_label_the_text_uses_is_in_export_toml() -> None:
    missing = [key for key in text_module.LABEL_KEYS if key not in LABELS]
    assert not missing
    questions_text(full_report(labels=only(text_module.LABEL_KEYS)))
    questions_text(empty_report(labels=only(text_module.LABEL_KEYS)))


def test_the_heading_is_the_title_with_the_visit_date() -> None:
    lines = questions_text(full_report()).splitlines()
    assert lines[0] == "Questions for my visit on Tuesday 8 December 2026"
    assert lines[1] == ""


def test_open_questions_are_numbered_in_order_with_when_and_context() -> None:
    lines = questions_text(full_report()).splitlines()
    assert lines[2:8] == [
        f"1. {ACCENTED} (asked 3 Nov, after cat and camel, pain 6/10)",
        f"2. {CYRILLIC} (asked 5 Nov)",
        f"3. {GREEK} (asked 6 Nov, during a check-in, pain 4/10)",
        f"4. {CJK} (asked 7 Nov)",
        f"5. {EMOJI} (asked 8 Nov)",
        f"6. {LONG} (asked 9 Nov)",
    ]


def test_control_characters_go_and_another_year_is_written_out() -> None:
    lines = questions_text(full_report()).splitlines()
    assert lines[8] == f"7. {CONTROL_CLEAN} (asked 9 Dec 2025)"
    assert not any(ch in questions_text(full_report()) for ch in "\x00\x07\x1b\t\r")


def test_answered_questions_follow_under_their_own_heading() -> None:
    message = questions_text(full_report())
    lines = message.splitlines()
    heading = lines.index("Already answered")
    assert heading > lines.index(f"7. {CONTROL_CLEAN} (asked 9 Dec 2025)")
    assert lines[heading - 1] == ""
    assert lines[heading + 1:] == [
        f"- {ANSWERED} (answered 20 Oct)",
        f"  Answer: {ANSWER}",
        f"- {ANSWERED_BARE} (answered 21 Oct)",
    ]
    assert message.count(ANSWERED) == 1


def test_only_answered_questions_still_get_their_heading() -> None:
    answered = [q for q in sample_questions() if q.answered_at is not None]
    lines = questions_text(full_report(questions=answered)).splitlines()
    assert lines[2] == "Already answered"
    assert "No questions saved." not in lines


def test_no_questions_and_no_visit() -> None:
    assert questions_text(empty_report()) == "Questions for my next visit\n\nNo questions saved."


def test_dates_are_the_persons_local_dates() -> None:
    late = QuestionItem("Late night question", at(3, hour=23, minute=30))
    message = questions_text(full_report(zone="UTC+05:30", questions=[late]))
    assert "1. Late night question (asked 4 Nov)" in message
    west = questions_text(full_report(zone="America/Sao_Paulo", questions=[late]))
    assert "(asked 3 Nov)" in west


@pytest.mark.parametrize(("name", "offset"), [
    ("UTC+05:30", timedelta(hours=5, minutes=30)),
    ("UTC-03:00", timedelta(hours=-3)),
    ("Europe/Lisbon", timedelta(0)),  # winter
    ("not a zone", timedelta(0)),  # unusable zones fall back to UTC rather than fail
])
def test_the_zone_is_read_from_a_name_or_an_offset(name: str, offset: timedelta) -> None:
    tz = zone_of(empty_report(zone=name))
    assert tz.utcoffset(datetime(2026, 1, 15, 12)) == offset
