"""Time zones: resolving a stored zone name, and reading the zone a person types or implies.

The places people type are content (every language's places.toml), given as PlaceWords.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.domain.understanding.word_tables import alternation, meanings, words_of

MAX_READ = 200  # a zone or offset answer is short; longer text is not one
MIN_OFFSET = -12 * 60  # minutes; the range of offsets in use anywhere
MAX_OFFSET = 14 * 60
# The years whose offsets count as "in use": offsets a zone had long ago (+04:51) or that only
# Etc/ names carry are not what a person types today.
IN_USE_YEARS = range(2020, 2036)
_FIXED = re.compile(r"UTC([+-])(\d{2}):(\d{2})")
# Names the tz database ships that are not places, or that depend on the machine.
_NOT_ZONES = frozenset({"localtime", "posixrules", "Factory"})
# Region-prefixed names are the canonical ones; top-level names are mostly legacy links.
_REGIONS = frozenset(
    {"Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia", "Europe"}
    | {"Indian", "Pacific"}
)

def _normalise(text: str) -> str:
    """Lower-case, accents and punctuation gone (keeping '/'), '_' and runs of spaces as one."""
    decomposed = unicodedata.normalize("NFKD", text[:MAX_READ])
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    plain = re.sub(r"[^\w/]+|_", " ", plain)
    return re.sub(r"\s*/\s*", "/", re.sub(r"\s+", " ", plain)).strip()


@lru_cache(maxsize=4096)
def zone(name: str) -> tzinfo:
    """The tzinfo for a stored zone: an IANA name or our fixed 'UTC+05:30'; else ValueError."""
    fixed = _FIXED.fullmatch(name)
    if fixed:
        sign, hours, minutes = fixed.groups()
        total = (1 if sign == "+" else -1) * (int(hours) * 60 + int(minutes))
        if int(minutes) >= 60 or not MIN_OFFSET <= total <= MAX_OFFSET:
            raise ValueError(f"offset out of range: {name!r}")
        return timezone(timedelta(minutes=total))
    if name in _NOT_ZONES:
        raise ValueError(f"not a time zone: {name!r}")
    try:
        return ZoneInfo(name)
    # ZoneInfo reports a bad key as KeyError, ValueError or, for a directory, an OSError.
    except (ZoneInfoNotFoundError, ValueError, OSError) as error:
        raise ValueError(f"unknown time zone: {name!r}") from error


def format_offset(minutes: int) -> str:
    """Our fixed-offset zone name for an offset in minutes: 330 -> 'UTC+05:30'."""
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


_OFFSET = re.compile(
    r"(?:(?:utc|gmt)\s*)?(?:(?P<sign>[+\-−])\s*"
    r"(?:(?P<h>\d{1,2})(?:\s*[:.h]\s*(?P<m>\d{2}))?|(?P<hhmm>\d{3,4})))?"
)


def parse_offset(text: str) -> str | None:
    """An offset as typed ('UTC+2', 'GMT-5', '+05:30', 'utc +5:45', 'UTC') as 'UTC+HH:MM'."""
    cleaned = unicodedata.normalize("NFKC", text[:MAX_READ]).casefold().strip()
    found = _OFFSET.fullmatch(cleaned)
    if not found or not cleaned:
        return None
    if found["sign"] is None:
        # Only a bare 'UTC' or 'GMT' gets here: a number without a sign is not an offset.
        return format_offset(0)
    digits = found["hhmm"]
    hours, minutes = (int(digits[:-2]), int(digits[-2:])) if digits else (int(found["h"]), 0)
    if found["m"] is not None:
        minutes = int(found["m"])
    # Only offsets some place uses: UTC-02:15 is a typo (or a clock time) worth asking about.
    if minutes >= 60:
        return None
    total = (-1 if found["sign"] in "-−" else 1) * (hours * 60 + minutes)
    return format_offset(total) if total in offsets_in_use() else None


@lru_cache(maxsize=1)
def _installed() -> frozenset[str]:
    """The zone names this machine's time zone database has, read once."""
    return frozenset(available_timezones() - _NOT_ZONES)


@lru_cache(maxsize=1)
def offsets_in_use() -> frozenset[int]:
    """Every UTC offset, in minutes, that a zone of the tz database has in winter or summer
    of the years around now: whole hours from -12:00 to +14:00, and the few others
    (-09:30, -03:30, -02:30, +03:30, +04:30, +05:30, +05:45, +06:30, +08:45, +09:30, ...)."""
    found: set[int] = set()
    for name in _installed():
        place = ZoneInfo(name)
        for year in IN_USE_YEARS:
            for month in (1, 7):
                offset = datetime(year, month, 15, tzinfo=UTC).astimezone(place).utcoffset()
                if offset is not None:
                    found.add(int(offset.total_seconds()) // 60)
    return frozenset(m for m in found if MIN_OFFSET <= m <= MAX_OFFSET)


@lru_cache(maxsize=1)
def _zone_index() -> tuple[dict[str, str], ...]:
    """Lookup tables (exact name, normalised name, last part) -> IANA name, built once."""
    names = _installed()
    exact = {name.casefold(): name for name in names}
    # Normalising drops the sign, so Etc/GMT+5 and Etc/GMT-5 are only found typed exactly.
    full = {_normalise(name): name for name in names if not re.search(r"[+-]\d", name)}
    last: dict[str, str] = {}
    # Deeper names win ties: America/Argentina/Buenos_Aires is canonical, the short one a link.
    for name in sorted(names, key=lambda n: (n.count("/"), n)):
        if name.split("/")[0] in _REGIONS:
            last[_normalise(name.rsplit("/", 1)[-1])] = name
    return exact, full, last


@dataclass(frozen=True)
class PlaceWords:
    """The places people type for a time zone, in every language the bot has: IANA zone
    names with the places that mean them, countries spanning several zones, and the words
    before a place ('I live in')."""

    zones: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    several_zones: tuple[str, ...] = ()
    lead_ins: tuple[str, ...] = ()
    # Built in __post_init__: places to zones this machine has (a zone an older database
    # lacks is left out), the places spanning zones, the pattern of the lead-ins.
    zone_of: Mapping[str, str] = field(init=False, repr=False, compare=False)
    spanning: frozenset[str] = field(init=False, repr=False, compare=False)
    lead_in: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        places = meanings(self.zones, "zones", _normalise)
        installed = _installed()
        lead_ins = alternation(words_of(self.lead_ins, "lead_ins", _normalise))
        built: dict[str, object] = {
            "zone_of": {place: name for place, name in places.items() if name in installed},
            "spanning": frozenset(words_of(self.several_zones, "several_zones", _normalise)),
            "lead_in": re.compile(rf"^(?:{lead_ins}) "),
        }
        for name, value in built.items():
            object.__setattr__(self, name, value)


def find_zone(text: str, places: PlaceWords) -> str | None:
    """The IANA zone for a typed city or zone ('Lisbon', 'são paulo', 'Europe/Lisbon'), or None.

    Offsets ('UTC+2') are parse_offset's job; countries spanning several zones give None.
    """
    exact, full, last = _zone_index()
    aliases = places.zone_of
    key = _normalise(text)
    # Aliases first: 'EST' and 'Portugal' are also legacy zone names, but not the best ones.
    if key in aliases:
        return aliases[key]
    typed = text[:MAX_READ].strip().casefold().replace(" ", "_")
    if typed in exact:
        return exact[typed]
    key = places.lead_in.sub("", key)
    # 'Lisbon, Portugal' or 'Porto (Portugal)': the first part that names a place decides.
    parts = [key, *(_normalise(p) for p in re.split(r"[,;(]", text[:MAX_READ]))]
    for part in parts:
        for table in (aliases, full, last):
            if part in table:
                return table[part]
    if key in places.spanning or not 4 <= len(key) <= 40:
        return None
    # A small typo ('Lisbn', 'Sidney'); when two places are equally close, we do not guess.
    choices = {**last, **aliases}
    close = difflib.get_close_matches(key, choices, n=3, cutoff=0.8)
    if not close:
        return None
    best = difflib.SequenceMatcher(None, key, close[0]).ratio()
    tied = {choices[c] for c in close if difflib.SequenceMatcher(None, key, c).ratio() == best}
    return tied.pop() if len(tied) == 1 else None


def as_utc(moment: datetime) -> datetime:
    """The same instant in UTC; ValueError for a naive datetime, whose instant is unknown."""
    if moment.utcoffset() is None:
        raise ValueError("a timezone-aware datetime is needed")
    return moment.astimezone(UTC)


def zone_from_local_time(now_utc: datetime, their_time: time) -> str | None:
    """The fixed 'UTC±HH:MM' zone implied by the person's clock now, to the nearest 15
    minutes; None when no place uses that offset (their clock then says something else,
    often the time they want a reminder at).

    A fixed offset does not follow daylight saving, so reminders drift by an hour when
    clocks change: a city or a shared location is preferred, and this is the fallback.
    """
    now = as_utc(now_utc)
    now_minutes = now.hour * 60 + now.minute + (now.second + now.microsecond / 1e6) / 60
    difference = their_time.hour * 60 + their_time.minute - now_minutes
    offset = round(difference / 15) * 15 % (24 * 60)
    # Any offset is ambiguous by 24 hours; this window keeps the populated side of each pair:
    # -10:00 (Hawaii) over +14:00, +13:00 (New Zealand summer, Tonga) over -11:00.
    if offset > 13 * 60 + 45:
        offset -= 24 * 60
    return format_offset(offset) if offset in offsets_in_use() else None
