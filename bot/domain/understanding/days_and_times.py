"""Reading the times and days of the week people type ('7.30pm', 'noon', 'mon-fri',
'every day except sunday') and saying a set of days back, in no language of its own: the
words are content (every language's calendar.toml), given as TimeWords and DayWords, and
days are said back as string keys."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time

from bot.domain.engine.replies import Join, Line
from bot.domain.understanding.word_tables import alternation, meanings, numbered, words_of

MAX_READ = 200  # a time or a list of days is short; longer text is not an answer
WEEKDAYS = (0, 1, 2, 3, 4)
WEEKENDS = (5, 6)
EVERY_DAY = (0, 1, 2, 3, 4, 5, 6)
# What the phrases for days become before the text is split into words: marks, not words
# of any language. Upper case never survives _clean(), so no one can type these.
_EVERY_DAY, _WEEKDAYS, _WEEKENDS, _EXCEPT = "D_ALL", "D_WORK", "D_REST", "D_NOT"
_DAY_GROUPS = {_EVERY_DAY: EVERY_DAY, _WEEKDAYS: WEEKDAYS, _WEEKENDS: WEEKENDS}
# A clock time ('7', '7:30', '7.30', '19h30', '19h', '1930'), then perhaps a mark of the
# morning or afternoon: {halves}, filled from content.
_CLOCK = (r"(?P<h>\d{{1,2}})(?:\s*(?:[:.]|h)\s*(?P<m>\d{{2}})|\s*h)?\s*(?P<half>{halves})?"
          r"|(?P<hhmm>\d{{3,4}})\s*(?P<half2>{halves})?")


def _clean(text: str) -> str:
    """NFKC, lower-case, accents gone, dashes as '-', runs of spaces as one."""
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text[:MAX_READ]))
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch)).casefold()
    return re.sub(r"\s+", " ", re.sub(r"[‐-―−]", "-", plain)).strip()


def _at(written: str) -> time:
    """'12:00' as a time; ValueError naming the field otherwise."""
    try:
        return time.fromisoformat(written)
    except ValueError:
        raise ValueError(f"named.{written}: not a time written HH:MM") from None


@dataclass(frozen=True)
class TimeWords:
    """The words of typed times in every language the bot has; named times by 'HH:MM'."""

    am: tuple[str, ...] = ()
    pm: tuple[str, ...] = ()
    before: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    through: tuple[str, ...] = ()
    named: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Built in __post_init__ from the fields above.
    time_of: Mapping[str, time] = field(init=False, repr=False, compare=False)
    afternoon: frozenset[str] = field(init=False, repr=False, compare=False)
    halves: re.Pattern[str] = field(init=False, repr=False, compare=False)
    edges: re.Pattern[str] = field(init=False, repr=False, compare=False)
    clock: re.Pattern[str] = field(init=False, repr=False, compare=False)
    between: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        marks: tuple[str, ...] = ()
        for name, half in (("am", self.am), ("pm", self.pm)):
            for mark in words_of(half, name, _clean):
                if not mark.isalpha():
                    raise ValueError(f"{name}: {mark!r} is not letters only")
                marks += (mark,)
        for mark in sorted({m for m in marks if marks.count(m) > 1}):
            raise ValueError(f"pm: {mark!r} is a mark of the morning too")
        named = {word: _at(at) for word, at in meanings(self.named, "named", _clean).items()}
        # 'a.m.', 'a. m.' and 'a m' are 'am': an optional dot after each letter, a space
        # between letters.
        spelt = "|".join(r"\.? ?".join(map(re.escape, mark))
                         for mark in sorted(marks, key=len, reverse=True)) or "(?!)"
        halves = alternation(marks)
        before = words_of(self.before, "before", _clean)
        after = words_of(self.after, "after", _clean)
        # The other words of times are never cut: 'a' between times must not cut 'am'.
        whole = alternation((*marks, *before, *after, *named))
        through = alternation(words_of(self.through, "through", _clean))
        built: dict[str, object] = {
            "time_of": named,
            "afternoon": frozenset(words_of(self.pm, "pm", _clean)),
            "halves": re.compile(rf"\b(?:{spelt})\b\.?"),
            "edges": re.compile(rf"^(?:{alternation(before)}|~)\s*|\s*(?:{alternation(after)})$"),
            "clock": re.compile(_CLOCK.format(halves=halves)),
            "between": re.compile(rf"(?P<whole>{whole})|{through}"),
        }
        for name, value in built.items():
            object.__setattr__(self, name, value)


def parse_time(text: str, words: TimeWords) -> time | None:
    """A clock time as typed ('7:30', '19h30', '7.30pm', '1930', 'noon'), else None."""
    cleaned = words.halves.sub(lambda found: re.sub(r"[. ]", "", found[0]), _clean(text))
    cleaned = words.edges.sub("", cleaned).strip()
    if cleaned in words.time_of:
        return words.time_of[cleaned]
    found = words.clock.fullmatch(cleaned)
    if not found:
        return None
    if found["hhmm"]:
        digits, half = found["hhmm"], found["half2"]
        hour, minute = int(digits[:-2]), int(digits[-2:])
    else:
        hour, minute, half = int(found["h"]), int(found["m"] or 0), found["half"]
    if minute >= 60:
        return None
    if half:
        if not 1 <= hour <= 12:
            return None
        return time(hour % 12 + (12 if half in words.afternoon else 0), minute)
    if hour == 24 and minute == 0:
        return time(0)
    return time(hour, minute) if hour <= 23 else None


def parse_hours(text: str, words: TimeWords) -> tuple[time, time] | None:
    """Quiet hours as typed, a start and an end: '22:00-07:00', '10pm to 7am'; else None."""
    parts = words.between.sub(lambda found: found["whole"] or "-", text).split("-")
    times = [parse_time(part, words) for part in parts] if len(parts) == 2 else []
    if len(times) == 2 and times[0] is not None and times[1] is not None:
        return times[0], times[1]
    return None


@dataclass(frozen=True)
class DayWords:
    """The words of typed days of the week in every language the bot has; days numbered
    1 (Monday) to 7, as in content."""

    day_names: Mapping[int, tuple[str, ...]] = field(default_factory=dict)
    letters: Mapping[int, tuple[str, ...]] = field(default_factory=dict)
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
    letter_of: Mapping[str, int] = field(init=False, repr=False, compare=False)
    endings: tuple[str, ...] = field(init=False, repr=False, compare=False)
    phrases: tuple[tuple[re.Pattern[str], str], ...] = field(init=False, repr=False,
                                                             compare=False)

    def __post_init__(self) -> None:
        numbered(self.day_names, "day_names", 1, 7)
        numbered(self.letters, "letters", 1, 7)
        names = meanings(self.day_names, "day_names", _clean, one_word=True)
        letters = meanings(self.letters, "letters", _clean, one_word=True)
        # Phrases first, so 'every day' is not read as the fillers 'every' and 'day'.
        groups = ((self.every_day, "every_day", f" {_EVERY_DAY} "),
                  (self.weekdays, "weekdays", f" {_WEEKDAYS} "),
                  (self.weekends, "weekends", f" {_WEEKENDS} "),
                  (self.excluding, "excluding", f" {_EXCEPT} "),
                  (self.through, "through", " - "), (self.fillers, "fillers", " "))
        phrases = tuple((re.compile(rf"\b(?:{alternation(words_of(group, name, _clean))})\b"),
                         becomes) for group, name, becomes in groups)
        built: dict[str, object] = {"day_of": {name: day - 1 for name, day in names.items()},
                 "letter_of": {letter: day - 1 for letter, day in letters.items()},
                 "endings": words_of(self.plural_endings, "plural_endings", _clean, True),
                 "phrases": phrases}
        for name, value in built.items():
            object.__setattr__(self, name, value)


def _day(token: str, words: DayWords) -> int | None:
    if token in words.letter_of:
        return words.letter_of[token]
    for word in (token, *(token.removesuffix(ending) for ending in words.endings)):
        # The first letters of a name will do ('tu', 'thur') when they fit one day only.
        days = {day for name, day in words.day_of.items() if name.startswith(word)}
        if len(word) >= 2 and len(days) == 1:
            return days.pop()
    return None


def parse_days(text: str, words: DayWords) -> tuple[int, ...] | None:
    """Days of the week as typed ('weekdays', 'Mon-Fri', 'mon wed fri', 'daily'), else None."""
    cleaned = _clean(text)
    for pattern, replacement in words.phrases:
        cleaned = pattern.sub(replacement, cleaned)
    tokens = re.sub(r"-", " - ", re.sub(r"[^\w-]+", " ", cleaned)).split()
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
            first = _day(token, words)
            if first is None:
                return None
            if index + 2 < len(tokens) and tokens[index + 1] == "-":
                last = _day(tokens[index + 2], words)
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
