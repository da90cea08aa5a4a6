"""Warning-symptom triage: what a typed message means for the person's safety, right now.

Pure standard library, no I/O and no clock. `triage(text, catalogue)` reads the message
(bot/domain/triage_text.py), finds every rule of the catalogue (content/triage.toml) whose
pattern it contains, and decides, for each match, whether the person said it about
themselves, about someone else, as a hypothetical, or negated it, and whether they sounded
unsure. The most serious match about themselves decides; when in doubt, escalate.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass
from enum import IntEnum

from bot.domain import triage_text as tt

WINDOW = 12  # the parts of "numb + arm" must fall within this many words of one sentence
MAX_FOUND = 40  # occurrences of one pattern read per message: enough for any real message
NEGATION_REACH = 5  # "I don't have any chest pain": a negation reaches this many words on
_ABOUT_RANK = {"negated": 0, "hypothetical": 1, "someone_else": 2, "self": 3}


class Level(IntEnum):
    """How serious: higher is more serious. Labels are the names in lower case."""

    NONE = 0
    CALL_DOCTOR = 1
    URGENT = 2
    EMERGENCY = 3

    @property
    def label(self) -> str:
        """'none' | 'call_doctor' | 'urgent' | 'emergency'."""
        return self.name.lower()

    @classmethod
    def _missing_(cls, value: object) -> Level | None:
        """Accept the labels too: Level('urgent') is Level.URGENT."""
        if isinstance(value, str) and value.upper() in cls.__members__:
            return cls[value.upper()]
        return None


@dataclass(frozen=True)
class Rule:
    """One warning sign: its level, the source it rests on, and the phrasings that mean it.

    A rule fires when any of `patterns` matches, or when every group of `all_of` matches
    somewhere in the message. A match overlapping one of `unless` does not count.
    `confirm` False: never ask "do you have this right now?" first (questions, worries).
    """

    id: str
    level: Level
    source: str
    patterns: tuple[str, ...] = ()
    all_of: tuple[tuple[str, ...], ...] = ()
    unless: tuple[str, ...] = ()
    confirm: bool = True

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[a-z][a-z0-9_]*", self.id):
            raise ValueError(f"rule id {self.id!r}: use lower-case letters, digits and _")
        if self.level == Level.NONE:
            raise ValueError(f"rule {self.id}: level must be call_doctor, urgent or emergency")
        if not self.source.strip():
            raise ValueError(f"rule {self.id}: name the source it rests on")
        if not self.patterns and len(self.all_of) < 2:
            raise ValueError(f"rule {self.id}: needs patterns, or all_of with two groups or more")
        if any(not group for group in self.all_of):
            raise ValueError(f"rule {self.id}: an all_of group is empty")
        for pattern in (*self.patterns, *itertools.chain(*self.all_of), *self.unless):
            try:
                tt.parse_pattern(pattern)
            except ValueError as error:
                raise ValueError(f"rule {self.id}: {error}") from None


@dataclass(frozen=True)
class Catalogue:
    """The versioned rules; every decision records the version it was made with."""

    version: str
    rules: tuple[Rule, ...]

    def __post_init__(self) -> None:
        if not self.version.strip():
            raise ValueError("the catalogue needs a version")
        if not self.rules:
            raise ValueError("the catalogue has no rules")
        seen = Counter(rule.id for rule in self.rules)
        twice = sorted(rule_id for rule_id, count in seen.items() if count > 1)
        if twice:
            raise ValueError(f"rule ids used twice: {twice}")

    def rule(self, rule_id: str) -> Rule:
        """The rule with this id (KeyError when there is none)."""
        return {rule.id: rule for rule in self.rules}[rule_id]


@dataclass(frozen=True)
class Decision:
    """What to do about one message, and why."""

    level: Level  # what the bot must do now; NONE for someone else, a hypothetical, a negation
    rule: str | None  # the deciding rule
    matched: str | None  # the words that matched, normalised
    needs_confirmation: bool  # they sounded unsure: ask a yes/no question first
    about: str  # self | someone_else | hypothetical | negated | nothing
    candidate: Level  # the matched rule's level, even when `level` is NONE

    def as_dict(self) -> dict[str, object]:
        """The JSON shape the CLI prints."""
        return {"level": self.level.label, "rule": self.rule, "matched": self.matched,
                "needs_confirmation": self.needs_confirmation, "about": self.about}


NOTHING = Decision(Level.NONE, None, None, False, "nothing", Level.NONE)


@dataclass(frozen=True)
class _Match:
    rule: int
    level: Level
    positions: frozenset[int]
    text: str
    about: str
    unsure: bool


class _Compiled:
    """A catalogue's patterns parsed once, with the vocabulary that reads typed words."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.rules = [(
            [tt.parse_pattern(p) for p in rule.patterns],
            [[tt.parse_pattern(p) for p in group] for group in rule.all_of],
            [tt.parse_pattern(p) for p in rule.unless],
        ) for rule in catalogue.rules]
        self.vocabulary = tt.Vocabulary(
            key for patterns, groups, unless in self.rules
            for pattern in (*patterns, *itertools.chain(*groups), *unless)
            for part in pattern for slot in part for key in slot)


_CACHE: dict[int, _Compiled] = {}


def _compiled(catalogue: Catalogue) -> _Compiled:
    found = _CACHE.get(id(catalogue))
    if found is None or found.catalogue is not catalogue:
        if len(_CACHE) > 8:
            _CACHE.clear()
        found = _CACHE[id(catalogue)] = _Compiled(catalogue)
    return found


class _Reader:
    """One message: its words, where each slot key occurs, and the cue words found in it."""

    def __init__(self, text: str, compiled: _Compiled) -> None:
        self.w = tt.read(text)
        words, clause = self.w.words, self.w.clause
        self.keys = [compiled.vocabulary.keys(word) for word in words]
        self.where: dict[str, list[int]] = {}
        for i, keys in enumerate(self.keys):
            for key in keys:
                self.where.setdefault(key, []).append(i)
        self.negations, self.inherits = tt.negations(self.w)
        self.unsure = tt.find_phrases(words, tt.UNSURE)
        self.hypothetical = [i for i in tt.find_phrases(words, tt.HYPOTHETICAL)
                             if not (words[i] == "if" and i and words[i - 1] in tt.NOT_IF)]
        self.clause_size = Counter(clause)

    def part_hits(self, part: tt.Part) -> list[tuple[int, ...]]:
        """Where the words of one part occur in order, small fillers allowed between."""
        words, clause, hits = self.w.words, self.w.clause, []
        starts = sorted({i for key in part[0] for i in self.where.get(key, ())})
        for first in starts[:50]:
            found = [first]
            for slot in part[1:]:
                k, nxt = found[-1] + 1, None
                while k < len(words) and k - found[-1] <= 3 and clause[k] == clause[first]:
                    if slot & self.keys[k]:
                        nxt = k
                        break
                    if words[k] not in tt.FILLERS:
                        break
                    k += 1
                if nxt is None:
                    break
                found.append(nxt)
            if len(found) == len(part):
                hits.append(tuple(found))
        return hits

    def find(self, pattern: tt.Pattern) -> list[tuple[tuple[int, ...], ...]]:
        """Ways the pattern's parts occur together within one sentence (at most MAX_FOUND)."""
        first, *others = [self.part_hits(part) for part in pattern]
        sentence, found = self.w.sentence, []
        for anchor in first:
            near = [[hit for hit in hits if abs(hit[0] - anchor[0]) < WINDOW
                     and sentence[hit[0]] == sentence[anchor[0]]] for hits in others]
            for rest in itertools.product(*near):
                spots = [i for hit in (anchor, *rest) for i in hit]
                if max(spots) - min(spots) < WINDOW:
                    found.append((anchor, *rest))
                    if len(found) >= MAX_FOUND:
                        return found
        return found

    def reading(self, combo: tuple[tuple[int, ...], ...]) -> tuple[str, bool]:
        """(about, unsure) for one occurrence of a pattern."""
        sentence, clause = self.w.sentence, self.w.clause
        spots = [i for hit in combo for i in hit]
        start, end = min(spots), max(spots)
        if any(self._negated(hit) for hit in combo) or self._negated_after(end):
            return "negated", False
        if any(clause[h] == clause[start] and h < start for h in self.hypothetical):
            return "hypothetical", False
        who = tt.who(self.w, start, end)
        if who != "self":
            return who, False
        unsure = bool({clause[start], clause[end]} & self.w.asked) or any(
            sentence[u] == sentence[start] and (u < start or clause[u] == clause[start]
                                                or self.clause_size[clause[u]] <= 3)
            for u in self.unsure)
        return "self", unsure

    def _negated(self, hit: tuple[int, ...]) -> bool:
        words, clause = self.w.words, self.w.clause
        if any(words[i] in tt.INTRINSIC for i in hit):
            return False  # "cannot breathe", "no feeling in my legs" are not negations
        first = hit[0]
        if clause[first] in self.inherits:
            return True
        reach = range(first - 1, max(first - NEGATION_REACH - 1, -1), -1)
        return any(i in self.negations for i in itertools.takewhile(
            lambda i: clause[i] == clause[first], reach))

    def _negated_after(self, end: int) -> bool:
        """'chest pain none', 'numbness: none', 'chest pain? no': said after the sign."""
        words, clause = self.w.words, self.w.clause
        rest = [i for i in range(end + 1, len(words)) if clause[i] == clause[end]]
        if not rest:  # the sign ended its clause: look at the next one
            rest = [i for i in range(end + 1, len(words)) if clause[i] == clause[end] + 1]
        return bool(rest) and all(words[i] in tt.AFTERWARDS for i in rest) and any(
            words[i] in tt.NEGATIONS for i in rest)


def _text(reader: _Reader, positions: frozenset[int]) -> str:
    return " ".join(reader.w.words[min(positions):max(positions) + 1])


def _rule_matches(reader: _Reader, index: int, compiled: _Compiled) -> list[_Match]:
    rule = compiled.catalogue.rules[index]
    patterns, groups, unless = compiled.rules[index]
    blocked = [frozenset(i for hit in combo for i in hit)
               for pattern in unless for combo in reader.find(pattern)]

    def occurrences(pats: list[tt.Pattern]) -> list[_Match]:
        found = []
        for pattern in pats:
            for combo in reader.find(pattern):
                spots = frozenset(i for hit in combo for i in hit)
                if not any(spots & block for block in blocked):
                    about, unsure = reader.reading(combo)
                    found.append(_Match(index, rule.level, spots, _text(reader, spots),
                                        about, unsure))
        return found

    matches = occurrences(patterns)
    best_per_group = []
    for group in groups:
        found = occurrences(group)
        if not found:
            return matches
        best_per_group.append(max(found, key=lambda m: (_ABOUT_RANK[m.about], not m.unsure)))
    if best_per_group:
        about = min((m.about for m in best_per_group), key=_ABOUT_RANK.__getitem__)
        spots = frozenset().union(*(m.positions for m in best_per_group))
        matches.append(_Match(index, rule.level, spots,
                              " + ".join(m.text for m in best_per_group), about,
                              about == "self" and any(m.unsure for m in best_per_group)))
    return matches


def triage(text: str, catalogue: Catalogue) -> Decision:
    """Decide what one message means; only its first 2000 characters are read."""
    compiled = _compiled(catalogue)
    reader = _Reader(text, compiled)
    if not reader.w.words:
        return NOTHING
    matches = [m for index in range(len(catalogue.rules))
               for m in _rule_matches(reader, index, compiled)]
    own = [m for m in matches if m.about == "self"]
    if own:
        best = max(own, key=lambda m: (m.level, not m.unsure, -m.rule))
        rule = catalogue.rules[best.rule]
        return Decision(best.level, rule.id, best.text, best.unsure and rule.confirm, "self",
                        best.level)
    if matches:
        best = max(matches, key=lambda m: (m.level, _ABOUT_RANK[m.about], -m.rule))
        return Decision(Level.NONE, catalogue.rules[best.rule].id, best.text, False,
                        best.about, best.level)
    return NOTHING
