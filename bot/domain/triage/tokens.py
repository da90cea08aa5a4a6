"""One message in one language as words: sentences and clauses, and every form of each word.

`Tokenizer` (one per language) splits text with the lexicon's punctuation and joining words,
spells out what people type ("cant" is "cannot"), and gives each word the forms it can be
read as: what was typed, its dictionary form, and the lexicon word it may be a slip of (the
last two through the WordReader port). No word of any language is written here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.domain.triage.lexicon import Lexicon, WordReader, plain

MAX_CHARS = 2000  # only the start of a message is read: a warning sign comes early
FORMS_KEPT = 50_000  # forms remembered per language: a flood of odd words cannot grow it
RATING = "outoften"  # "8/10" is read as "8 outoften": a pain rating in any language

_RATING = re.compile(r"\b(\d{1,3})\s*/\s*10\b")
_DECIMAL = re.compile(r"(\d)[.,](\d)")
_MARKS = re.compile(r"\?+|[.!;\n\r…]+|[,:()\[\]{}\-–—+&/|*\"«»“”]+")
# Not a word, a space or a kept mark; vowel signs (\p{M}) belong to their words (Devanagari).
_NOT_WORD = re.compile(r"[^\w\s.,?\u0300-\u036f\u0900-\u0dff\u0e00-\u0eff\u0f00-\u109f"
                       r"\u0610-\u061a\u064b-\u065f\u1ab0-\u1aff\u20d0-\u20ff]+")


@dataclass
class Token:
    """One word of a message, where it stands, and every form it can be read as."""

    text: str
    forms: frozenset[str]
    sentence: int
    clause: int


@dataclass(frozen=True)
class Hit:
    """Where a concept (or a cue) was found: the positions of its words."""

    concept: str
    positions: tuple[int, ...]

    @property
    def start(self) -> int:
        """First word."""
        return self.positions[0]

    @property
    def end(self) -> int:
        """Last word."""
        return self.positions[-1]


@dataclass
class Message:
    """A message read in one language."""

    language: str
    tokens: list[Token] = field(default_factory=list)
    asked: set[int] = field(default_factory=set)  # clauses that ended with "?"
    hits: dict[str, list[Hit]] = field(default_factory=dict)
    starting: dict[str, dict[int, list[Hit]]] = field(default_factory=dict)

    def add(self, concept: str, hits: list[Hit]) -> None:
        """Keep a concept's hits, also by the word each starts at."""
        self.hits[concept] = hits
        by_start: dict[int, list[Hit]] = {}
        for hit in hits:
            by_start.setdefault(hit.start, []).append(hit)
        self.starting[concept] = by_start

    def found(self, concept: str) -> list[Hit]:
        """Every place the concept (or 'cue:kind') was found."""
        return self.hits.get(concept, [])

    def words(self, positions: tuple[int, ...] | range) -> str:
        """The typed words at these positions, from the first to the last."""
        if not positions:
            return ""
        return " ".join(t.text for t in self.tokens[min(positions):max(positions) + 1])


class Tokenizer:
    """One language's way of splitting and spelling messages, with a cache of word forms."""

    def __init__(self, lexicon: Lexicon, words: WordReader) -> None:
        self.lexicon, self.word_reader = lexicon, words
        self.groups = {name: lexicon.group(name) for name in lexicon.words}
        # Typed forms by their first word, longest first: "not able to" before "not".
        self.spellings: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
        for typed, written in lexicon.spellings.items():
            typed_words = tuple(plain(typed).split())
            self.spellings.setdefault(typed_words[0], []).append(
                (typed_words, tuple(plain(written).split())))
        for options in self.spellings.values():
            options.sort(key=lambda option: -len(option[0]))
        self.vocabulary = frozenset(plain(w) for w in lexicon.literal_words())
        self._forms: dict[str, frozenset[str]] = {}

    def tokenize(self, text: str) -> Message:
        """Words with their sentence and clause; punctuation and joining words split them."""
        raw = text[:MAX_CHARS]
        for emoji, word in self.lexicon.emoji.items():
            raw = raw.replace(emoji, f" {word} ")
        raw = _RATING.sub(rf"\1 {RATING}", plain(raw))
        raw = _DECIMAL.sub(r"\1\2", raw)
        raw = _MARKS.sub(lambda m: " ? " if m.group()[0] == "?" else (
            " . " if m.group()[0] in ".!;\n\r…" else " , "), raw)
        words = _NOT_WORD.sub(" ", raw).replace("_", " ").split()
        # Twice: "haven't been able to" -> "have not been able to" -> "have cannot".
        return self._split(self._spell(self._spell(words)))

    def _spell(self, words: list[str]) -> list[str]:
        out: list[str] = []
        i = 0
        while i < len(words):
            for typed, written in self.spellings.get(words[i], ()):
                if tuple(words[i:i + len(typed)]) == typed:
                    out.extend(written)
                    i += len(typed)
                    break
            else:
                out.append(words[i])
                i += 1
        return out

    def _split(self, raw: list[str]) -> Message:
        breaks, joins = self.groups["sentence_breaks"], self.groups["clause_breaks"]
        starters, me = self.groups["clause_starters"], self.groups["first_person"]
        message = Message(self.lexicon.language)
        sentence = clause = 0
        for i, token in enumerate(raw):
            if token in (".", "?"):
                if token == "?":
                    message.asked.add(clause)
                sentence, clause = sentence + 1, clause + 1
                continue
            if token == ",":
                clause += 1
                continue
            # A joining word starts the clause or sentence it opens, and stays a word of it.
            if token in breaks:
                sentence, clause = sentence + 1, clause + 1
            elif (token in joins and i + 1 < len(raw) and raw[i + 1] in starters
                  and (i == 0 or raw[i - 1] not in me)):  # "me and my husband" stays one
                clause += 1
            message.tokens.append(Token(token, self.forms(token), sentence, clause))
        return message

    def forms(self, word: str) -> frozenset[str]:
        """What one typed word can be read as: itself, its dictionary form, a slip's target."""
        found = self._forms.get(word)
        if found is not None:
            return found
        forms = {word}
        if word.isdigit():
            forms.add("<number>")
            if len(word) == 4 and 1900 <= int(word) <= 2099:
                forms.add("<year>")
        elif word.isalpha():
            forms.add(self.word_reader.lemma(word))
            if (len(word) >= 4 and word not in self.vocabulary
                    and word not in self.groups["known"]
                    and not self.word_reader.is_word(word)):
                for near in self.word_reader.nearest(word):
                    forms.update((near, self.word_reader.lemma(near)))
        found = frozenset(forms)
        if len(self._forms) < FORMS_KEPT:
            self._forms[word] = found
        return found

    def knows(self, token: Token, slips: bool = True) -> bool:
        """True when a word is this language's: a lexicon or dictionary word, or (with
        `slips`) a slip of one (what decides whether a message is written in this language
        at all; a neighbouring language's words are often one slip from ours)."""
        text = token.text
        return (text in self.vocabulary or any(text in g for g in self.groups.values())
                or self.word_reader.is_word(text)
                or (slips and len(token.forms & self.vocabulary) > 0))
