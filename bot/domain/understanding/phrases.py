"""Finding content's words and phrases in what people type, allowing slips of the keyboard.

Small and explainable on purpose: a phrase is found when its words appear one after the
other; a word matches exactly, as a stem ("miss*" matches "missed", "missing"), or with one
slip in words of five letters or more (two in words of eight or more), or two swapped
neighbours in shorter ones ("dya" is "day", "hrut" is "hurt"; "head" is never "heat"), and
a short stem a left-out letter in a longer word ("mised" is "missed"; "can" is not "scan").
Nothing else: no weights, no model.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from bot.domain.understanding.typing_help import normalise

LONG_WORD = 8  # from this length two slips are allowed


def words_of(text: str) -> tuple[str, ...]:
    """The message as plain lower-case words ("Can't I?" -> ("can", "t", "i"))."""
    return tuple(normalise(text).split())


def slips(a: str, b: str, limit: int = 99) -> int:
    """Edits between two words: insertions, deletions, changes and swapped neighbours;
    counting stops once more than `limit` (then the answer is only "more than limit")."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row = [i]
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            best = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                best = min(best, previous2[j - 2] + 1)
            row.append(best)
        if min(row) > limit:
            return limit + 1
        previous2, previous = previous, row
    return previous[-1]


SHORT_WORD = 5  # shorter words allow only two swapped neighbours (stems: or a dropped letter)


def _allowed(length: int) -> int:
    return 2 if length >= LONG_WORD else 1


def _could_be_one_slip(a: str, b: str) -> bool:
    """A quick necessary test before counting: one slip leaves one of the first two letters
    where it was, or moves it by one place."""
    return (a[:1] == b[:1] or a[1:2] == b[1:2] or a[:1] == b[1:2] or a[1:2] == b[:1])


def _within(a: str, b: str, allowed: int) -> bool:
    if allowed == 1 and not _could_be_one_slip(a, b):
        return False
    return slips(a, b, allowed) <= allowed


def _swapped(cue: str, word: str) -> bool:
    """Two neighbouring letters swapped ("pian" for "pain"); never another letter ("head"
    is not "heat")."""
    return len(cue) == len(word) and sorted(cue) == sorted(word) and slips(cue, word) == 1


@lru_cache(maxsize=1 << 16)
def word_matches(cue: str, word: str) -> bool:
    """True when a typed word is this cue word, allowing a stem and small slips."""
    if cue.endswith("*"):
        stem = cue[:-1]
        if word.startswith(stem):
            return True
        # A slip inside the stem: compare the stem with the word's start of the same length.
        start = word[:len(stem)]
        if len(stem) < SHORT_WORD:
            # Or a letter left out of a longer word ("mised" for "missed"; "can" is
            # never "scan", a whole word of its own).
            dropped = (len(stem) >= 4 and len(word) > len(stem)
                       and slips(stem, word[:len(stem) - 1], 1) == 1)
            return len(stem) >= 3 and (_swapped(stem, start) or dropped)
        return _within(stem, start, _allowed(len(stem)))
    if word == cue:
        return True
    if len(cue) < SHORT_WORD:
        return len(cue) >= 3 and _swapped(cue, word)
    return _within(cue, word, _allowed(len(cue)))


def find_phrase(phrase: Sequence[str], words: Sequence[str]) -> int | None:
    """Where a phrase (its words in order, next to each other) starts in the words, or None."""
    first, rest = phrase[0], phrase[1:]
    # The first word alone rules out most places, so test it before building anything.
    for start in range(len(words) - len(rest)):
        if word_matches(first, words[start]) and all(
                word_matches(cue, words[start + k]) for k, cue in enumerate(rest, 1)):
            return start
    return None


def phrase_words(phrase: str) -> tuple[str, ...]:
    """A content phrase as cue words, normalised as typed text is (keeping stems' '*')."""
    return tuple(f"{normalise(w)}*" if w.endswith("*") else normalise(w)
                 for w in phrase.split() if normalise(w))
