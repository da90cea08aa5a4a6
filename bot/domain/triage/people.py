"""Whose sign it is: the person's own, someone else's, or people's in general.

The nearest person named before a sign in its sentence decides ("my husband has...",
"she...", "can people get...?"); "my" followed by a relation or a pet is someone else; "me
and my husband" includes the person. A sentence that names no one goes on with whoever the
sentence before was about ("my mum collapsed. not breathing"). The words are the lexicon's.

Thoughts of suicide and self-harm (crisis rules) are someone else's only when the message
clearly says so: the other person is the one the crisis words are about ("my son says he
wants to kill himself", "mi hija se está cortando"). They are the person's own, whoever
else is named, when a first-person word ("better off without me", "sin mí", "ya no voy a
estar") follows the one named, up to the end of the crisis words' clause (only to its next
joining word when a third-person word says whom they are about: "he", "himself", "her
pills", "se"), when the one named only receives something from the person
("gave my dog to my sister", "a mi sobrino", the "le" of "ya no le encuentro sentido"), or
when their sentence names no one (the sentence before does not carry over). When unsure, it
is their own: telling someone in crisis to help another is the worse mistake.
"""

from __future__ import annotations

from bot.domain.triage.levels import About
from bot.domain.triage.reading import Hit, Message

PEOPLE_REACH = 3  # "my poor old husband": a relation this many words after "my"
SOMEONE = "someone else"  # how a reading names another person, or people in general
GENERIC = "people in general"
OWN_CRISIS = "the person's own crisis"  # how a reading names a crisis kept as theirs
# Whose it is, what the reading says, and where the deciding person was named.
Found = tuple[About, str, int | None]


class People:
    """The people words of one message, read against its signs."""

    def __init__(self, message: Message, groups: dict[str, frozenset[str]]) -> None:
        self.message, self.groups, self.tokens = message, groups, message.tokens

    def _relation(self, position: int) -> bool:
        return bool(self.tokens[position].forms & self.groups["relations"])

    def _with_me(self, position: int) -> bool:
        """'me and my husband', 'my wife and I': the person is one of them."""
        tokens = self.tokens
        near = range(max(position - 3, 0), min(position + 4, len(tokens)))
        return any(tokens[joiner].text in self.groups["together"] and any(
            0 <= beside < len(tokens) and tokens[beside].text in self.groups["first_person"]
            for beside in (joiner - 1, joiner + 1)) for joiner in near)

    def _person_before(self, start: int, sentence: int) -> Found | None:
        tokens, groups = self.tokens, self.groups
        for position in range(start - 1, -1, -1):
            if tokens[position].sentence != sentence:
                return None
            word = tokens[position].text
            if word in groups["first_person"]:
                return About.SELF, "", position
            if word in groups["possessive_first"]:
                near = range(position + 1, min(position + 1 + PEOPLE_REACH, start))
                other = any(map(self._relation, near)) or (
                    bool(near) and tokens[near[0]].text in groups["pets"])
                if not other:
                    return About.SELF, "", position
                said = self.message.words(range(position, position + 2))
                return About.SOMEONE_ELSE, f"{SOMEONE}: {said}", position
            if position > 0 and tokens[position - 1].text in groups["comparison"]:
                continue  # "walking like a toddler": a comparison, not a person
            if self._relation(position) or word in groups["third_person"]:
                if self._with_me(position):
                    return About.SELF, "", position
                return About.SOMEONE_ELSE, f"{SOMEONE}: {word}", position
            if word in groups["generic_people"]:
                return About.HYPOTHETICAL, f"{GENERIC}: {word}", position
        return None

    def whose(self, hit: Hit, crisis: bool = False) -> tuple[About, str]:
        """Whose sign: the nearest person named before it in its sentence, else a his/her
        right after, else whoever the sentence before was about; the person's own by
        default. A crisis sign is someone else's only when clearly said so."""
        about, note, where = self._whose(hit)
        if crisis and about == About.SOMEONE_ELSE:
            own = self._own_crisis(hit, where)
            if own is not None:
                return About.SELF, f"{OWN_CRISIS}: {own} (not {note})"
        return about, note

    def _whose(self, hit: Hit) -> Found:
        sentence = self.tokens[hit.start].sentence
        found = self._person_before(hit.start, sentence)
        if found is not None:
            return found
        for position in range(hit.start, min(hit.end + 4, len(self.tokens))):
            token = self.tokens[position]
            if token.sentence == sentence and token.text in self.groups["possessive_third"]:
                return About.SOMEONE_ELSE, f"{SOMEONE}: {token.text}", position
        starts = [position for position, token in enumerate(self.tokens)
                  if token.sentence == sentence]
        if starts and sentence > 0:
            before = self._person_before(starts[0], sentence - 1)
            if before is not None and before[0] == About.SOMEONE_ELSE:
                return before[0], before[1] + " (the sentence before)", None
        return About.SELF, "", None

    # ------------------------------------------------------------------ crisis
    def _own_crisis(self, hit: Hit, where: int | None) -> str | None:
        """Why a crisis sign read as someone else's is the person's own, if it is."""
        if where is None:
            return "no one named in its sentence"
        if self.tokens[where].text in self.groups["receiving_people"] or self._receives(where):
            return f"{self.message.words(range(max(where - 2, 0), where + 1))} receives"
        tokens, sentence = self.tokens, self.tokens[hit.start].sentence
        # To the end of the crisis words' clause ("flatmate took pills, idk how many" is
        # the relative talking after); said of them in so many words ("he wants to kill
        # himself", "se está cortando"), only to its next joining word ("y no sé qué
        # hacer" is the relative's too).
        clause, said_of_them = tokens[hit.end].clause, self._said_of_them(hit, where)
        for position in range(where + 1, len(tokens)):
            token = tokens[position]
            if token.sentence != sentence or (position > hit.end and (
                    token.clause != clause
                    or (said_of_them and token.text in self.groups["clause_breaks"]))):
                break
            if self._me(position):
                return f"said with {token.text}"
        return None

    def _said_of_them(self, hit: Hit, where: int) -> bool:
        """A third-person word names who the crisis words are about: 'he', 'himself',
        'her pills', 'se'."""
        groups = self.groups
        theirs = groups["third_person"] | groups["possessive_third"] | groups[
            "third_person_reflexive"]
        return self.tokens[where].text in groups["third_person"] or any(
            self.tokens[position].text in theirs for position in range(hit.start, hit.end + 1))

    def _receives(self, where: int) -> bool:
        """'gave my dog to my sister', 'a mi sobrino': the one named only receives."""
        tokens, groups = self.tokens, self.groups
        before = where - 1  # the word before the person, or before their "my"
        for position in range(where, max(where - PEOPLE_REACH - 1, -1), -1):
            if tokens[position].text in groups["possessive_first"]:
                before = position - 1
                break
        return (before >= 0 and tokens[before].sentence == tokens[where].sentence
                and tokens[before].text in groups["receiving"])

    def _me(self, position: int) -> bool:
        """A word of the person themself: 'me', 'myself', 'voy'; 'mí' only where no word of
        its clause follows it ('sin mí', not 'mi hijo')."""
        tokens, groups = self.tokens, self.groups
        text = tokens[position].text
        if text in groups["first_person"] or text in groups["first_person_verbs"]:
            return True
        if text not in groups["first_person_after"]:
            return False
        following = position + 1
        return (following == len(tokens) or tokens[following].clause != tokens[position].clause
                or tokens[following].text in groups["together"])
