"""One language's words read with simplemma (dictionary forms) and rapidfuzz (slips)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

import simplemma
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

SHORTEST_SLIP = 4  # shorter words are too often other words to be read as slips
LONG_WORD = 8  # from this length, two slips are allowed ("brething" -> "breathing")
ENDINGS = ("s", "es", "ed", "ing")  # forms of lexicon words a slip may aim at


class DictionaryWords:
    """The WordReader port for one language: simplemma's dictionary, rapidfuzz's distance."""

    def __init__(self, language: str, vocabulary: Iterable[str]) -> None:
        self.language = language
        targets: dict[str, set[str]] = defaultdict(set)
        for word in vocabulary:
            if len(word) < SHORTEST_SLIP or not word.isalpha():
                continue
            stem = word[:-1] if word.endswith("e") else word
            for form in (word, *(word + e for e in ENDINGS), stem + "ing", stem + "ed"):
                targets[form[0]].add(form)
        self.targets = {letter: sorted(words) for letter, words in targets.items()}
        self._lemma = lru_cache(maxsize=50_000)(self._lemmatize)
        self._known = lru_cache(maxsize=50_000)(self._is_known)

    def _lemmatize(self, word: str) -> str:
        return str(simplemma.lemmatize(word, lang=self.language)).casefold()

    def _is_known(self, word: str) -> bool:
        return bool(simplemma.is_known(word, lang=self.language))

    def lemma(self, word: str) -> str:
        """The dictionary form: 'torn' -> 'tear'."""
        return self._lemma(word)

    def is_word(self, word: str) -> bool:
        """True when the dictionary knows the word."""
        return self._known(word)

    def nearest(self, word: str) -> tuple[str, ...]:
        """Lexicon words one slip away (two for long words), with the same first letter."""
        if len(word) < SHORTEST_SLIP:
            return ()
        allowed = 2 if len(word) >= LONG_WORD else 1
        choices = self.targets.get(word[0], [])
        found = process.extract(word, choices, scorer=DamerauLevenshtein.distance,
                                score_cutoff=allowed, limit=3)
        best = min((distance for _, distance, _ in found), default=None)
        return tuple(sorted(choice for choice, distance, _ in found if distance == best))
