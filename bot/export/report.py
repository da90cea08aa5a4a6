"""The visit report as plain data: everything the PDF, the chart and the calendar entry show.

Built by bot.services.visit_export from the database; rendered by bot.export.pdf,
bot.export.chart and bot.export.ics. Times are timezone-aware; `zone` is the person's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class QuestionItem:
    """One saved question, as the person wrote it, with when and in what context."""

    text: str
    asked_at: datetime
    context: str | None = None  # "after cat and camel, pain 6/10"
    answered_at: datetime | None = None
    answer: str | None = None  # the person's note of the answer, if they wrote one


@dataclass(frozen=True)
class PainPoint:
    """One 0-10 pain rating and when it was given."""

    at: datetime
    rating: int
    moment: str  # checkin | before | during | after


@dataclass(frozen=True)
class WeekAdherence:
    """One week (Monday to Sunday, local) of sessions and how each exercise went."""

    week_start: date
    sessions: int  # started that week
    completed: int  # of those, finished to the end
    exercises_done: int
    exercises_skipped: int
    exercises_stopped_for_pain: int


@dataclass(frozen=True)
class EscalationItem:
    """A warning sign the bot acted on: when, how serious, and what it was about (in words)."""

    at: datetime
    level: str  # emergency | urgent | call_doctor
    about: str  # plain words, e.g. "Numbness or tingling in the arms"


@dataclass(frozen=True)
class Visit:
    """The appointment, in the person's local time."""

    starts_at: datetime  # aware, in the person's zone
    with_whom: str
    minutes: int = 30


@dataclass(frozen=True)
class VisitReport:
    """Everything for one export. `labels` holds the user-facing words (see content/locales,
    section "export"), so the renderers contain no English of their own."""

    person_name: str | None  # Telegram first name, when known; may be None
    zone: str  # IANA name or "UTC+05:30"
    generated_at: datetime
    visit: Visit | None
    questions: list[QuestionItem] = field(default_factory=list)  # open first, then answered
    pain: list[PainPoint] = field(default_factory=list)  # oldest first
    weeks: list[WeekAdherence] = field(default_factory=list)  # oldest first
    escalations: list[EscalationItem] = field(default_factory=list)  # oldest first
    labels: Mapping[str, str] = field(default_factory=dict)
    program_changed: list[date] = field(default_factory=list)  # local days of /program changes
