"""Word lists from content turned into the tables and patterns the readers of typed text use.

Each reader normalises the words of its lists the way it normalises what people type, so a
word written with capitals or accents in content still meets what was typed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from typing import TypeVar

K = TypeVar("K")
Normalise = Callable[[str], str]


def words_of(words: Iterable[str], where: str, normalise: Normalise,
             one_word: bool = False) -> tuple[str, ...]:
    """The words normalised, in order, once each; ValueError if empty, or a phrase (one_word)."""
    found = tuple(dict.fromkeys(normalise(word) for word in words))
    for word in found:
        if not word or (one_word and " " in word):
            raise ValueError(f"{where}: {word!r} is not one word")
    return found


def meanings(table: Mapping[K, tuple[str, ...]], where: str, normalise: Normalise,
             one_word: bool = False) -> dict[str, K]:
    """{'tuesday': 2} from {2: ('Tuesday',)}; ValueError for a word meaning two things."""
    found: dict[str, K] = {}
    for meaning, words in table.items():
        for word in words_of(words, f"{where}.{meaning}", normalise, one_word):
            if found.setdefault(word, meaning) != meaning:
                raise ValueError(f"{where}: {word!r} means both {found[word]} and {meaning}")
    return found


def numbered(table: Mapping[int, tuple[str, ...]], where: str, low: int, high: int) -> None:
    """ValueError unless every number of the table is in [low, high]."""
    for number in table:
        if not low <= number <= high:
            raise ValueError(f"{where}.{number}: not between {low} and {high}")


def alternation(phrases: Iterable[str]) -> str:
    """A regular expression for any of the phrases, longest first; none matches nothing."""
    # Longest first, so 'but not' wins over 'but'. An apostrophe stands for any one mark or
    # space, or none: "o'clock" is also "oclock" and "o-clock".
    ordered = sorted(set(phrases), key=lambda phrase: (-len(phrase), phrase))
    patterns = [r"\W?".join(re.escape(part) for part in phrase.split("'"))
                for phrase in ordered]
    return "|".join(patterns) or "(?!)"


def fold(text: str) -> str:
    """NFKC, lower-case, accents gone, dashes as '-', runs of spaces as one: typed times and
    days as their readers compare them."""
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch)).casefold()
    return re.sub(r"\s+", " ", re.sub(r"[‐-―−]", "-", plain)).strip()
