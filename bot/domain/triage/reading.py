"""Reading one message in one language: every concept and cue of the lexicon in its words.

`Reader` (one per language) tokenizes a message (tokens.py), then finds every concept and cue
of the lexicon in the tokens: terms are indexed by their first word (and first word pairs),
a term whose words are not all in the message is not tried, and concepts that name other
concepts ("@limb") are found after them. Nothing here knows a word of any language.
"""

from __future__ import annotations

from collections import defaultdict

from bot.domain.triage.lexicon import Lexicon, Term, WordReader, order, parse_term
from bot.domain.triage.tokens import MAX_CHARS, Hit, Message, Token, Tokenizer

__all__ = ["CUE", "MAX_CHARS", "Hit", "Message", "Reader", "Token"]

MAX_FILLERS = 2  # filler words allowed between two words of a term
TERM_WINDOW = 8  # the parts of a composite term ("pee + leak") lie this close
CUE = "cue:"  # cue concepts are tagged like concepts, under this prefix


class Reader(Tokenizer):
    """One language's lexicon compiled for reading: an index from first words to terms."""

    def __init__(self, lexicon: Lexicon, words: WordReader) -> None:
        super().__init__(lexicon, words)
        tables = {**lexicon.concepts, **{CUE + k: v for k, v in lexicon.cues.items()}}
        self.terms: dict[str, list[Term]] = {
            name: [parse_term(t) for t in terms] for name, terms in tables.items()}
        self.order = order(lexicon.concepts) + [CUE + k for k in lexicon.cues]
        self.by_word: dict[str, list[tuple[str, Term]]] = defaultdict(list)
        self.by_prefix: list[tuple[str, str, Term]] = []
        # The plain-word places of each term: a term whose words are not all in a message
        # cannot be in it (a cheap look before the slow one).
        self.needs = {id(term): tuple(slot for sequence in term for slot in sequence
                                      if all(c.isalnum() for c in slot))
                      for terms in self.terms.values() for term in terms}
        # For each concept, the terms of it that begin with another concept ("@limb ...").
        self.by_reference: dict[str, list[tuple[str, Term]]] = defaultdict(list)
        # Terms whose first two places are plain words are found by those two words
        # together (a long message holds most single words, rarely most pairs).
        self.by_pair: dict[tuple[str, str], list[tuple[str, Term]]] = defaultdict(list)
        for name, terms in self.terms.items():
            for term in terms:
                first = term[0]
                if len(first) > 1 and all(c.isalnum() for c in first[0] | first[1]):
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
        message = self.tokenize(text)
        if not message.tokens:
            return message
        present = frozenset().union(*(t.forms for t in message.tokens))
        possible: dict[int, bool] = {}

        def may_be_here(term: Term) -> bool:
            key = id(term)
            found = possible.get(key)
            if found is None:
                found = possible[key] = all(slot & present for slot in self.needs[key])
            return found

        by_form: dict[str, list[tuple[str, Term]]] = {}
        for form in present:  # each form's possible terms, once per message
            terms = [(n, t) for n, t in self.by_word.get(form, ()) if may_be_here(t)]
            terms += [(n, t) for prefix, n, t in self.by_prefix
                      if form.startswith(prefix) and may_be_here(t)]
            if terms:
                by_form[form] = terms
        starts: dict[str, list[tuple[int, Term]]] = defaultdict(list)
        tokens = message.tokens
        for i, token in enumerate(tokens):
            paired: set[int] = set()
            for form in token.forms:
                for name, term in by_form.get(form, ()):
                    starts[name].append((i, term))
                for j in range(i + 1, min(i + 2 + MAX_FILLERS, len(tokens))):
                    for second in tokens[j].forms:
                        for name, term in self.by_pair.get((form, second), ()):
                            if id(term) not in paired and may_be_here(term):
                                paired.add(id(term))
                                starts[name].append((i, term))
        for name in self.order:
            candidates = list(starts.get(name, ()))
            for referenced, term in self.by_reference.get(name, ()):
                if may_be_here(term):
                    candidates.extend((hit.start, term)
                                      for hit in message.hits.get(referenced, ()))
            found = {hit.positions: hit for i, term in candidates
                     for hit in self._term_hits(message, name, term, i)}
            if found:
                message.add(name, sorted(found.values(), key=lambda h: h.positions))
        return message

    def _term_hits(self, message: Message, name: str, term: Term, start: int) -> list[Hit]:
        first = term[0]
        if len(term) == 1 and len(first) == 1 and not any(c[0] == "@" for c in first[0]):
            return [Hit(name, (start,))]  # one word, already found by the index
        if (len(first) > 1 and not any(c[0] == "@" for c in first[0])
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
        if any(c[0] == "@" or c[-1] == "*" for c in slot):
            return True
        end = min(start + 2 + MAX_FILLERS, len(message.tokens))
        return any(slot & message.tokens[j].forms for j in range(start + 1, end))

    def _nearest(self, message: Message, sequence: tuple[frozenset[str], ...],
                 anchor: tuple[int, ...]) -> tuple[int, ...] | None:
        tokens, here = message.tokens, anchor[0]
        low, high = max(0, here - TERM_WINDOW), min(len(tokens), here + TERM_WINDOW + 1)
        best: tuple[int, ...] | None = None
        first = sequence[0]
        prefixes, references = self._parts(first)
        for j in range(low, high):
            if tokens[j].clause != tokens[here].clause or j in anchor:
                continue  # the parts of a term are said together, in one clause
            if not (prefixes or references or first & tokens[j].forms):
                continue  # the part's first word is not here: no need to look further
            for found in self._sequence(message, sequence, j):
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
        for k, slot in enumerate(slots):
            grown: list[tuple[int, ...]] = []
            for path in paths:
                first = start if k == 0 else path[-1] + 1
                last = start if k == 0 else min(path[-1] + 1 + MAX_FILLERS, len(tokens) - 1)
                for j in range(first, last + 1):
                    if j >= len(tokens) or tokens[j].clause != tokens[start].clause:
                        break
                    grown.extend(path + taken for taken in self._slot(message, slot, j))
                    if tokens[j].text not in fillers:
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
                tuple(c[:-1] for c in slot if c[-1] == "*"),
                tuple(c[1:] for c in slot if c[0] == "@"))
        return found

    def _slot(self, message: Message, slot: frozenset[str], j: int) -> list[tuple[int, ...]]:
        forms = message.tokens[j].forms
        prefixes, references = self._parts(slot)
        taken: list[tuple[int, ...]] = []
        if slot & forms or (prefixes and any(f.startswith(p) for p in prefixes for f in forms)):
            taken.append((j,))
        for concept in references:
            taken.extend(hit.positions for hit in message.starting.get(concept, {}).get(j, ()))
        return taken
