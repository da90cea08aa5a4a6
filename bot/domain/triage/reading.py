"""Reading one message in one language: every concept and cue of the lexicon in its words.

`Reader` (one per language) tokenizes a message (tokens.py), then finds every concept and cue
of the lexicon in the tokens: terms are indexed by their first word (and first word pairs),
a term whose words are not all in the message is not tried, and concepts that name other
concepts ("@limb") are found after them. Nothing here knows a word of any language.
"""

from __future__ import annotations

from collections import defaultdict

from bot.domain.triage.lexicon import Lexicon, Term, WordReader, order, parse_terms
from bot.domain.triage.tokens import MAX_CHARS, Hit, Message, Token, Tokenizer

__all__ = ["CUE", "MAX_CHARS", "Hit", "Message", "Reader", "Token"]

MAX_FILLERS = 2  # filler words allowed between two words of a term
TERM_WINDOW = 8  # the parts of a composite term ("pee + leak") lie this close
CUE = "cue:"  # cue concepts are tagged like concepts, under this prefix


class Reader(Tokenizer):
    """One language's lexicon compiled for reading: an index from first words to terms."""

    def __init__(self, lexicon: Lexicon, words: WordReader) -> None:
        super().__init__(lexicon, words)
        tables = {**lexicon.concepts, **{CUE + cue: terms for cue, terms in lexicon.cues.items()}}
        self.terms: dict[str, list[Term]] = {
            name: [term for written in terms for term in parse_terms(written)]
            for name, terms in tables.items()}
        self.order = order(lexicon.concepts) + [CUE + cue for cue in lexicon.cues]
        self.by_word: dict[str, list[tuple[str, Term]]] = defaultdict(list)
        self.by_prefix: list[tuple[str, str, Term]] = []
        # The plain-word places of each term: a term whose words are not all in a message
        # cannot be in it (a cheap look before the slow one).
        self.needs = {id(term): tuple(slot for sequence in term for slot in sequence
                                      if all(word.isalnum() for word in slot))
                      for terms in self.terms.values() for term in terms}
        # For each concept, the terms of it that begin with another concept ("@limb ...").
        self.by_reference: dict[str, list[tuple[str, Term]]] = defaultdict(list)
        # Terms whose first two places are plain words are found by those two words
        # together (a long message holds most single words, rarely most pairs).
        self.by_pair: dict[tuple[str, str], list[tuple[str, Term]]] = defaultdict(list)
        for name, terms in self.terms.items():
            for term in terms:
                first = term[0]
                if len(first) > 1 and all(word.isalnum() for word in first[0] | first[1]):
                    for one in first[0]:
                        for two in first[1]:
                            self.by_pair[(one, two)].append((name, term))
                    continue
                for choice in first[0]:
                    if choice.startswith("@"):
                        self.by_reference[name].append((choice[1:], term))
                    elif choice.endswith("*"):
                        self.by_prefix.append((choice[:-1], name, term))
                    else:
                        self.by_word[choice].append((name, term))
        self._slot_parts: dict[frozenset[str], tuple[tuple[str, ...], tuple[str, ...]]] = {}

    # ------------------------------------------------------------------ concepts
    def read(self, text: str) -> Message:
        """Tokenize the text and find every concept and cue in it."""
        return self.find(self.tokenize(text))

    def find(self, message: Message) -> Message:
        """Find every concept and cue in a message this reader tokenized."""
        if not message.tokens:
            return message
        present = frozenset().union(*(token.forms for token in message.tokens))
        possible: dict[int, bool] = {}

        def may_be_here(term: Term) -> bool:
            key = id(term)
            found = possible.get(key)
            if found is None:
                found = possible[key] = all(slot & present for slot in self.needs[key])
            return found

        by_form: dict[str, list[tuple[str, Term]]] = {}
        for form in present:  # each form's possible terms, once per message
            terms = [(name, term) for name, term in self.by_word.get(form, ())
                     if may_be_here(term)]
            terms += [(name, term) for prefix, name, term in self.by_prefix
                      if form.startswith(prefix) and may_be_here(term)]
            if terms:
                by_form[form] = terms
        starts: dict[str, list[tuple[int, Term]]] = defaultdict(list)
        tokens = message.tokens
        for position, token in enumerate(tokens):
            paired: set[int] = set()
            for form in token.forms:
                for name, term in by_form.get(form, ()):
                    starts[name].append((position, term))
                for later in range(position + 1, min(position + 2 + MAX_FILLERS, len(tokens))):
                    for second in tokens[later].forms:
                        for name, term in self.by_pair.get((form, second), ()):
                            if id(term) not in paired and may_be_here(term):
                                paired.add(id(term))
                                starts[name].append((position, term))
        for name in self.order:
            candidates = list(starts.get(name, ()))
            for referenced, term in self.by_reference.get(name, ()):
                if may_be_here(term):
                    candidates.extend((hit.start, term)
                                      for hit in message.hits.get(referenced, ()))
            found = {hit.positions: hit for start, term in candidates
                     for hit in self._term_hits(message, name, term, start)}
            if found:
                message.add(name, sorted(found.values(), key=lambda hit: hit.positions))
        return message

    def _term_hits(self, message: Message, name: str, term: Term, start: int) -> list[Hit]:
        first = term[0]
        if (len(term) == 1 and len(first) == 1
                and not any(choice[0] == "@" for choice in first[0])):
            return [Hit(name, (start,))]  # one word, already found by the index
        if (len(first) > 1 and not any(choice[0] == "@" for choice in first[0])
                and not self._may_follow(message, first[1], start)):
            return []
        hits = []
        for anchor in self._sequence(message, first, start):
            positions = set(anchor)
            for sequence in term[1:]:
                nearest = self._nearest(message, sequence, anchor)
                if nearest is None:
                    break
                positions.update(nearest)
            else:
                hits.append(Hit(name, tuple(sorted(positions))))
        return hits

    def _may_follow(self, message: Message, slot: frozenset[str], start: int) -> bool:
        """A cheap first look: could the second word of a term be near `start` at all?"""
        if any(choice[0] == "@" or choice[-1] == "*" for choice in slot):
            return True
        end = min(start + 2 + MAX_FILLERS, len(message.tokens))
        return any(slot & message.tokens[later].forms for later in range(start + 1, end))

    def _nearest(self, message: Message, sequence: tuple[frozenset[str], ...],
                 anchor: tuple[int, ...]) -> tuple[int, ...] | None:
        tokens, here = message.tokens, anchor[0]
        low, high = max(0, here - TERM_WINDOW), min(len(tokens), here + TERM_WINDOW + 1)
        best: tuple[int, ...] | None = None
        first = sequence[0]
        prefixes, references = self._parts(first)
        for position in range(low, high):
            if tokens[position].clause != tokens[here].clause or position in anchor:
                continue  # the parts of a term are said together, in one clause
            if not (prefixes or references or first & tokens[position].forms):
                continue  # the part's first word is not here: no need to look further
            for found in self._sequence(message, sequence, position):
                if set(found) & set(anchor):
                    continue
                if best is None or abs(found[0] - here) < abs(best[0] - here):
                    best = found
        return best

    def _sequence(self, message: Message, slots: tuple[frozenset[str], ...],
                  start: int) -> list[tuple[int, ...]]:
        """Ways the slots occur in order from `start`, fillers allowed between them."""
        tokens, fillers = message.tokens, self.groups["fillers"]
        paths: list[tuple[int, ...]] = [()]
        for place, slot in enumerate(slots):
            grown: list[tuple[int, ...]] = []
            for path in paths:
                first = start if place == 0 else path[-1] + 1
                last = start if place == 0 else min(path[-1] + 1 + MAX_FILLERS, len(tokens) - 1)
                for position in range(first, last + 1):
                    if (position >= len(tokens)
                            or tokens[position].clause != tokens[start].clause):
                        break
                    grown.extend(path + taken for taken in self._slot(message, slot, position))
                    if tokens[position].text not in fillers:
                        break
            paths = grown[:8]
            if not paths:
                return []
        return paths

    def _parts(self, slot: frozenset[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """A slot's prefixes and referenced concepts, worked out once."""
        found = self._slot_parts.get(slot)
        if found is None:
            found = self._slot_parts[slot] = (
                tuple(choice[:-1] for choice in slot if choice[-1] == "*"),
                tuple(choice[1:] for choice in slot if choice[0] == "@"))
        return found

    def _slot(self, message: Message, slot: frozenset[str],
              position: int) -> list[tuple[int, ...]]:
        forms = message.tokens[position].forms
        prefixes, references = self._parts(slot)
        taken: list[tuple[int, ...]] = []
        if slot & forms or (prefixes and any(form.startswith(prefix)
                                             for prefix in prefixes for form in forms)):
            taken.append((position,))
        for concept in references:
            taken.extend(hit.positions
                         for hit in message.starting.get(concept, {}).get(position, ()))
        return taken
