"""Load how people type dates, days, times and places: every language's calendar.toml and
places.toml, each checked on its own, then read together (whatever a person's language,
the words of all of them are understood, as with words.toml)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ConfigDict

from bot.domain.reminders.timezones import PlaceWords
from bot.domain.understanding.dates import DateWords
from bot.domain.understanding.days_and_times import DayWords, TimeWords
from bot.loaders.files import ContentError, load
from content import CONTENT_DIR

K = TypeVar("K")
T = TypeVar("T")
Words = tuple[str, ...]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Dates(_Strict):
    ahead: Words
    fillers: Words
    ordinal_endings: Words
    next: Words = ()
    week_later: Words = ()
    counts: dict[int, Words] = {}
    relative: dict[int, Words]
    units: dict[int, Words]


class _Days(_Strict):
    every_day: Words
    weekdays: Words
    weekends: Words
    excluding: Words
    through: Words
    fillers: Words
    plural_endings: Words
    letters: dict[int, Words] = {}


class _Times(_Strict):
    am: Words
    pm: Words
    before: Words
    after: Words
    through: Words
    named: dict[str, Words]
    plus: Words = ()
    minus: Words = ()
    fractions: dict[int, Words] = {}
    hour_names: dict[int, Words] = {}
    periods: dict[str, Words] = {}


class _Calendar(_Strict):
    day_names: dict[int, Words]
    month_names: dict[int, Words]
    dates: _Dates
    days: _Days
    times: _Times


class _Places(_Strict):
    several_zones: Words
    lead_ins: Words
    zones: dict[str, Words]


@dataclass(frozen=True)
class CalendarWords:
    """The words of every language for reading dates, days, times and places."""

    dates: DateWords
    days: DayWords
    times: TimeWords
    places: PlaceWords


def _every(table: Mapping[int, Words], count: int, path: Path, where: str) -> None:
    for number in range(1, count + 1):
        if not table.get(number):
            raise ContentError(f"{path}: {where}.{number}: missing")


def _all(lists: Iterable[Words]) -> Words:
    return tuple(dict.fromkeys(word for words in lists for word in words))


def _joined(tables: Iterable[Mapping[K, Words]]) -> dict[K, Words]:
    """Tables of words by meaning, one per language, as one: {1: en + es words, ...}."""
    listed = list(tables)
    keys = dict.fromkeys(key for table in listed for key in table)
    return {key: _all(table.get(key, ()) for table in listed) for key in keys}


def _in(section: str, build: Callable[[], T]) -> T:
    """build(), its ValueError naming the field as the file does ('days.letters.9')."""
    try:
        return build()
    except ValueError as error:
        message = str(error)
        top_level = message.startswith(("day_names", "month_names"))
        raise ValueError(message if top_level else f"{section}.{message}") from None


def _calendar_words(calendars: list[_Calendar]) -> tuple[DateWords, DayWords, TimeWords]:
    """The domain's tables for dates, days and times, from these languages' calendars."""
    day_names = _joined(c.day_names for c in calendars)
    dates, days, times = ([c.dates for c in calendars], [c.days for c in calendars],
                          [c.times for c in calendars])
    return (
        _in("dates", lambda: DateWords(
            day_names=day_names, month_names=_joined(c.month_names for c in calendars),
            relative=_joined(d.relative for d in dates), units=_joined(d.units for d in dates),
            ahead=_all(d.ahead for d in dates), fillers=_all(d.fillers for d in dates),
            ordinal_endings=_all(d.ordinal_endings for d in dates),
            next_words=_all(d.next for d in dates), week_later=_all(d.week_later for d in dates),
            counts=_joined(d.counts for d in dates))),
        _in("days", lambda: DayWords(
            day_names=day_names, letters=tuple(d.letters for d in days),
            every_day=_all(d.every_day for d in days), weekdays=_all(d.weekdays for d in days),
            weekends=_all(d.weekends for d in days), excluding=_all(d.excluding for d in days),
            through=_all(d.through for d in days), fillers=_all(d.fillers for d in days),
            plural_endings=_all(d.plural_endings for d in days))),
        _in("times", lambda: TimeWords(
            am=_all(t.am for t in times), pm=_all(t.pm for t in times),
            before=_all(t.before for t in times), after=_all(t.after for t in times),
            through=_all(t.through for t in times), named=_joined(t.named for t in times),
            plus=_all(t.plus for t in times), minus=_all(t.minus for t in times),
            fractions=_joined(t.fractions for t in times),
            hour_names=_joined(t.hour_names for t in times),
            periods=_joined(t.periods for t in times))),
    )


def _place_words(places: list[_Places]) -> PlaceWords:
    """The domain's table of places, from these languages' places."""
    return PlaceWords(zones=_joined(p.zones for p in places),
                      several_zones=_all(p.several_zones for p in places),
                      lead_ins=_all(p.lead_ins for p in places))


def _alone(path: Path, build: Callable[[], object]) -> None:
    """ContentError naming the file when one language's words are wrong on their own."""
    try:
        build()
    except ValueError as error:
        raise ContentError(f"{path}: {error}") from None


def load_calendar(root: Path = CONTENT_DIR) -> CalendarWords:
    """Every language's words for dates, days, times and places; ContentError if one is bad."""
    calendars: list[_Calendar] = []
    places: list[_Places] = []
    for folder in sorted(p for p in (root / "locales").iterdir() if p.is_dir()):
        calendar_file, places_file = folder / "calendar.toml", folder / "places.toml"
        calendar: _Calendar = load(_Calendar, calendar_file)
        _every(calendar.day_names, 7, calendar_file, "day_names")
        _every(calendar.month_names, 12, calendar_file, "month_names")
        place: _Places = load(_Places, places_file)
        _alone(calendar_file, partial(_calendar_words, [calendar]))
        _alone(places_file, partial(_place_words, [place]))
        calendars.append(calendar)
        places.append(place)
    try:
        return CalendarWords(*_calendar_words(calendars), _place_words(places))
    except ValueError as error:
        raise ContentError(f"{root / 'locales'}: two languages' words clash: {error}") from None
