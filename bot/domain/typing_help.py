"""Reading what people type: normalising text, numbers, and fuzzy country names."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # Only a type here; imported at run time it would be circular, as the catalog holds
    # the word tables of dates.py, which uses normalise().
    from bot.domain.catalog import Country

_NOT_WORD = re.compile(r"[^\w\s]+")
_SPACES = re.compile(r"\s+")
_DIGITS = re.compile(r"(?<![\d.,])(\d{1,4})(?![\d.,]\d)")
MAX_READ = 500  # longer messages are not answers to a question; only their start is read


def normalise(text: str) -> str:
    """Lower-case, strip accents and punctuation, collapse spaces: 'Portugal!' -> 'portugal'."""
    decomposed = unicodedata.normalize("NFKD", text[:MAX_READ])
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", _NOT_WORD.sub(" ", plain.casefold())).strip()


def read_number(text: str, number_words: Mapping[str, int]) -> int | None:
    """The single whole number in a short answer ('15', '15 s', 'fifteen'), else None."""
    cleaned = normalise(text)
    found = _DIGITS.findall(cleaned)
    words = [number_words[w] for w in cleaned.split() if w in number_words]
    candidates = [int(f) for f in found] + words
    return candidates[0] if len(candidates) == 1 else None


def read_numbers(text: str) -> list[int]:
    """Every whole number in a message, in order ('1 3, 5' -> [1, 3, 5])."""
    return [int(n) for n in re.findall(r"\d{1,3}", text[:MAX_READ])]


def find_country(text: str, countries: Iterable[Country]) -> Country | None:
    """The country a typed name means, allowing small typos; None when unsure."""
    # Spaces are dropped too, so "U.S.A." and "usa" meet.
    wanted = normalise(text).replace(" ", "")
    if not wanted:
        return None
    by_name: dict[str, Country] = {}
    for country in countries:
        for name in (country.code, *country.names):
            by_name.setdefault(normalise(name).replace(" ", ""), country)
    if wanted in by_name:
        return by_name[wanted]
    close = difflib.get_close_matches(wanted, list(by_name), n=2, cutoff=0.8)
    matches = {by_name[c].code for c in close}
    return by_name[close[0]] if len(matches) == 1 else None
