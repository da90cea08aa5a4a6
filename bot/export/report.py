"""The visit report as plain data: everything the PDF, the chart and the calendar entry show.

Built by bot.services.visit_export from the database; rendered by bot.export.pdf,
bot.export.chart and bot.export.ics. Times are timezone-aware; `zone` is the person's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from bot.domain.model import LevelLabel, PainMoment


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
    moment: PainMoment


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
    """A warning sign the bot acted on: when, how serious, what it was about (in words), and
    what the person typed, when it was typed and is still kept (retention drops it)."""

    at: datetime
    level: LevelLabel  # never "none": only the signs the bot acted on
    about: str  # plain words, e.g. "Numbness or tingling in the arms"
    words: str | None = None  # the person's own message, as they typed it


@dataclass(frozen=True)
class ProgramItem:
    """One exercise of the program the person is doing now, and its dose in words."""

    exercise: str  # "Cat and camel"
    dose: str  # "hold 5 s · 3 sets"


@dataclass(frozen=True)
class ProgramChange:
    """A dated change of the program, in words ("Cat and camel: 5 sets instead of 3")."""

    at: datetime
    what: str


@dataclass(frozen=True)
class PainStop:
    """An exercise stopped because it hurt: when, which, how much and where."""

    at: datetime
    exercise: str  # in words
    rating: int | None
    where: str | None  # in words: "Between the shoulder blades"


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

    zone: str  # IANA name or "UTC+05:30"
    generated_at: datetime
    visit: Visit | None
    questions: list[QuestionItem] = field(default_factory=list)  # open first, then answered
    pain: list[PainPoint] = field(default_factory=list)  # oldest first
    weeks: list[WeekAdherence] = field(default_factory=list)  # oldest first
    escalations: list[EscalationItem] = field(default_factory=list)  # oldest first
    program: list[ProgramItem] = field(default_factory=list)  # in program order
    program_changes: list[ProgramChange] = field(default_factory=list)  # oldest first
    stops: list[PainStop] = field(default_factory=list)  # oldest first
    labels: Mapping[str, str] = field(default_factory=dict)
    program_changed: list[date] = field(default_factory=list)  # local days of /program changes
    program_from_link: datetime | None = None  # when a provider's link last set the program
