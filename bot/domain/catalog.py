"""The program as the domain sees it: exercises with doses and ranges, countries, word lists.

These are plain frozen dataclasses; bot/content_loader.py fills them from content/ and
pydantic validates the files into them, so their checks live in __post_init__.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from bot.domain.questions.faq import Answers
from bot.domain.reminders.timezones import PlaceWords
from bot.domain.triage import Triage
from bot.domain.understanding.dates import DateWords
from bot.domain.understanding.days_and_times import DayWords, TimeWords

DOSE_FIELDS = ("hold_seconds", "repetitions", "sets")


@dataclass(frozen=True)
class DoseRange:
    """The usual amount of one dose field and the range a person may set it to."""

    default: int
    min: int
    max: int

    def __post_init__(self) -> None:
        if not 1 <= self.min <= self.default <= self.max:
            raise ValueError(
                f"needs 1 <= min <= default <= max, got min={self.min}, "
                f"default={self.default}, max={self.max}"
            )

    def allows(self, value: int) -> bool:
        """True when the value is inside the safe range."""
        return self.min <= value <= self.max


@dataclass(frozen=True)
class StepDef:
    """One instruction of an exercise; hold steps are timed with the hold_seconds dose."""

    id: str
    hold: bool = False


@dataclass(frozen=True)
class ExerciseDef:
    """An exercise: its steps in order, which sides it alternates, and its dose fields."""

    id: str
    steps: tuple[StepDef, ...]
    dose: Mapping[str, DoseRange]
    sides: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        unknown = set(self.dose) - set(DOSE_FIELDS)
        if unknown:
            raise ValueError(f"unknown dose fields {sorted(unknown)}; allowed: {DOSE_FIELDS}")
        if not self.steps:
            raise ValueError("an exercise needs at least one step")
        if any(s.hold for s in self.steps) and "hold_seconds" not in self.dose:
            raise ValueError("an exercise with a hold step needs a hold_seconds dose")
        if not {"repetitions", "sets"} & set(self.dose):
            raise ValueError("an exercise needs a repetitions or a sets dose")
        object.__setattr__(self, "dose", MappingProxyType(dict(self.dose)))


@dataclass(frozen=True)
class CrisisLine:
    """A line for thoughts of suicide or self-harm, and the source that lists it."""

    name: str
    number: str
    source: str


@dataclass(frozen=True)
class Country:
    """A country the person can pick, with the number to call in an emergency."""

    code: str
    emergency: str
    names: tuple[str, ...] = ()
    crisis: CrisisLine | None = None


@dataclass(frozen=True)
class Catalog:
    """Everything the flows need from content/: exercises, countries and typed-answer words."""

    exercises: tuple[ExerciseDef, ...]
    countries: tuple[Country, ...]
    common_countries: tuple[str, ...]
    fallback_emergency: str
    safety_rules: tuple[str, ...]
    pain_places: tuple[str, ...] = ()
    triage: Triage | None = None
    words: Mapping[str, frozenset[str]] = field(default_factory=dict)
    numbers: Mapping[str, int] = field(default_factory=dict)
    # How dates, days, times and places are typed, in every language at once.
    dates: DateWords = field(default_factory=DateWords)
    days: DayWords = field(default_factory=DayWords)
    times: TimeWords = field(default_factory=TimeWords)
    places: PlaceWords = field(default_factory=PlaceWords)
    # Common questions about the program, and where it hurts, as typed in every language.
    answers: Answers = field(default_factory=Answers)
    pain_place_words: Mapping[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)
    # The languages a person can choose (/language): code -> its name in its own words.
    languages: Mapping[str, str] = field(default_factory=lambda: {"en": "English"})

    def exercise(self, exercise_id: str) -> ExerciseDef | None:
        """The exercise with this id, if the program has it."""
        return next((e for e in self.exercises if e.id == exercise_id), None)

    def country(self, code: str) -> Country | None:
        """The country with this ISO code, if listed."""
        return next((c for c in self.countries if c.code == code), None)

    def emergency_number(self, code: str | None) -> str:
        """The emergency number for a country code, or the fallback (112)."""
        country = self.country(code) if code else None
        return country.emergency if country else self.fallback_emergency

    def crisis_line(self, code: str | None) -> CrisisLine | None:
        """The crisis line for a country code, when the content lists one."""
        country = self.country(code) if code else None
        return country.crisis if country else None

    def is_word(self, group: str, normalised_text: str) -> bool:
        """True when typed text (already normalised) is one of a word group, e.g. 'yes'."""
        return normalised_text in self.words.get(group, frozenset())
