"""Warning-sign triage: what a typed message means for the person's safety, right now.

Pure standard library, no I/O and no clock. `Triage.decide(text)` reads the message in
every language the bot has (reading.py), finds every rule of the catalogue whose concepts
it contains (rules.py), and decides, for each match, how it was meant (scope.py). The
most serious sign the person has now decides; someone else's emergency comes before any
lesser sign of their own; when in doubt, escalate. A message in a language the bot cannot
read is told so, with the emergency number.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from bot.domain.model import one_of
from bot.domain.triage.levels import PRECEDENCE, About, Level
from bot.domain.triage.lexicon import LanguageGuesser
from bot.domain.triage.reading import Hit, Message, Reader
from bot.domain.triage.rules import RESPONSES, Catalogue, Expression, Response, Rule
from bot.domain.triage.scope import Reading, Scope

WINDOW = 18  # the concepts of one expression lie within this many words of one sentence
MAX_COMBOS = 40  # ways one expression is found in a message: enough for any real message
MIN_LETTERS = 6  # shorter messages ("ok", "thx") are never called another language
KNOWN_SHARE = 0.75  # a message is readable when this share of its words is known...
MOSTLY_KNOWN = 0.85  # ...and surely readable when this share is known as typed
VERY_SURE = 0.99  # the detector's confidence needed between the two
SURE_OF_LANGUAGE = 0.6  # the detector's confidence needed to say "I can only read ..."
CLEAR_LEAD = 0.5  # a language whose words are this much better known than any other's
DETECTOR_FLOOR = 0.05  # below this the detector says nothing about a language we read
FEW_KNOWN = 0.5  # ...unless fewer words than this are known: then any other language will do
OWN = (About.SELF, About.RESOLVED, About.EXPLAINED)
# How escalating a reading is, the person's own sign now highest: when a sign is found
# twice the higher reading counts; signs said apart are read as the lowest of them.
RANK = {about: rank for rank, about in enumerate(PRECEDENCE)}


@dataclass(frozen=True)
class Decision:
    """What to do about one message, and why."""

    level: Level  # what the bot must do now (emergency for someone else's emergency too)
    rule: str | None  # the deciding rule
    matched: str | None  # the words that matched, as read
    needs_confirmation: bool  # they sounded unsure: ask a yes/no question first
    about: About  # whose sign, and how it was meant
    candidate: Level  # the matched rule's level, even when `level` is NONE
    family: str | None = None
    response: Response = "medical"
    language: str | None = None  # the language it was read in
    unreadable: str | None = None  # a language the bot cannot read, when it is written in one

    def as_dict(self) -> dict[str, object]:
        """The JSON shape the CLI prints."""
        return {"level": self.level.label, "rule": self.rule, "family": self.family,
                "matched": self.matched, "needs_confirmation": self.needs_confirmation,
                "about": self.about.value, "response": self.response,
                "language": self.language, "unreadable": self.unreadable}


NOTHING = Decision(Level.NONE, None, None, False, About.NOTHING, Level.NONE)


@dataclass(frozen=True)
class Match:
    """One rule found in a message, with how it was meant."""

    rule: Rule
    index: int
    hits: tuple[Hit, ...]
    reading: Reading
    language: str

    @property
    def level(self) -> Level:
        """What it means for the person now."""
        about = self.reading.about
        if about == About.SELF or (about == About.EXPLAINED and not self.rule.explainable):
            return self.rule.level
        if about == About.HYPOTHETICAL and self.rule.hypothetical_counts:
            return self.rule.level  # "if this doesn't stop I'll end it", "asking for a friend"
        if about == About.RESOLVED:
            return self.rule.resolved
        if about == About.SOMEONE_ELSE and self.rule.level == Level.EMERGENCY:
            return Level.EMERGENCY
        return Level.NONE

    @property
    def positions(self) -> tuple[int, ...]:
        """Every word of the match, in order."""
        return tuple(sorted({i for hit in self.hits for i in hit.positions}))


@dataclass
class Explanation:
    """How a message was read: for `backcoach triage --explain` and clinical review."""

    decision: Decision
    language: str
    words: list[str] = field(default_factory=list)
    concepts: list[tuple[str, str]] = field(default_factory=list)
    cues: list[tuple[str, str]] = field(default_factory=list)
    matches: list[tuple[str, str, str, str, tuple[str, ...]]] = field(default_factory=list)


class Triage:
    """The catalogue and every language's reader, ready to decide messages."""

    def __init__(self, catalogue: Catalogue, readers: Mapping[str, Reader],
                 guesser: LanguageGuesser | None = None,
                 mixed: Mapping[str, Reader] | None = None) -> None:
        """`mixed` holds, per language, a reader of its words that also knows the concept
        words of the other languages (people mix them: "me duele el chest"); a message is
        read with it once it is known to be written in that language."""
        if not readers:
            raise ValueError("triage needs at least one language")
        for language, reader in {**readers, **(mixed or {})}.items():
            missing = sorted(catalogue.concepts - set(reader.lexicon.concepts))
            if missing:
                raise ValueError(f"{language}: the rules name concepts this language lacks: "
                                 f"{missing}")
        self.catalogue, self.readers, self.guesser = catalogue, dict(readers), guesser
        self.mixed = {language: reader for language, reader in (mixed or {}).items()
                      if language in self.readers}

    @property
    def language_names(self) -> tuple[str, ...]:
        """The names of the languages the bot reads, each in its own words ('English')."""
        return tuple(reader.lexicon.language_name for reader in self.readers.values())

    @property
    def version(self) -> str:
        """The catalogue's version, recorded with every decision."""
        return self.catalogue.version

    def decide(self, text: str) -> Decision:
        """Decide what one message means; only its first 2000 characters are read."""
        return self._decide(text)[0]

    def explain(self, text: str) -> Explanation:
        """The decision with everything found on the way to it."""
        decision, messages, matches = self._decide(text)
        message = next((m for m in messages if m.language == decision.language), messages[0])
        found = Explanation(decision, message.language,
                            [f"{t.text}{'=' + '/'.join(sorted(t.forms - {t.text}))}"
                             if t.forms - {t.text} else t.text for t in message.tokens])
        for name, hits in sorted(message.hits.items()):
            for hit in hits:
                target = found.cues if name.startswith("cue:") else found.concepts
                target.append((name.removeprefix("cue:"), message.words(hit.positions)))
        for match in matches:
            if match.language == message.language:
                found.matches.append((match.rule.id, match.level.label, match.reading.about,
                                      message.words(match.positions), match.reading.cues))
        return found

    # ------------------------------------------------------------------ deciding
    def _decide(self, text: str) -> tuple[Decision, list[Message], list[Match]]:
        seen = {language: reader.tokenize(text) for language, reader in self.readers.items()}
        confidences = functools.cache(lambda: self._confidences(text, seen))
        chosen = self._languages(seen, confidences)
        messages = ([self._read(seen[chosen[0]])] if chosen else
                    [self.readers[language].find(seen[language]) for language in seen])
        matches = [m for message in messages for m in self._matches(message)]
        decision = self._verdict(matches, messages)
        foreign = self._unreadable(text, list(seen.values()), confidences)
        if foreign is not None:
            # Whatever was read is kept (a sign is acted on); the person is also told.
            about = About.UNREADABLE if decision.level == Level.NONE else decision.about
            decision = dataclasses.replace(decision, about=about, unreadable=foreign)
        return decision, messages, matches

    def _verdict(self, matches: list[Match], messages: list[Message]) -> Decision:
        words = {m.language: m for m in messages}

        def made(match: Match, level: Level, about: About, confirm: bool) -> Decision:
            return Decision(level, match.rule.id, words[match.language].words(match.positions),
                            confirm, about, match.rule.level, match.rule.family,
                            one_of(match.rule.response, RESPONSES), match.language)

        own = [m for m in matches if m.level > Level.NONE and (
            m.reading.about in OWN or m.reading.about == About.HYPOTHETICAL)]
        others = [m for m in matches if m.reading.about == About.SOMEONE_ELSE
                  and m.level == Level.EMERGENCY]
        best = max(own, key=lambda m: (m.level, not m.reading.unsure, RANK[m.reading.about],
                                       -m.index), default=None)
        if others and (best is None or best.level < Level.EMERGENCY):
            first = min(others, key=lambda m: (m.rule.response != "crisis", m.index))
            return made(first, Level.EMERGENCY, About.SOMEONE_ELSE, False)
        if best is not None:
            return made(best, best.level, best.reading.about,
                        best.reading.unsure and best.rule.confirm)
        if matches:
            top = max(matches, key=lambda m: (m.rule.level, RANK[m.reading.about], -m.index))
            return made(top, Level.NONE, top.reading.about, False)
        return NOTHING

    def _matches(self, message: Message) -> list[Match]:
        # A mixed reader has its language's word groups: the plain reader's are the same.
        scope = Scope(message, self.readers[message.language].groups)
        found: list[Match] = []
        for index, rule in enumerate(self.catalogue.rules):
            found.extend(self._rule_matches(message, scope, index, rule))
        return found

    def _rule_matches(self, message: Message, scope: Scope, index: int,
                      rule: Rule) -> list[Match]:
        when, groups, of = rule.expressions
        blocked = [set(hit.positions) for name in rule.unless for hit in message.found(name)]
        if any(scope.of_hit(hit)[0] != About.NEGATED
               for name in rule.unless_said for hit in message.found(name)):
            return []  # "I've been dieting" (but not "without dieting")

        def matches(expression: Expression) -> list[Match]:
            out = []
            for combo in _combos(message, expression):
                spots = {i for hit in combo for i in hit.positions}
                if any(spots & block for block in blocked):
                    continue
                reading = scope.of_match(combo, rule.background, rule.response == "crisis")
                out.append(Match(rule, index, combo, reading, message.language))
                if _certain(out[-1]):
                    break  # no other place in the message can make this rule weigh more
            return out

        def best(expressions: tuple[Expression, ...]) -> Match | None:
            top: Match | None = None
            for expression in expressions:
                for match in matches(expression):
                    if top is None or RANK[match.reading.about] > RANK[top.reading.about]:
                        top = match
                    if _certain(match):
                        return match  # nothing reads more seriously than this
            return top

        found: list[Match] = []
        for expression in when:
            found += matches(expression)
            if found and _certain(found[-1]):
                break
        if groups:
            bests = [best(group) for group in groups]
            if all(each is not None for each in bests):
                found.append(_together(rule, index, [each for each in bests if each is not None],
                                       message.language))
        if rule.at_least:
            ranked = sorted((sign for sign in (best((one,)) for one in of) if sign is not None),
                            key=lambda match: RANK[match.reading.about], reverse=True)
            if len(ranked) >= rule.at_least:
                found.append(_together(rule, index, ranked[:rule.at_least], message.language))
        return found

    # ------------------------------------------------------------------ languages
    def _confidences(self, text: str, seen: Mapping[str, Message]) -> Mapping[str, float]:
        """The detector's confidence in every language, asked only when it can matter."""
        letters = sum(ch.isalpha() for ch in text)
        if self.guesser is None or letters < 3 or not any(m.tokens for m in seen.values()):
            return {}
        return self.guesser.confidences(text)

    def _languages(self, seen: Mapping[str, Message],
                   confidences: Callable[[], Mapping[str, float]]) -> list[str]:
        """The language a message is written in, when its words and the detector point to
        it; none when they disagree or cannot tell: then it is read in every language the
        bot reads, each with its own words (a sign found in any is acted on)."""
        if len(self.readers) == 1:
            return list(self.readers)
        shares = {language: share for language, message in seen.items()
                  if (share := self._known_share(message)) is not None}
        by_words = _lead(shares)
        if by_words is not None and shares[by_words] - min(shares.values()) >= CLEAR_LEAD:
            return [by_words]  # its words alone say it: the detector is not asked
        by_detector = _lead({language: value for language in self.readers
                             if (value := confidences().get(language, 0.0)) >= DETECTOR_FLOOR})
        if by_words is not None and by_detector in (None, by_words):
            return [by_words]
        if by_words is None and by_detector is not None:
            return [by_detector]
        return []  # every language, each with its own words only

    def _known_share(self, message: Message) -> float | None:
        """The share of a message's words its language knows; None with under two words
        long enough to tell (words of one or two letters are in many languages)."""
        words = [t for t in message.tokens if len(t.text) > 2]
        if len(words) < 2:
            return None
        reader = self.readers[message.language]
        # A slip of a word counts half: one language's words are often slips of another's.
        return sum(reader.knows(t) + reader.knows(t, slips=False) for t in words) / 2 / len(words)

    def _read(self, seen: Message) -> Message:
        """The message read in its language, with the other languages' concept words too
        when the bot has a mixed reader for it."""
        # The words as its own reader split them: the mixed reader only knows more terms.
        return self.mixed.get(seen.language, self.readers[seen.language]).find(seen)

    def _unreadable(self, text: str, messages: list[Message],
                    confidences: Callable[[], Mapping[str, float]]) -> str | None:
        """The language of a message the bot cannot read, when the detector is sure."""
        letters = [ch for ch in text if ch.isalpha()]
        # Latin letters are cheap (a short English reply); other scripts say more per letter.
        if self.guesser is None or (len(letters) < MIN_LETTERS and all(
                ch.isascii() for ch in letters)) or len(letters) < 3:
            return None
        shares = []
        for message in messages:
            reader = self.readers[message.language]
            # Words of one or two letters ("de", "a", "le") are in many languages at once.
            words = [t for t in message.tokens  # Devanagari's vowel signs are not letters
                     if len(t.text) > 2 and sum(ch.isalpha() for ch in t.text) >= 2]
            known = [t for t in words if reader.knows(t)]
            strict = [t for t in known if reader.knows(t, slips=False)]
            # One word is too little to tell a language, unless its script has no spaces.
            enough = len(words) >= 2 or any(not t.text.isascii() for t in words)
            if not enough or len(strict) >= MOSTLY_KNOWN * len(words):  # "xxxxxxxx"
                return None  # surely ours: its words as typed, slips aside
            shares.append((len(strict) / len(words), len(known) / len(words)))
        guess = max(confidences().items(), key=lambda item: item[1], default=None)
        if guess is None or guess[0] in self.readers:
            return None
        # Many short words are words of several languages ("coup", "pendant", "vie"): a
        # message may be mostly known and still be French, when the detector is near sure.
        # A neighbouring language's words are often ours or one slip from ours ("estou"
        # for "estoy"): only words known as typed make a message surely ours.
        needed = (VERY_SURE if max(strict for strict, _ in shares) >= KNOWN_SHARE
                  else SURE_OF_LANGUAGE if max(loose for _, loose in shares) >= FEW_KNOWN
                  else 0.0)
        return guess[0] if guess[1] >= needed else None


def _lead(values: Mapping[str, float]) -> str | None:
    """The language with the highest value, if one is higher than every other and above 0."""
    ranked = sorted(values.items(), key=lambda item: -item[1])
    if not ranked or ranked[0][1] <= 0 or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
        return None
    return ranked[0][0]


def _certain(match: Match) -> bool:
    """Said by the person about themselves, now, without doubt: the strongest reading."""
    return match.reading.about == About.SELF and not match.reading.unsure


def _combos(message: Message, expression: Expression) -> list[tuple[Hit, ...]]:
    """Ways an expression's parts occur together: one sentence, within WINDOW words,
    each part on words of its own."""
    parts = [[hit for name in part for hit in message.found(name)] for part in expression]
    if not all(parts):
        return []
    tokens, found = message.tokens, []
    for anchor in parts[0]:
        sentence = tokens[anchor.start].sentence
        near = [[hit for hit in hits if tokens[hit.start].sentence == sentence
                 and abs(hit.start - anchor.start) < WINDOW] for hits in parts[1:]]
        for rest in itertools.product(*near):
            combo = (anchor, *rest)
            spots = [set(hit.positions) for hit in combo]
            if any(one & other for one, other in itertools.combinations(spots, 2)):
                continue
            every = set().union(*spots)
            if max(every) - min(every) < WINDOW:
                found.append(combo)
                if len(found) >= MAX_COMBOS:
                    return found
    return found


def _together(rule: Rule, index: int, parts: list[Match], language: str) -> Match:
    """Signs said apart that make one rule: read as the least escalating of them."""
    weakest = min(parts, key=lambda part: RANK[part.reading.about])
    notes = tuple(dict.fromkeys(note for part in parts for note in part.reading.cues))
    unsure = weakest.reading.about == About.SELF and any(part.reading.unsure for part in parts)
    hits = tuple(hit for part in parts for hit in part.hits)
    return Match(rule, index, hits, Reading(weakest.reading.about, unsure, notes), language)
