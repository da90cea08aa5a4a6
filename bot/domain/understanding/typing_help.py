"""Reading what people type: normalising text, numbers, and fuzzy country names."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Protocol, TypeVar

from bot.domain.understanding.word_tables import alternation

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


# "4/10": the scale after a slash is dropped before the words are read.
_SLASH_SCALE = re.compile(r"(?<![\d.,])(\d{1,2})\s*/\s*10(?![\d.,]*\d)")


def read_rating(text: str, number_words: Mapping[str, int],
                out_of: Iterable[str] = (), halves: Iterable[str] = ()) -> int | None:
    """A 0-to-10 rating as typed ('4', 'four', 'about a 4/10', '4 out of 10', 'like a 6').

    `out_of` are the words between a rating and its scale ('out of', 'of'); None when no
    single whole number from 0 to 10 was typed ('4 or 5', '4.5', '12', or a number and
    one of the `halves`: '4 and a half', '4 y medio').
    """
    cleaned = normalise(_SLASH_SCALE.sub(r"\1", text[:MAX_READ]))
    half = [normalise(phrase) for phrase in halves if normalise(phrase)]
    if half and re.search(rf"\b(?:{alternation(half)})\b", cleaned):
        return None  # not a whole number, as '4.5' is not: asked again, never rounded
    tens = [word for word, number in number_words.items() if number == 10]
    phrases = [normalise(phrase) for phrase in out_of if normalise(phrase)]
    if phrases:
        # The scale is not a rating: 'out of 10' goes, whatever stands before it.
        scale = rf"\b(?:{alternation(phrases)}) (?:{alternation(['10', *tens])})\b"
        cleaned = re.sub(scale, " ", cleaned)
    value = read_number(cleaned, number_words)
    return value if value is not None and 0 <= value <= 10 else None


def read_numbers(text: str) -> list[int]:
    """Every whole number in a message, in order ('1 3, 5' -> [1, 3, 5])."""
    return [int(n) for n in re.findall(r"\d{1,3}", text[:MAX_READ])]


class Named(Protocol):
    """What find_country() reads of a country: its code and the names people type for it."""

    # Read-only, as the catalogue's frozen Country has them. Naming Country itself made a
    # cycle: the catalogue holds the word tables of dates.py, which uses normalise().
    @property
    def code(self) -> str: ...

    @property
    def names(self) -> tuple[str, ...]: ...


CountryT = TypeVar("CountryT", bound=Named)


def find_country(text: str, countries: Iterable[CountryT]) -> CountryT | None:
    """The country a typed name means, allowing small typos; None when unsure."""
    # Spaces are dropped too, so "U.S.A." and "usa" meet.
    wanted = normalise(text).replace(" ", "")
    if not wanted:
        return None
    by_name: dict[str, CountryT] = {}
    for country in countries:
        for name in (country.code, *country.names):
            by_name.setdefault(normalise(name).replace(" ", ""), country)
    if wanted in by_name:
        return by_name[wanted]
    close = difflib.get_close_matches(wanted, list(by_name), n=2, cutoff=0.8)
    matches = {by_name[c].code for c in close}
    return by_name[close[0]] if len(matches) == 1 else None
