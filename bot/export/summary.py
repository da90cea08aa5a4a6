"""What the visit PDF shows of a long history, bounded so it stays a page or two.

A clinician reads the report in a minute, whatever the amount of data: warning signs are
one row per sign and level with every date it happened (consecutive days as a range), the
exercises stopped for pain one row per exercise and place, and the sessions the last weeks
one by one with the earlier ones added up. Nothing here draws; the PDF lays these rows out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from bot.export.common import clean, clock, local, medium_date, say, short_date
from bot.export.report import EscalationItem, PainStop, WeekAdherence

LEVELS = ("emergency", "urgent", "call_doctor")  # most serious first
# Up to this many occurrences each is listed with its time; beyond, days (and runs of days).
TIMES_LISTED = 6
# Beyond this many runs of days, the days before the last four weeks (or two, or one) are
# said as one span with its count: the last weeks in detail, the months before in sum.
RUNS_LISTED, RECENT_DAYS = 8, (28, 14, 7)
QUOTES_SHOWN, QUOTE_CHARS = 2, 160
# With more signs than this, one shorter quote each keeps the table to a page.
FEW_SIGNS, QUOTE_CHARS_MANY = 4, 100
STOP_ROWS = 6
WEEK_ROWS = 6
ELLIPSIS = "…"


@dataclass(frozen=True)
class WarningRow:
    """One warning sign at one level: every time it happened, and some of my own words."""

    level: str
    about: str
    when: str  # "3 Oct 19:05, 21:10; 5 Oct 08:00", or "3 Oct to 9 Oct (14 times)"
    count: int
    quotes: tuple[str, ...]  # the most recent distinct messages, each bounded
    more_quotes: int  # distinct messages not quoted


@dataclass(frozen=True)
class StopRow:
    """One exercise stopped for pain in one place: how often, how much, and when."""

    exercise: str
    where: str
    count: int
    highest: int | None
    when: str


@dataclass(frozen=True)
class WeekRow:
    """A row of the sessions table: one week, or the earlier weeks added up (`earlier`)."""

    week_start: date
    counts: tuple[int, int, int, int, int]
    earlier: bool = False


def warning_rows(items: Sequence[EscalationItem], tz: tzinfo, labels: Mapping[str, str],
                 this_year: int) -> list[WarningRow]:
    """One row per (level, sign), most serious first, then the most recent first."""
    groups: dict[tuple[str, str], list[EscalationItem]] = {}
    for item in sorted(items, key=lambda e: e.at):
        groups.setdefault((item.level, clean(item.about)), []).append(item)
    many = len(groups) > FEW_SIGNS
    rows = [_warning_row(level, about, found, tz, labels, this_year, many)
            for (level, about), found in groups.items()]
    latest = {(level, about): found[-1].at for (level, about), found in groups.items()}
    rows.sort(key=lambda r: latest[(r.level, r.about)], reverse=True)
    rows.sort(key=lambda r: LEVELS.index(r.level) if r.level in LEVELS else len(LEVELS))
    return rows


def _warning_row(level: str, about: str, found: list[EscalationItem], tz: tzinfo,
                 labels: Mapping[str, str], this_year: int, many: bool) -> WarningRow:
    quotes_shown, quote_chars = (1, QUOTE_CHARS_MANY) if many else (QUOTES_SHOWN, QUOTE_CHARS)
    quotes: list[str] = []
    for item in reversed(found):
        said = clean(item.words or "")
        if said and said not in quotes:
            quotes.append(said)
    shown = tuple(bounded(q, quote_chars) for q in quotes[:quotes_shown])
    when = when_text([local(e.at, tz) for e in found], labels, this_year)
    return WarningRow(level, about, when, len(found), shown, len(quotes) - len(shown))


def stop_rows(stops: Sequence[PainStop], tz: tzinfo, labels: Mapping[str, str],
              this_year: int) -> tuple[list[StopRow], int]:
    """One row per (exercise, place), the most recent first, at most STOP_ROWS; and how
    many rows were left out."""
    groups: dict[tuple[str, str], list[PainStop]] = {}
    for stop in sorted(stops, key=lambda s: s.at):
        where = clean(stop.where or "") or labels["stops.where_unknown"]
        groups.setdefault((clean(stop.exercise), where), []).append(stop)
    ordered = sorted(groups.items(), key=lambda kv: kv[1][-1].at, reverse=True)
    rows = []
    for (exercise, where), found in ordered[:STOP_ROWS]:
        ratings = [s.rating for s in found if s.rating is not None]
        rows.append(StopRow(exercise, where, len(found), max(ratings) if ratings else None,
                            when_text([local(s.at, tz) for s in found], labels, this_year)))
    return rows, max(0, len(ordered) - STOP_ROWS)


def week_rows(weeks: Sequence[WeekAdherence]) -> list[WeekRow]:
    """The last WEEK_ROWS weeks one by one, the weeks before them added up in one row."""
    ordered = sorted(weeks, key=lambda w: w.week_start)
    recent = ordered[-WEEK_ROWS:]
    rows = [WeekRow(w.week_start, counts(w)) for w in recent]
    earlier = ordered[:-WEEK_ROWS]
    if earlier:
        totals = tuple(sum(column) for column in zip(*map(counts, earlier), strict=True))
        rows.insert(0, WeekRow(earlier[0].week_start, _five(totals), earlier=True))
    return rows


def counts(week: WeekAdherence) -> tuple[int, int, int, int, int]:
    """A week's numbers in table order."""
    return (week.sessions, week.completed, week.exercises_done, week.exercises_skipped,
            week.exercises_stopped_for_pain)


def _five(values: tuple[int, ...]) -> tuple[int, int, int, int, int]:
    first, second, third, fourth, fifth = values
    return first, second, third, fourth, fifth


def when_text(moments: Sequence[datetime], labels: Mapping[str, str], this_year: int) -> str:
    """Every local moment in few words: days with their times when there are few; else each
    day (runs of consecutive days as 'first to last') with the count; and when even those
    are many, the days before the last weeks as one span with its count."""
    days: dict[date, list[datetime]] = {}
    for moment in sorted(moments):
        days.setdefault(moment.date(), []).append(moment)
    if len(moments) <= TIMES_LISTED:
        return "; ".join(f"{short_date(day, labels, this_year)} {_clocks(found, labels)}"
                         for day, found in days.items())
    runs = _runs(days)
    parts = []
    for recent in RECENT_DAYS:
        if len(runs) <= RUNS_LISTED:
            break
        since = max(days) - timedelta(days=recent)
        older = sorted(d for d in days if d < since)
        if older:
            count = sum(len(days[d]) for d in older)
            parts = [say(labels, "times", when=say(
                labels, "span", first=medium_date(older[0], labels),
                last=medium_date(older[-1], labels)), count=count)]
        runs = [run for run in _runs(days) if run[0] >= since]
    for first, last, count in runs:
        span = (short_date(first, labels, this_year) if first == last else
                say(labels, "span", first=short_date(first, labels, this_year),
                    last=short_date(last, labels, this_year)))
        parts.append(say(labels, "times", when=span, count=count) if count > 1 else span)
    return "; ".join(parts)


def _clocks(moments: list[datetime], labels: Mapping[str, str]) -> str:
    """'08:00 (3 times), 08:01': each minute once, with how often it came up."""
    minutes: dict[str, int] = {}
    for moment in moments:
        minutes[clock(moment, labels)] = minutes.get(clock(moment, labels), 0) + 1
    return ", ".join(say(labels, "times", when=at, count=n) if n > 1 else at
                     for at, n in minutes.items())


def _runs(days: Mapping[date, list[datetime]]) -> list[tuple[date, date, int]]:
    """Consecutive days joined: (first day, last day, how many times in all)."""
    runs: list[tuple[date, date, int]] = []
    for day in sorted(days):
        if runs and runs[-1][1] + timedelta(days=1) == day:
            first, _last, count = runs[-1]
            runs[-1] = (first, day, count + len(days[day]))
        else:
            runs.append((day, day, len(days[day])))
    return runs


def bounded(text: str, limit: int) -> str:
    """`text` cut at a word before `limit` characters, with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.") + ELLIPSIS
