"""Whose sign it is: the person's own, someone else's, or people's in general.

The nearest person named before a sign in its sentence decides ("my husband has...",
"she...", "can people get...?"); "my" followed by a relation or a pet is someone else; "me
and my husband" includes the person. A sentence that names no one goes on with whoever the
sentence before was about ("my mum collapsed. not breathing"). The words are the lexicon's.
"""

from __future__ import annotations

from bot.domain.triage.levels import About
from bot.domain.triage.reading import Hit, Message

PEOPLE_REACH = 3  # "my poor old husband": a relation this many words after "my"
SOMEONE = "someone else"  # how a reading names another person, or people in general
GENERIC = "people in general"


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

    def _person_before(self, start: int, sentence: int) -> tuple[About, str] | None:
        tokens, groups = self.tokens, self.groups
        for position in range(start - 1, -1, -1):
            if tokens[position].sentence != sentence:
                return None
            word = tokens[position].text
            if word in groups["first_person"]:
                return About.SELF, ""
            if word in groups["possessive_first"]:
                near = range(position + 1, min(position + 1 + PEOPLE_REACH, start))
                other = any(map(self._relation, near)) or (
                    bool(near) and tokens[near[0]].text in groups["pets"])
                if not other:
                    return About.SELF, ""
                said = self.message.words(range(position, position + 2))
                return About.SOMEONE_ELSE, f"{SOMEONE}: {said}"
            if position > 0 and tokens[position - 1].text in groups["comparison"]:
                continue  # "walking like a toddler": a comparison, not a person
            if self._relation(position) or word in groups["third_person"]:
                if self._with_me(position):
                    return About.SELF, ""
                return About.SOMEONE_ELSE, f"{SOMEONE}: {word}"
            if word in groups["generic_people"]:
                return About.HYPOTHETICAL, f"{GENERIC}: {word}"
        return None

    def whose(self, hit: Hit) -> tuple[About, str]:
        """Whose sign: the nearest person named before it in its sentence, else a his/her
        right after, else whoever the sentence before was about; the person's own by
        default."""
        sentence = self.tokens[hit.start].sentence
        found = self._person_before(hit.start, sentence)
        if found is not None:
            return found
        for position in range(hit.start, min(hit.end + 4, len(self.tokens))):
            token = self.tokens[position]
            if token.sentence == sentence and token.text in self.groups["possessive_third"]:
                return About.SOMEONE_ELSE, f"{SOMEONE}: {token.text}"
        starts = [position for position, token in enumerate(self.tokens)
                  if token.sentence == sentence]
        if starts and sentence > 0:
            before = self._person_before(starts[0], sentence - 1)
            if before is not None and before[0] == About.SOMEONE_ELSE:
                return before[0], before[1] + " (the sentence before)"
        return About.SELF, ""
