"""Reading a date the way people type it: 'tomorrow', 'next tuesday', '12 March', '12/3'."""

from __future__ import annotations

import re
from datetime import date, timedelta

from bot.domain.typing_help import normalise

MONTHS = {name: n for n, names in enumerate((
    ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
    ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
    ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
    ("dec", "december")), start=1) for name in names}
WEEKDAYS = {name: n for n, names in enumerate((
    ("mon", "monday"), ("tue", "tues", "tuesday"), ("wed", "wednesday"),
    ("thu", "thur", "thurs", "thursday"), ("fri", "friday"), ("sat", "saturday"),
    ("sun", "sunday"))) for name in names}
_NUMERIC = re.compile(r"^(\d{1,4})[/.\-](\d{1,2})(?:[/.\-](\d{2,4}))?$")


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


def _words(words: list[str], today: date) -> date | None:
    if words in (["today"], ["now"]):
        return today
    if words == ["tomorrow"]:
        return today + timedelta(days=1)
    if len(words) >= 3 and words[0] == "in" and words[1].isdigit() and words[2] in (
            "day", "days", "week", "weeks"):
        count = int(words[1]) * (7 if words[2].startswith("week") else 1)
        return today + timedelta(days=count)
    names = [w for w in words if w not in ("next", "this", "on")]
    if len(names) == 1 and names[0] in WEEKDAYS:
        ahead = (WEEKDAYS[names[0]] - today.weekday()) % 7 or 7
        return today + timedelta(days=ahead)
    numbers = [int(w) for w in words if w.isdigit()]
    months = [MONTHS[w] for w in words if w in MONTHS]
    if len(months) == 1 and numbers:
        day = next((n for n in numbers if n <= 31), None)
        year = next((n for n in numbers if n > 31), None)
        return _future(day, months[0], year, today) if day else None
    return None


def parse_date(text: str, today: date, month_first: bool = False) -> date | None:
    """The date meant, never in the past; None when unsure. 3/4 is 3 April unless
    month_first (as in the United States)."""
    raw = text.strip().lower()[:60]
    found = _numeric(raw, today, month_first)
    if found is None:
        words = [w.removesuffix("st").removesuffix("nd").removesuffix("rd").removesuffix("th")
                 if w[:1].isdigit() else w for w in normalise(raw).split()]
        found = _words(words, today)
    return found if found is not None and found >= today else None
