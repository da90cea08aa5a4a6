"""How a sign was meant: whose it is, now or past, denied, asked about, or a turn of phrase.

`Scope` looks at the words around the concepts of one match: negations before ("no chest
pain") or after ("chest pain? none"), hypotheticals ("what if"), mentions ("a film
about a heart attack", "what does cauda equina mean"), idioms ("this traffic is killing
me"), someone else ("my husband has ..."), the long past ("last year"), a sign that has
gone ("the tingling went away"), a harmless cause ("numb from the cold"), and whether
the person sounded unsure. Every cue is a word group or a cue concept of the lexicon;
when cues disagree, the reading that escalates wins unless the sign is plainly denied.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.domain.triage.levels import PRECEDENCE, About
from bot.domain.triage.people import People
from bot.domain.triage.reading import CUE, Hit, Message

NEGATION_REACH = 5  # "I don't have any chest pain": a negation reaches this many words on
# Readings that hold for a history or a medicine named in a rule (background concepts).
BACKGROUND_READINGS = (About.IDIOM, About.NEGATED, About.MENTION, About.HYPOTHETICAL,
                       About.SOMEONE_ELSE)


@dataclass(frozen=True)
class Reading:
    """How one match was meant, and which cues said so."""

    about: About
    unsure: bool
    cues: tuple[str, ...]


class Scope:
    """The cues of one message, found once, applied to any match in it."""

    def __init__(self, message: Message, groups: dict[str, frozenset[str]]) -> None:
        self.message, self.groups = message, groups
        self.tokens = message.tokens
        self.symptoms = {i for name, hits in message.hits.items() if not name.startswith(CUE)
                         for hit in hits for i in hit.positions}
        self.sentences: dict[int, list[int]] = {}
        for i, token in enumerate(self.tokens):
            self.sentences.setdefault(token.sentence, []).append(i)
        self.opening = {positions[0] for positions in self.sentences.values()}
        self.clauses: dict[int, list[int]] = {}
        for i, token in enumerate(self.tokens):
            self.clauses.setdefault(token.clause, []).append(i)
        self._read: dict[tuple[Hit, bool], tuple[About, list[str]]] = {}
        self.people = People(message, groups)
        self.negations = self._negations()
        self.listed = self._negated_lists()

    # ------------------------------------------------------------------ cues
    def cue(self, kind: str) -> list[Hit]:
        """Where a cue of this kind ('past', 'idiom', ...) was found."""
        return self.message.found(CUE + kind)

    def _negations(self) -> set[int]:
        words, groups = [t.text for t in self.tokens], self.groups
        found = set()
        for i, word in enumerate(words):
            if word not in groups["negations"] or i in self.symptoms:
                continue  # "no feeling in my legs", "not breathing": the sign itself
            sentence = self.tokens[i].sentence  # "Fever? nope. Just my back": a new one
            after = [words[j] for j in range(i + 1, min(i + 3, len(words)))
                     if self.tokens[j].sentence == sentence]
            if after[:1] and after[0] in groups["negation_after"] and after[1:]:
                after = after[1:]  # "not really sure"
            if after[:1] and after[0] in groups["not_negating"]:
                continue  # "not sure", "no idea why"
            clause = self.tokens[i].clause
            if word in groups["novelty_negations"] and (any(
                    words[j] in groups["novelty"] for j in range(i + 1, len(words))
                    if self.tokens[j].clause == clause) or self._turns(i)):
                continue  # "never had this before" is news, not a denial
            found.add(i)
        for hit in self.cue("negation"):
            if not set(hit.positions) & self.symptoms:  # "have not had a wee" is the sign
                found.update(hit.positions)
        return found

    def _turns(self, i: int) -> bool:
        """'I never get headaches and suddenly ...': the next clause opens with a turn."""
        clause, sentence = self.tokens[i].clause + 1, self.tokens[i].sentence
        opening = [j for j in self.clauses.get(clause, ())
                   if self.tokens[j].sentence == sentence][:3]
        return any(self.tokens[j].text in self.groups["novelty_turns"] for j in opening)

    def _negated_lists(self) -> set[int]:
        """Clauses that go on with a denial: 'no numbness, tingling, or weakness'."""
        negated = {self.tokens[i].clause for i in self.negations}
        members: dict[int, list[int]] = {}
        for i, token in enumerate(self.tokens):
            members.setdefault(token.clause, []).append(i)
        listed: set[int] = set()
        for clause in sorted(members):
            before = members.get(clause - 1)
            if not before or not ({clause - 1} & (negated | listed)):
                continue
            if self.tokens[before[0]].sentence != self.tokens[members[clause][0]].sentence:
                continue
            ahead = [i for near in (clause, clause + 1, clause + 2)
                     for i in members.get(near, ())]
            if (self.tokens[members[clause][0]].text not in self.groups["clause_starters"]
                    and any(self.tokens[i].text in self.groups["negation_continues"]
                            for i in ahead)):
                listed.add(clause)
        return listed

    # ------------------------------------------------------------------ one hit
    def of_hit(self, hit: Hit, background: bool = False,
               match: frozenset[int] = frozenset()) -> tuple[About, bool, list[str]]:
        """How one concept found in the message was meant (`match`: every word of the
        match it is part of, which no cue can be)."""
        key = (hit, background)
        found = self._read.get(key)
        if found is None:
            found = self._read[key] = self._about(hit, background)
        about, notes = found
        if about != About.SELF:
            return about, False, notes
        unsure = self._unsure(hit, match | set(hit.positions))
        return About.SELF, bool(unsure), [unsure] if unsure else []

    def _about(self, hit: Hit, background: bool) -> tuple[About, list[str]]:
        notes: list[str] = []
        mine = self.cue("really_me")  # "asking for a friend", "well I've got that"
        for about, test in ((About.IDIOM, self._idiom), (About.NEGATED, self._negated),
                            (About.MENTION, self._mention)):
            note = test(hit)
            if note and not (mine and about == About.MENTION):
                return about, [note]
        if mine:
            return About.SELF, [f"the person's own: {self.message.words(mine[0].positions)}"]
        who, note = self.people.whose(hit)
        if who == About.SOMEONE_ELSE and self.cue("on_behalf"):
            # "typing for my dad, it's his account": he is the person the bot looks after,
            # so his signs are read as the person's own (time and mention still apply).
            who, note = About.SELF, f"typed for the account holder: {note}"
        hypothetical = self._hypothetical(hit)
        if hypothetical:  # whose it would be is kept: "if I..." is not "if someone..."
            return About.HYPOTHETICAL, [hypothetical, *([note] if note else [])]
        ruled_out = None if background else self._ruled_out(hit)
        if ruled_out:  # "turned out to be reflux": over (a history still counts, all clear)
            return About.PAST, [ruled_out]
        if who == About.SOMEONE_ELSE and (self._past(hit) or self._resolved(hit)):
            return About.PAST, [note, "over: nothing to do for them now"]
        if who != About.SELF:
            return who, [note]
        if not background:
            for about, test in ((About.PAST, self._past), (About.RESOLVED, self._resolved),
                                (About.EXPLAINED, self._explained)):
                note = test(hit)
                if note:
                    notes.append(note)
                    return about, notes
        return About.SELF, notes

    def of_match(self, hits: Iterable[Hit], background: Iterable[str] = ()) -> Reading:
        """How a match of several concepts was meant: the first reading by precedence."""
        quiet, hits = set(background), list(hits)
        match = frozenset(i for hit in hits for i in hit.positions)
        readings = [self.of_hit(hit, hit.concept in quiet, match) for hit in hits]
        abouts = {about for about, _, _ in readings}
        about = next(first for first in PRECEDENCE if first in abouts)
        notes = tuple(dict.fromkeys(note for meant, _, said in readings if meant == about
                                    for note in said))
        unsure = about == About.SELF and any(doubt for _, doubt, _ in readings)
        return Reading(about, unsure, notes)

    # ------------------------------------------------------------------ tests
    def _words(self, hit: Hit) -> str:
        return self.message.words(hit.positions)

    def _overlapping(self, kind: str, hit: Hit) -> Hit | None:
        return next((cue for cue in self.cue(kind) if set(cue.positions) & set(hit.positions)),
                    None)

    def _idiom(self, hit: Hit) -> str | None:
        inside = set(hit.positions)
        for cue in self.cue("idiom"):
            words = set(cue.positions)
            # "cannot catch my breath" holds the idiom "catch my breath": the sign wins.
            if words & inside and not words <= inside:
                return f"idiom: {self._words(cue)}"
        return None

    def _negated(self, hit: Hit) -> str | None:
        tokens, clause = self.tokens, self.tokens[hit.start].clause
        if clause in self.listed:
            return "negation: a list that began with a denial"
        between = set(range(hit.start, hit.end + 1)) - set(hit.positions)
        if between & self.negations:  # "pain does not wake me": parts apart, denied between
            return f"negation: {tokens[min(between & self.negations)].text}"
        for i in range(hit.start - 1, max(hit.start - NEGATION_REACH - 1, -1), -1):
            if tokens[i].clause != clause:
                break
            if tokens[i].text in self.groups["negation_qualifiers"]:
                break  # "not a normal headache", "not just a twinge": worse, not denied
            if i in self.negations:
                return f"negation: {tokens[i].text}"
            if (tokens[i].text in self.groups["clause_breaks"]
                    and tokens[i].text not in self.groups["negation_continues"]):
                break  # "no fever and chest pain": the denial may not reach; escalate
        rest = [i for i in self.clauses.get(clause, ()) if i > hit.end]
        if not rest:  # "chest pain? none": the answer can be the next clause
            rest = [i for i in self.clauses.get(clause + 1, ()) if i > hit.end]
        after = [tokens[i].text for i in rest]
        # A denial word that does not deny ("no, this is something else") answers nothing.
        if after and all(w in self.groups["negation_after"] for w in after) and any(
                i in self.negations for i in rest):
            return f"negation after it: {' '.join(after)}"
        return None

    def _mention(self, hit: Hit) -> str | None:
        me = self.groups["first_person"] | self.groups["possessive_first"]
        for cue in self.cue("mention"):
            if (cue.end < hit.start and self.tokens[cue.end].clause == self.tokens[hit.start].clause
                    and not self._said_by_me(cue.end + 1, hit.end, me)):
                return f"mention: {self.message.words(cue.positions)}"
            if cue.start < hit.start and hit.end <= cue.end:  # "what is a stroke": asked
                return f"mention: {self.message.words(cue.positions)}"  # within the cue
        for cue in self.cue("mention_after"):
            if (cue.start > hit.end
                    and self.tokens[cue.start].sentence == self.tokens[hit.end].sentence
                    and not self._said_by_me(hit.start, cue.start - 1, me)):
                return f"mention: {self.message.words(cue.positions)}"
        return None

    def _said_by_me(self, first: int, last: int, me: frozenset[str]) -> bool:
        return any(self.tokens[i].text in me for i in range(first, last + 1))

    def _hypothetical(self, hit: Hit) -> str | None:
        """A cue before the sign in its clause, or a condition opening its sentence ("if
        ..., ..."; not "what should I do, I can't pee")."""
        here = self.tokens[hit.start]
        blocked = {i for cue in self.cue("not_hypothetical") for i in cue.positions}
        opening = {cue.start for cue in self.cue("conditional") if cue.start in self.opening}
        for cue in self.cue("hypothetical"):
            there = self.tokens[cue.start]
            governs = there.clause == here.clause or (
                cue.start in opening and there.sentence == here.sentence)
            if (cue.end < hit.start and governs and not set(cue.positions) & blocked
                    and not set(cue.positions) & set(hit.positions)):
                return f"hypothetical: {self.message.words(cue.positions)}"
        return None

    def _sentence_has(self, kind: str, sentence: int, after: int = -1) -> Hit | None:
        # "now I'm fine" says over, not now: a time word inside a resolved cue is no "now"
        inside = {i for cue in self.cue("resolved") for i in cue.positions} if (
            kind == "current") else set()
        return next((cue for cue in self.cue(kind) if self.tokens[cue.start].sentence == sentence
                     and cue.start > after and not set(cue.positions) <= inside), None)

    def _past(self, hit: Hit) -> str | None:
        """A past cue in the sign's clause, with nothing in its sentence saying now."""
        clause, sentence = self.tokens[hit.start].clause, self.tokens[hit.start].sentence
        past = next((cue for cue in self.cue("past") if self.tokens[cue.start].clause == clause),
                    None)
        if past is None or self._sentence_has("current", sentence) is not None:
            return None
        return f"past: {self.message.words(past.positions)}"

    def _ruled_out(self, hit: Hit) -> str | None:
        """A cue that it was nothing, or is long over, anywhere in the sign's sentence."""
        sentence = self.tokens[hit.start].sentence
        found = self._sentence_has("ruled_out", sentence)
        if found is None or self._sentence_has("current", sentence, after=found.end):
            return None
        return f"ruled out: {self.message.words(found.positions)}"

    def _resolved(self, hit: Hit) -> str | None:
        sentence = self.tokens[hit.start].sentence
        later = self.sentences.get(sentence + 1, [])
        follows = bool(later) and self.tokens[later[0]].text in self.groups["back_references"]
        blocked = {i for cue in self.cue("not_resolved") for i in cue.positions}
        for cue in self.cue("resolved"):
            where = self.tokens[cue.start].sentence
            if self.negations & {cue.start - 1, cue.start - 2}:
                continue  # "it hasn't gone away": still there
            if (cue.start <= hit.end or set(cue.positions) & (blocked | self.symptoms)
                    or not (where == sentence or (follows and where == sentence + 1))):
                continue
            back = self._sentence_has("current", where, after=cue.end) or (
                self._sentence_has("current", where + 1) if where == sentence else None)
            if back is None:
                return f"resolved: {self.message.words(cue.positions)}"
        return None

    def _explained(self, hit: Hit) -> str | None:
        sentence = self.tokens[hit.start].sentence
        for cue in self.cue("explained"):
            if (self.tokens[cue.start].sentence == sentence
                    and not set(cue.positions) & set(hit.positions)):
                return f"a harmless cause: {self.message.words(cue.positions)}"
        return None

    def _unsure(self, hit: Hit, match: frozenset[int]) -> str | None:
        token = self.tokens[hit.start]
        if token.clause in self.message.asked or self.tokens[hit.end].clause in self.message.asked:
            return "unsure: asked as a question"
        for cue in self.cue("unsure"):
            if set(cue.positions) & match:
                continue  # "I can't think straight" is a sign, not a doubt
            there = self.tokens[cue.start]
            if there.sentence == token.sentence and (cue.start < hit.start
                                                     or there.clause == token.clause):
                return f"unsure: {self.message.words(cue.positions)}"
        return None
