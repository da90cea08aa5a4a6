"""Reading the days of the week people type ('mon-fri', 'every day except sunday', 'L M X
J V') and saying a set of days back, in no language of its own: the words are content
(every language's calendar.toml), given as DayWords, and days are said back as string keys.
Times ('7.30pm', 'noon', 'las 8 menos cuarto') are read in times.py, re-exported here."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.domain.engine.replies import Join, Line
from bot.domain.understanding.times import TimeWords, parse_hours, parse_time
from bot.domain.understanding.word_tables import alternation, fold, meanings, numbered, words_of

__all__ = ["EVERY_DAY", "WEEKDAYS", "WEEKENDS", "DayWords", "TimeWords", "describe_days",
           "parse_days", "parse_hours", "parse_time"]

MAX_READ = 200  # a list of days is short; longer text is not an answer
WEEKDAYS = (0, 1, 2, 3, 4)
WEEKENDS = (5, 6)
EVERY_DAY = (0, 1, 2, 3, 4, 5, 6)
# What the phrases for days become before the text is split into words: marks, not words
# of any language. Upper case never survives fold(), so no one can type these.
_EVERY_DAY, _WEEKDAYS, _WEEKENDS, _EXCEPT = "D_ALL", "D_WORK", "D_REST", "D_NOT"
_DAY_GROUPS = {_EVERY_DAY: EVERY_DAY, _WEEKDAYS: WEEKDAYS, _WEEKENDS: WEEKENDS}


def _clean(text: str) -> str:
    return fold(text[:MAX_READ])


@dataclass(frozen=True)
class DayWords:
    """The words of typed days of the week in every language the bot has; days numbered
    1 (Monday) to 7, as in content."""

    day_names: Mapping[int, tuple[str, ...]] = field(default_factory=dict)
    # One table of short letters per language, in order: 'm' is Monday in English and
    # Tuesday (martes) in Spanish, so each list of days is read with one language's letters.
    letters: tuple[Mapping[int, tuple[str, ...]], ...] = ()
    every_day: tuple[str, ...] = ()
    weekdays: tuple[str, ...] = ()
    weekends: tuple[str, ...] = ()
    excluding: tuple[str, ...] = ()
    through: tuple[str, ...] = ()
    fillers: tuple[str, ...] = ()
    plural_endings: tuple[str, ...] = ()
    # Built in __post_init__: names and letters to 0 (Monday) to 6, and the phrases'
    # patterns with what each becomes, in the order they are replaced.
    day_of: Mapping[str, int] = field(init=False, repr=False, compare=False)
    letter_of: tuple[Mapping[str, int], ...] = field(init=False, repr=False, compare=False)
    endings: tuple[str, ...] = field(init=False, repr=False, compare=False)
    phrases: tuple[tuple[re.Pattern[str], str], ...] = field(init=False, repr=False,
                                                             compare=False)

    def __post_init__(self) -> None:
        numbered(self.day_names, "day_names", 1, 7)
        for table in self.letters:
            numbered(table, "letters", 1, 7)
        names = meanings(self.day_names, "day_names", _clean, one_word=True)
        letters = tuple(meanings(table, "letters", _clean, one_word=True)
                        for table in self.letters)
        # Phrases first, so 'every day' is not read as the fillers 'every' and 'day'.
        groups = ((self.every_day, "every_day", f" {_EVERY_DAY} "),
                  (self.weekdays, "weekdays", f" {_WEEKDAYS} "),
                  (self.weekends, "weekends", f" {_WEEKENDS} "),
                  (self.excluding, "excluding", f" {_EXCEPT} "),
                  (self.through, "through", " - "), (self.fillers, "fillers", " "))
        phrases = tuple((re.compile(rf"\b(?:{alternation(words_of(group, name, _clean))})\b"),
                         becomes) for group, name, becomes in groups)
        built: dict[str, object] = {"day_of": {name: day - 1 for name, day in names.items()},
                 "letter_of": tuple({letter: day - 1 for letter, day in table.items()}
                                    for table in letters),
                 "endings": words_of(self.plural_endings, "plural_endings", _clean, True),
                 "phrases": phrases}
        for name, value in built.items():
            object.__setattr__(self, name, value)


def _letters_for(tokens: list[str], words: DayWords) -> Mapping[str, int]:
    """The first language's letters that read every letter typed ('l m x j v' is Spanish,
    'm w f' English); none when no one language's letters read them all."""
    typed = {t for t in tokens if any(t in table for table in words.letter_of)}
    return next((table for table in words.letter_of if typed <= table.keys()), {})


def _day(token: str, words: DayWords, letter_of: Mapping[str, int]) -> int | None:
    if token in letter_of:
        return letter_of[token]
    # A plural is of a whole name ('sundays', 'sábados'): the start of a name with an
    # ending is a word of its own ('dos' in 'cada dos días' is no 'do(mingo)s').
    for bare in (token, *(token.removesuffix(ending) for ending in words.endings)):
        if bare in words.day_of:
            return words.day_of[bare]
    # The first letters of a name will do ('tu', 'thur') when they fit one day only.
    days = {day for name, day in words.day_of.items() if name.startswith(token)}
    return days.pop() if len(token) >= 2 and len(days) == 1 else None


def parse_days(text: str, words: DayWords) -> tuple[int, ...] | None:
    """Days of the week as typed ('weekdays', 'Mon-Fri', 'mon wed fri', 'daily'), else None."""
    cleaned = _clean(text)
    for pattern, replacement in words.phrases:
        cleaned = pattern.sub(replacement, cleaned)
    tokens = re.sub(r"-", " - ", re.sub(r"[^\w-]+", " ", cleaned)).split()
    letter_of = _letters_for(tokens, words)
    chosen: set[int] = set()
    excluded: set[int] = set()
    target = chosen
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token == _EXCEPT:
            target = excluded
        elif token in _DAY_GROUPS:
            target.update(_DAY_GROUPS[token])
        else:
            first = _day(token, words, letter_of)
            if first is None:
                return None
            if index + 2 < len(tokens) and tokens[index + 1] == "-":
                last = _day(tokens[index + 2], words, letter_of)
                if last is None:
                    return None
                # A range may wrap round the week: 'fri-mon' is Friday to Monday.
                target.update((first + step) % 7 for step in range((last - first) % 7 + 1))
                index += 2
            else:
                target.add(first)
        index += 1
    days = (chosen or (set(EVERY_DAY) if excluded else set())) - excluded
    return tuple(sorted(days)) or None


def describe_days(days: tuple[int, ...]) -> Line:
    """'every day', 'weekdays', 'weekends', 'no days' or 'Mon, Wed, Fri', as string keys."""
    chosen = tuple(sorted(set(days) & set(EVERY_DAY)))
    named = {EVERY_DAY: "days.every_day", WEEKDAYS: "days.weekdays",
             WEEKENDS: "days.weekends", (): "days.none"}
    if chosen in named:
        return Line(named[chosen])
    # Day keys count from 1 (Monday), as ISO 8601 and content do.
    names = tuple(Line(f"days.short.{day + 1}") for day in chosen)
    return Line("days.some", {"days": Join(names, ", ")})
