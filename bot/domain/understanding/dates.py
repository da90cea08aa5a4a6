"""Reading a date the way people type it ('tomorrow', 'next tuesday', 'tuesday week',
'12 March', '12/3'), with both readings when it could mean two days, and saying one back.
The words read are content (every language's calendar.toml), given as DateWords; a date
said back is string keys, in the person's language."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from bot.domain.engine.replies import Line, Param
from bot.domain.understanding.typing_help import normalise
from bot.domain.understanding.word_tables import meanings, numbered, words_of

_NUMERIC = re.compile(r"^(\d{1,4})[/.\-](\d{1,2})(?:[/.\-](\d{2,4}))?$")


@dataclass(frozen=True)
class DateWords:
    """The words of typed dates in every language the bot has: days numbered 1 (Monday)
    to 7, months 1 to 12, relative days and units by how many days they are."""

    day_names: Mapping[int, tuple[str, ...]] = field(default_factory=dict)
    month_names: Mapping[int, tuple[str, ...]] = field(default_factory=dict)
    relative: Mapping[int, tuple[str, ...]] = field(default_factory=dict)
    units: Mapping[int, tuple[str, ...]] = field(default_factory=dict)
    ahead: tuple[str, ...] = ()
    fillers: tuple[str, ...] = ()
    ordinal_endings: tuple[str, ...] = ()
    # "next tuesday": the coming one, or the one after when the coming one is this week.
    next_words: tuple[str, ...] = ()
    # "tuesday week": the coming one and a week.
    week_later: tuple[str, ...] = ()
    # Numbers said as words in 'in two weeks', 'dentro de una semana', by the number.
    counts: Mapping[int, tuple[str, ...]] = field(default_factory=dict)
    # Built in __post_init__ from the fields above, normalised as typed text is.
    weekday_of: Mapping[str, int] = field(init=False, repr=False, compare=False)
    month_of: Mapping[str, int] = field(init=False, repr=False, compare=False)
    days_ahead_of: Mapping[str, int] = field(init=False, repr=False, compare=False)
    unit_of: Mapping[str, int] = field(init=False, repr=False, compare=False)
    ahead_phrases: tuple[tuple[str, ...], ...] = field(init=False, repr=False, compare=False)
    filler_words: frozenset[str] = field(init=False, repr=False, compare=False)
    endings: tuple[str, ...] = field(init=False, repr=False, compare=False)
    next_of: frozenset[str] = field(init=False, repr=False, compare=False)
    week_later_of: frozenset[str] = field(init=False, repr=False, compare=False)
    count_of: Mapping[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for name, table, low, high in (("day_names", self.day_names, 1, 7),
                                       ("month_names", self.month_names, 1, 12),
                                       ("relative", self.relative, 0, 366),
                                       ("units", self.units, 1, 366),
                                       ("counts", self.counts, 1, 99)):
            numbered(table, name, low, high)
        days = meanings(self.day_names, "day_names", normalise, one_word=True)
        built: dict[str, object] = {
            "weekday_of": {word: day - 1 for word, day in days.items()},  # as date.weekday()
            "month_of": meanings(self.month_names, "month_names", normalise, one_word=True),
            "days_ahead_of": meanings(self.relative, "relative", normalise),
            "unit_of": meanings(self.units, "units", normalise, one_word=True),
            "ahead_phrases": tuple(tuple(phrase.split())
                                   for phrase in words_of(self.ahead, "ahead", normalise)),
            "filler_words": frozenset(words_of(self.fillers, "fillers", normalise, True)),
            "endings": words_of(self.ordinal_endings, "ordinal_endings", normalise, True),
            "next_of": frozenset(words_of(self.next_words, "next", normalise, True)),
            "week_later_of": frozenset(words_of(self.week_later, "week_later", normalise, True)),
            "count_of": meanings(self.counts, "counts", normalise, one_word=True),
        }
        for name, value in built.items():
            object.__setattr__(self, name, value)


def _future(day: int, month: int, year: int | None, today: date) -> date | None:
    try:
        found = date(year if year is not None else today.year, month, day)
    except ValueError:
        return None
    if year is None and found < today:
        try:
            found = found.replace(year=today.year + 1)
        except ValueError:
            return None
    return found


def _numeric(text: str, today: date, month_first: bool) -> date | None:
    match = _NUMERIC.match(text.replace(" ", ""))
    if not match:
        return None
    first, second, third = match.groups()
    if len(first) == 4:  # 2026-03-12
        return _future(int(third or 0), int(second), int(first), today) if third else None
    day, month = (int(second), int(first)) if month_first else (int(first), int(second))
    year = int(third) if third else None
    if year is not None and year < 100:
        year += 2000
    return _future(day, month, year, today)


def _ahead(words: list[str], known: DateWords) -> int | None:
    """The days in 'in 3 days', 'in 2 weeks' or 'dentro de dos semanas' (words may follow),
    else None."""
    for lead in known.ahead_phrases:
        rest = words[len(lead):]
        if tuple(words[:len(lead)]) != lead or len(rest) < 2 or rest[1] not in known.unit_of:
            continue
        count = int(rest[0]) if rest[0].isdigit() else known.count_of.get(rest[0])
        if count is not None:
            return count * known.unit_of[rest[1]]
    return None


def _weekday(names: list[str], today: date, known: DateWords) -> tuple[date, ...]:
    """'tuesday', 'next tuesday', 'tuesday week': the day or days meant; () if not a weekday.

    'Next tuesday' said on a Monday is tomorrow to some and a week later to others, so
    when the coming one falls in this week both are given, the coming one first.
    """
    days = [known.weekday_of[n] for n in names if n in known.weekday_of]
    said_next = [n for n in names if n in known.next_of]
    week_later = [n for n in names if n in known.week_later_of]
    if len(days) != 1 or len(names) != 1 + len(said_next) + len(week_later) \
            or len(said_next) > 1 or len(week_later) > 1:
        return ()
    coming = today + timedelta(days=(days[0] - today.weekday()) % 7 or 7)
    if week_later:
        return (coming + timedelta(days=7),)
    if said_next and days[0] > today.weekday():
        return (coming, coming + timedelta(days=7))
    return (coming,)


def _words(words: list[str], today: date, known: DateWords) -> tuple[date, ...]:
    said = " ".join(words)
    if said in known.days_ahead_of:
        return (today + timedelta(days=known.days_ahead_of[said]),)
    ahead = _ahead(words, known)
    if ahead is not None:
        return (today + timedelta(days=ahead),)
    names = [w for w in words if w not in known.filler_words]
    numbers = [int(w) for w in words if w.isdigit()]
    months = [known.month_of[w] for w in words if w in known.month_of]
    weekdays = {known.weekday_of[n] for n in names if n in known.weekday_of}
    if len(months) == 1 and numbers:
        day = next((n for n in numbers if n <= 31), None)
        year = next((n for n in numbers if n > 31), None)
        found = _future(day, months[0], year, today) if day else None
        # 'el martes 15 de diciembre': the day's name must be that date's, else which one?
        if found is None or (weekdays and weekdays != {found.weekday()}):
            return ()
        return (found,)
    if weekdays:
        return _weekday(names, today, known)
    return ()


def _without_ending(word: str, endings: tuple[str, ...]) -> str:
    """'12th' -> '12': a day's number loses its ordinal ending."""
    if word[:1].isdigit():
        for ending in endings:
            word = word.removesuffix(ending)
    return word


def read_date(text: str, today: date, words: DateWords,
              month_first: bool = False) -> tuple[date, ...]:
    """Every date the text may mean, never in the past: one, two when it is ambiguous
    ('next tuesday' on a Monday), none when unsure. 3/4 is 3 April unless month_first
    (as in the United States)."""
    raw = text.strip().lower()[:60]
    # 'el 15/12', 'on 12/3': a numeric date after words that change nothing.
    said = [w for w in raw.split() if normalise(w) not in words.filler_words]
    found = _numeric(said[0] if len(said) == 1 else raw, today, month_first)
    if found is not None:
        return (found,) if found >= today else ()
    typed = [_without_ending(w, words.endings) for w in normalise(raw).split()]
    return tuple(day for day in _words(typed, today, words) if day >= today)


def parse_date(text: str, today: date, words: DateWords,
               month_first: bool = False) -> date | None:
    """The one date meant, never in the past; None when unsure or when it may mean two."""
    found = read_date(text, today, words, month_first)
    return found[0] if len(found) == 1 else None


def said_date(key: str, day: date, **params: Param) -> Line:
    """The line `key` about a day: {weekday} {month} (string keys), {day} {day2} {year}."""
    return Line(key, {"weekday": Line(f"days.short.{day.isoweekday()}"), "day": day.day,
                      "day2": f"{day.day:02d}", "month": Line(f"date.month_short.{day.month}"),
                      "year": day.year, **params})
