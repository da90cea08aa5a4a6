"""One language's words for the triage: concepts, scope cues, people, and how people type.

Filled from content/locales/<language>/triage.toml. The engine holds no word of any
language; it reads terms written in the small syntax documented at the top of that file.
The library-backed parts of reading words (dictionary forms, slips, which language a
message is in) are ports, implemented in bot/language/.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

# One place in a term: words, prefixes written "tingl*", "@concept" or "<number>".
Slot = frozenset[str]
# Words in order, small fillers allowed between them.
Sequence_ = tuple[Slot, ...]
# Sequences that must all be found close together in one sentence ("pee + leak/leaking").
Term = tuple[Sequence_, ...]

WORD_GROUPS = ("negations", "not_negating", "negation_qualifiers", "novelty", "novelty_negations",
               "novelty_turns",
               "negation_continues", "negation_after", "together", "comparison", "fillers",
               "sentence_breaks",
               "clause_breaks", "clause_starters", "first_person", "third_person",
               "possessive_first", "possessive_third", "relations", "generic_people",
               "pets", "back_references", "known")
CUES = ("hypothetical", "conditional", "not_hypothetical", "mention", "mention_after", "idiom",
        "explained", "past", "current", "resolved", "not_resolved", "ruled_out", "unsure",
        "negation", "really_me")
# Cues a language may leave out until its corpus needs them (read as empty when missing).
OPTIONAL_CUES = ("on_behalf",)
SPECIAL = ("<number>", "<year>")
_WORD = re.compile(r"[^\W_]\w*\*?", re.UNICODE)
_APOSTROPHES = re.compile(r"['’‘`´ʼ]")
_HYPHEN = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")


def plain(text: str) -> str:
    """Lower case, accents and apostrophes removed, hyphens between letters as spaces: how
    messages and terms are both compared."""
    if text.isascii():  # most messages: nothing to decompose
        bare = text.lower()
    else:
        bare = _without_accents(unicodedata.normalize("NFKD", text)).casefold()
    return _HYPHEN.sub(" ", _APOSTROPHES.sub("", bare))


class WordReader(Protocol):
    """How one language's words are read: dictionary forms, real words, and slips."""

    def lemma(self, word: str) -> str:
        """The dictionary form: 'torn' -> 'tear', 'peed' -> 'pee'."""

    def is_word(self, word: str) -> bool:
        """True when the word is a word of the language, so it is no slip of another."""

    def nearest(self, word: str) -> tuple[str, ...]:
        """The lexicon's words this may be a slip of ('pian' -> ('pain',)), if any."""


class LanguageGuesser(Protocol):
    """Which language a message is written in (a library made for short text)."""

    def guess(self, text: str) -> tuple[str, float] | None:
        """(ISO 639-1 code, confidence 0..1) of the most likely language, or None."""

    def confidences(self, text: str) -> Mapping[str, float]:
        """Every language's confidence 0..1 (together 1), by ISO 639-1 code; empty when the
        text gives nothing to go on."""


def _without_accents(decomposed: str) -> str:
    """Accents off Latin letters ("é" is "e"); the vowel signs of other scripts (Devanagari,
    Arabic) are part of their letters and stay."""
    kept: list[str] = []
    base = ""
    for ch in decomposed:
        if unicodedata.combining(ch):
            if base.isascii():
                continue
        else:
            base = ch
        kept.append(ch)
    return "".join(kept)


def parse_term(text: str) -> Term:
    """'pee + leak/leaking' -> ((({'pee'},), ({'leak', 'leaking'},)); ValueError if bad."""
    sequences = []
    for raw in plain(text).split(" + "):
        slots = []
        for raw_slot in raw.split():
            choices = frozenset(raw_slot.split("/"))
            for choice in choices:
                if not (choice in SPECIAL or _WORD.fullmatch(choice.removeprefix("@"))):
                    raise ValueError(f"term {text!r}: cannot read {choice!r}")
                if choice.endswith("*") and len(choice) < 4:
                    raise ValueError(f"term {text!r}: {choice!r} is too short a prefix")
            slots.append(choices)
        if not slots:
            raise ValueError(f"term {text!r}: an empty part")
        sequences.append(tuple(slots))
    return tuple(sequences)


def references(term: Term) -> set[str]:
    """The concepts a term names with '@'."""
    return {choice[1:] for sequence in term for slot in sequence for choice in slot
            if choice.startswith("@")}


@dataclass(frozen=True)
class Lexicon:
    """One language's words for every concept and cue, as written in its content file."""

    language: str
    language_name: str
    words: Mapping[str, tuple[str, ...]]
    spellings: Mapping[str, str]
    emoji: Mapping[str, str]
    concepts: Mapping[str, tuple[str, ...]]
    cues: Mapping[str, tuple[str, ...]]

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[a-z]{2}", self.language):
            raise ValueError(f"language {self.language!r}: use an ISO 639-1 code")
        for group in WORD_GROUPS:
            if group not in self.words:
                raise ValueError(f"words.{group}: missing")
        for cue in CUES:
            if not self.cues.get(cue):
                raise ValueError(f"cues.{cue}: missing")
        for name in set(self.cues) - set(CUES) - set(OPTIONAL_CUES):
            raise ValueError(f"cues.{name}: unknown cue (known: {', '.join(CUES + OPTIONAL_CUES)})")
        for section, table in (("concepts", self.concepts), ("cues", self.cues)):
            for name, terms in table.items():
                if not terms:
                    raise ValueError(f"{section}.{name}: no terms")
                for term in terms:
                    try:
                        unknown = references(parse_term(term)) - set(self.concepts)
                    except ValueError as error:
                        raise ValueError(f"{section}.{name}: {error}") from None
                    if unknown:
                        raise ValueError(f"{section}.{name}: {term!r} names unknown "
                                         f"concepts {sorted(unknown)}")
        order(self.concepts)  # raises on a circle

    def group(self, name: str) -> frozenset[str]:
        """A word group ('negations', 'fillers', ...)."""
        return frozenset(self.words.get(name, ()))

    def literal_words(self) -> set[str]:
        """Every plain word any term is written with: what a slip can be read as."""
        found: set[str] = set()
        for table in (self.concepts, self.cues):
            for terms in table.values():
                for term in terms:
                    found.update(choice for sequence in parse_term(term) for slot in sequence
                                 for choice in slot if choice.isalpha())
        return found


def order(concepts: Mapping[str, Iterable[str]]) -> list[str]:
    """Concepts in an order where each comes after those its terms name; ValueError on a
    circle ('a' names '@b' and 'b' names '@a')."""
    needs = {name: set().union(*(references(parse_term(t)) for t in terms))
             for name, terms in concepts.items()}
    done: list[str] = []
    placed: set[str] = set()
    while len(done) < len(needs):
        ready = sorted(n for n, wanted in needs.items() if n not in placed and wanted <= placed)
        if not ready:
            stuck = sorted(set(needs) - placed)
            raise ValueError(f"concepts name each other in a circle: {stuck}")
        done.extend(ready)
        placed.update(ready)
    return done
