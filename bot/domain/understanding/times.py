"""Reading the clock times people type ('7:30', '19h30', '7.30pm', 'noon', '7 y media', 'las
8 menos cuarto de la tarde') and quiet hours ('22:00-07:00', 'de 10 de la noche a 7 de la
mañana'), in no language of its own: the words are content (every language's
calendar.toml), given as TimeWords."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time

from bot.domain.understanding.word_tables import alternation, fold, meanings, numbered, words_of

MAX_READ = 200  # a time is short; longer text is not an answer
DAY = 24 * 60
# A clock time ('7', '7:30', '7.30', '19h30', '19h', '19:30 h', '1930'), then perhaps a mark
# of the morning or afternoon: {halves}, filled from content.
_CLOCK = (r"(?P<h>\d{{1,2}})(?:\s*(?:[:.]|h)\s*(?P<m>\d{{2}})(?:\s*h)?|\s*h)?"
          r"\s*(?P<half>{halves})?|(?P<hhmm>\d{{3,4}})\s*(?P<half2>{halves})?")


def _clean(text: str) -> str:
    return fold(text[:MAX_READ])


def _at(written: str) -> time:
    """'12:00' as a time; ValueError naming the field otherwise."""
    try:
        return time.fromisoformat(written)
    except ValueError:
        raise ValueError(f"named.{written}: not a time written HH:MM") from None


def _hours(written: str) -> tuple[int, int]:
    """'19-05' as (19, 5): the hours a part of the day covers, the end not in it."""
    start, _, end = written.partition("-")
    if not (start.isdigit() and end.isdigit() and int(start) < 24 and int(end) <= 24):
        raise ValueError(f"periods.{written}: not hours written HH-HH")
    return int(start), int(end)


@dataclass(frozen=True)
class TimeWords:
    """The words of typed times in every language the bot has; named times by 'HH:MM'.

    Spoken times ('7 y media', 'las 8 menos cuarto', 'la una', '7 de la tarde') need the
    words after `plus` and `minus`, `fractions` of an hour by minutes, `hour_names` by the
    hour (1 to 12), and `periods` of the day by the hours they cover ('19-05' wraps).
    """

    am: tuple[str, ...] = ()
    pm: tuple[str, ...] = ()
    before: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    through: tuple[str, ...] = ()
    named: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    plus: tuple[str, ...] = ()
    minus: tuple[str, ...] = ()
    fractions: Mapping[int, tuple[str, ...]] = field(default_factory=dict)
    hour_names: Mapping[int, tuple[str, ...]] = field(default_factory=dict)
    periods: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Built in __post_init__ from the fields above.
    time_of: Mapping[str, time] = field(init=False, repr=False, compare=False)
    afternoon: frozenset[str] = field(init=False, repr=False, compare=False)
    halves: re.Pattern[str] = field(init=False, repr=False, compare=False)
    edges: re.Pattern[str] = field(init=False, repr=False, compare=False)
    lead: re.Pattern[str] = field(init=False, repr=False, compare=False)
    clock: re.Pattern[str] = field(init=False, repr=False, compare=False)
    between: re.Pattern[str] = field(init=False, repr=False, compare=False)
    minutes: re.Pattern[str] = field(init=False, repr=False, compare=False)
    minutes_of: Mapping[str, int] = field(init=False, repr=False, compare=False)
    hour_of: Mapping[str, int] = field(init=False, repr=False, compare=False)
    period: re.Pattern[str] = field(init=False, repr=False, compare=False)
    period_of: Mapping[str, tuple[int, int]] = field(init=False, repr=False, compare=False)

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
        before = words_of(self.before, "before", _clean)
        after = words_of(self.after, "after", _clean)
        numbered(self.fractions, "fractions", 1, 59)
        numbered(self.hour_names, "hour_names", 1, 12)
        fractions = meanings(self.fractions, "fractions", _clean, one_word=True)
        periods = {word: _hours(hours)
                   for word, hours in meanings(self.periods, "periods", _clean).items()}
        through = alternation(words_of(self.through, "through", _clean))
        plus = alternation(words_of(self.plus, "plus", _clean))
        minus = alternation(words_of(self.minus, "minus", _clean))
        amount = rf"(?P<amount>\d{{1,2}}|{alternation(fractions)})"
        built: dict[str, object] = {
            "time_of": named,
            "afternoon": frozenset(words_of(self.pm, "pm", _clean)),
            "halves": re.compile(rf"\b(?:{spelt})\b\.?"),
            "edges": re.compile(rf"^(?:{alternation(before)}|~)\s*|\s*(?:{alternation(after)})$"),
            "lead": re.compile(rf"^(?:{alternation(before)})\s"),
            "clock": re.compile(_CLOCK.format(halves=alternation(marks))),
            "between": re.compile(rf"\s*-\s*|(?<!\S)(?:{through})(?!\S)"),
            # '7 y media', '8 menos cuarto', '7 y 20': minutes after or before the hour.
            "minutes": re.compile(
                rf"(?P<hour>.+?) (?:(?P<plus>{plus})|(?P<minus>{minus})) {amount}"),
            "minutes_of": fractions,
            "hour_of": meanings(self.hour_names, "hour_names", _clean, one_word=True),
            "period": re.compile(rf"(?P<time>.+?) (?P<period>{alternation(periods)})"),
            "period_of": periods,
        }
        for name, value in built.items():
            object.__setattr__(self, name, value)


def _clock(cleaned: str, words: TimeWords) -> tuple[int, bool] | None:
    """Minutes since midnight of a written clock time, and whether it said its minutes or
    its half of the day; None if it is no time."""
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
    exact = bool(found["m"] or found["hhmm"] or half)
    if half:
        if not 1 <= hour <= 12:
            return None
        return (hour % 12 + (12 if half in words.afternoon else 0)) * 60 + minute, exact
    if hour == 24 and minute == 0:
        return 0, exact
    return (hour * 60 + minute, exact) if hour <= 23 else None


def _spoken(cleaned: str, words: TimeWords, led: bool) -> tuple[int, bool] | None:
    """'7 y media', 'la una', 'las 8 menos cuarto': a clock time with its minutes said in
    words. An hour said as a word alone is read only after a lead ('la una'): 'una' alone
    is too common a word."""
    found = words.minutes.fullmatch(cleaned)
    hour_text = found["hour"] if found else cleaned
    if hour_text in words.hour_of and (led or found):
        start: tuple[int, bool] | None = (words.hour_of[hour_text] * 60, False)
    else:
        start = _clock(hour_text, words)
    if found is None or start is None:
        return start
    at, exact = start
    amount = found["amount"]
    minutes = int(amount) if amount.isdigit() else words.minutes_of[amount]
    if exact or not 0 < minutes < 60:
        return None  # '7:30 y cuarto' is no time
    return (at + (minutes if found["plus"] else -minutes)) % DAY, True


def _in_period(at: int, hours: tuple[int, int]) -> int | None:
    """The time of day in this part of the day ('7' 'de la tarde' is 19:00), else None."""
    start, end = hours
    hour = at // 60
    candidates = {hour} if hour > 12 else {hour % 12, hour % 12 + 12}
    fits = [h for h in candidates if (start <= h < end if start < end else h >= start or h < end)]
    return fits[0] * 60 + at % 60 if len(fits) == 1 else None


def parse_time(text: str, words: TimeWords) -> time | None:
    """A clock time as typed ('7:30', '19h30', '7.30pm', '1930', 'noon', '7 y media',
    'las 8 menos cuarto', '7 de la tarde'), else None."""
    cleaned = words.halves.sub(lambda found: re.sub(r"[. ]", "", found[0]), _clean(text))
    led = bool(words.lead.match(cleaned))
    cleaned = words.edges.sub("", cleaned).strip()
    if cleaned in words.time_of:
        return words.time_of[cleaned]
    period = words.period.fullmatch(cleaned)
    if period:
        cleaned = words.edges.sub("", period["time"]).strip()
    read = _spoken(cleaned, words, led)
    if read is None:
        return None
    at, _ = read
    if period:
        said = words.clock.fullmatch(cleaned)
        if said and (said["half"] or said["half2"]):
            return None  # '7pm de la tarde' says its half twice: no answer to guess from
        within = _in_period(at, words.period_of[period["period"]])
        if within is None:
            return None
        at = within
    return time(at // 60, at % 60)


def parse_hours(text: str, words: TimeWords) -> tuple[time, time] | None:
    """Quiet hours as typed, a start and an end ('22:00-07:00', '10pm to 7am', 'de las 22 a
    las 7'); else None, also when the text can be cut in two ways that read differently."""
    cleaned = _clean(text)
    found: set[tuple[time, time]] = set()
    for cut in words.between.finditer(cleaned):
        start = parse_time(cleaned[:cut.start()], words)
        end = parse_time(cleaned[cut.end():], words)
        if start is not None and end is not None:
            found.add((start, end))
    return found.pop() if len(found) == 1 else None
