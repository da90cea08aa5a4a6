"""Reading messages for triage: words, sentences and clauses, cue words, people, typos.

Pure standard library. `read()` turns any text into words with the sentence and clause each
belongs to; `parse_pattern()` reads the catalogue's pattern syntax (see content/triage.toml);
`who()` says whose symptom a phrase is; `is_typo()` says whether a typed word is a slip of a
catalogue word.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

MAX_CHARS = 2000  # only the start of a message is read: a warning sign comes early
Slot = frozenset[str]  # one place in a pattern: its words, and prefixes written "tingl*"
Part = tuple[Slot, ...]  # words in order, small fillers allowed between
Pattern = tuple[Part, ...]  # parts that must all appear close together in one sentence


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


def _phrases(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.split(","))


_EMOJI = {"🤒": " fever ", "🤢": " nausea ", "🤮": " vomiting ", "😵‍💫": " dizzy "}
_APOSTROPHES = re.compile(r"['’‘`´ʼ]")
_DECIMAL = re.compile(r"(\d)[.,](\d)")
_UNIT = re.compile(r"(\d)([a-z])")
_MARKS = re.compile(r"\?+|[.!;\n\r…]+|[,:()\[\]{}\-–—+&/|*\"]+")
_NOT_WORD = re.compile(r"[^\w\s.,?]+")
# Typed forms -> the words the rules are written in ("cant" -> "cannot", "im" -> "i am").
_SPELLINGS = dict(pair.split("=") for pair in _set("""
    cant=cannot cnt=cannot cnat=cannot canot=cannot cannt=cannot carnt=cannot couldnt=cannot
    cudnt=cannot unable=cannot hardly=barely scarcely=barely dont=do_not doesnt=does_not
    didnt=did_not isnt=is_not arent=are_not wasnt=was_not werent=were_not havent=have_not
    hasnt=has_not hadnt=had_not wont=will_not wouldnt=would_not shouldnt=should_not
    aint=is_not nope=no nah=no im=i_am ive=i_have id=i_would its=it_is itz=it_is
    thats=that_is whats=what_is hes=he_is shes=she_is theyre=they_are youre=you_are
    couldve=could_have wouldve=would_have shouldve=should_have idk=i_do_not_know
    dunno=do_not_know n=and u=you ur=your r=are b4=before bc=because cuz=because
    coz=because cos=because rn=right_now atm=now pls=please plz=please abt=about tho=though
    thru=through w=with wo=without hubby=husband wifey=wife bf=boyfriend gf=girlfriend
    mom=mum mommy=mum mam=mum hrs=hours temprature=temperature tempreture=temperature
    numbess=numbness"""))
_CANNOT = re.compile(r"\b(?:not (?:been )?able to|can not|could not|cannot to)\b")

SENTENCE_WORDS = _set("but however although though except whereas")
CLAUSE_WORDS = _set("and so because plus then")  # start a clause before a subject: "and i"
STARTERS = _set("""i my it he she they we you now then the this that also suddenly still
    cannot can have has had am is got feel feeling felt keep there his her their today since""")
FILLERS = _set("""my the a an in on of at to for with both either any some very really so too
    even all just properly much now still completely totally is are was were been being am be
    has have had got get getting feel feels feeling felt kind sort bit little slight slightly
    bad badly real super quite pretty that this it up down out right left upper lower middle
    whole more extremely literally actually again suddenly weird like your entire severe sharp
    strange keep keeps kept kinda sorta top lot lots most new constant area around by from
    over side across through into went goes gone going gets became become becomes""")
NEGATIONS = _set("no not never without nor neither none denies deny negative zero")
# A negation word followed by one of these is not a negation: "not sure", "no idea why".
NOT_NEGATING = _set("sure certain 100 know idea matter reason only just doubt")
INTRINSIC = _set("cannot not no barely without never nothing none")  # "cannot breathe"
AFTERWARDS = _set("no none not negative nil zero really at all")  # "chest pain? none"
NOVELTY = _set("before until till")  # "never had this before" is not a negation
UNSURE = _phrases("""not sure, not really sure, not 100, not certain, unsure, uncertain, maybe,
    mayb, perhaps, possibly, might, may be, i think, i guess, i suppose, kind of, kinda,
    sort of, sorta, do not know, no idea, cannot tell, hard to tell, hard to say, could be,
    seems, seem, seemed, wonder, wondering, is it normal, is this normal, is that normal,
    probably, think""")
HYPOTHETICAL = _phrases("""what if, if, in case, incase, suppose, supposing, imagine,
    hypothetically, what happens, what would happen, what should i do, is it possible,
    can you get, could i get, can i get, will i get, would i get, do people get,
    can people get, exercises cause, exercise cause, these cause, this cause, it cause,
    they cause, can cause, could cause, would cause, warning signs, signs of, symptoms of,
    when should i, how do i know, how would i know, how will i know, risk of, chance of,
    prevent, avoid, watch for, watch out for, look out for, keep an eye out for,
    warned me about, in the future""")
NOT_IF = _set("even as only see check wonder wondering sure know tell unsure ask")
FIRST_PERSON = _set("i me myself mine we us our ours")
THIRD_PERSON = _set("""he she they him her his hers them their theirs himself herself
    themselves someone somebody""")
PETS = _set("cat dog puppy kitten pet horse")  # only after "my": "cat camel" is an exercise
GENERIC = _set("you anyone anybody people everyone everybody")
RELATIONS = _set("""friend husband wife partner mum mother dad daddy father son daughter
    brother sister kid kids child children baby boyfriend girlfriend grandma grandmother
    grandpa grandfather gran granny nan nana grandad granddad uncle aunt auntie cousin
    neighbour neighbor colleague coworker boss roommate flatmate housemate fiance fiancee
    niece nephew grandson granddaughter buddy mate spouse parent parents family teammate
    classmate mil fil stepdad stepmum client""")
# Real words a slip-matcher would otherwise read as a catalogue word (checked against a
# dictionary: changed letters already count double, these are the ones left).
NOT_TYPOS = _set("""backed backing stroked strokes stroking tipped tipping taking seating
    selling spelling smelling shelling stared stated staring stating starving soothing
    shouting sipped cashed chill rippling sharing sharking sharping sheering smearing
    spearing bowls skipped""")


@dataclass
class Words:
    """A message as words, with the sentence and clause of each, and which clauses asked."""

    words: list[str] = field(default_factory=list)
    sentence: list[int] = field(default_factory=list)
    clause: list[int] = field(default_factory=list)
    asked: set[int] = field(default_factory=set)  # clauses that ended with "?"


def _spell(tokens: list[str]) -> list[str]:
    text = " ".join(_SPELLINGS.get(token, token).replace("_", " ") for token in tokens)
    return _CANNOT.sub("cannot", text).split()


def tokens(text: str) -> list[str]:
    """Lower-case plain words with '.', ',' and '?' as marks; contractions spelled out."""
    text = text[:MAX_CHARS]
    for emoji, word in _EMOJI.items():
        text = text.replace(emoji, word)
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch)).casefold()
    plain = _UNIT.sub(r"\1 \2", _DECIMAL.sub(r"\1\2", _APOSTROPHES.sub("", plain)))
    plain = _MARKS.sub(lambda m: {"?": " ? "}.get(m.group()[0], " . " if m.group()[0] in
                                                 ".!;\n\r…" else " , "), plain)
    return _spell(_NOT_WORD.sub(" ", plain).replace("_", " ").split())


def read(text: str) -> Words:
    """Split a message into words, sentences (. ! ? ; but) and clauses (, and+subject)."""
    out = Words()
    raw = tokens(text)
    sentence = clause = 0
    for i, token in enumerate(raw):
        if token in (".", "?"):
            if token == "?":
                out.asked.add(clause)
            sentence, clause = sentence + 1, clause + 1
        elif token == ",":
            clause += 1
        elif token in SENTENCE_WORDS:
            sentence, clause = sentence + 1, clause + 1
        elif (token in CLAUSE_WORDS and i + 1 < len(raw) and raw[i + 1] in STARTERS
              and (i == 0 or raw[i - 1] not in ("me", "i"))):  # "me and my husband"
            clause += 1
        else:
            out.words.append(token)
            out.sentence.append(sentence)
            out.clause.append(clause)
    return out


def find_phrases(words: list[str], phrases: tuple[str, ...]) -> list[int]:
    """Positions where any of the phrases starts."""
    split = [p.split() for p in phrases]
    found = []
    for i in range(len(words)):
        for phrase in split:
            if words[i:i + len(phrase)] == phrase:
                found.append(i)
                break
    return found


def parse_pattern(text: str) -> Pattern:
    """'numb/tingl* + arm/hand' -> parts of slots; ValueError when malformed."""
    parts: list[Part] = []
    for raw_part in text.split(" + "):
        slots: list[Slot] = []
        for raw_slot in raw_part.split():
            choices: set[str] = set()
            for choice in raw_slot.split("/"):
                star = choice.endswith("*")
                spelled = tokens(choice.rstrip("*"))
                if len(spelled) != 1 or (star and len(spelled[0]) < 3):
                    raise ValueError(f"pattern {text!r}: cannot read {choice!r}")
                choices.add(spelled[0] + ("*" if star else ""))
            slots.append(frozenset(choices))
        if not slots:
            raise ValueError(f"pattern {text!r}: an empty part")
        parts.append(tuple(slots))
    return tuple(parts)


def _distance(a: str, b: str) -> int:
    """Edits between two words: a letter missing, added, or two swapped count one; a letter
    changed counts two, because changed letters make other real words ('skipped', 'slipped')."""
    before, row = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 2 * (a[i - 1] != b[j - 1])
            current[j] = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + cost)
            if (before is not None and i > 1 and j > 1 and a[i - 1] == b[j - 2]
                    and a[i - 2] == b[j - 1]):
                current[j] = min(current[j], before[j - 2] + 1)
        before, row = row, current
    return row[len(b)]


def is_typo(typed: str, word: str) -> bool:
    """'numbnes' for 'numbness', 'chset' for 'chest'; never for real words like 'never'."""
    shorter = min(len(typed), len(word))
    if typed == word or shorter < 5 or typed[0] != word[0] or typed in NOT_TYPOS:
        return False
    allowed = 2 if shorter >= 8 else 1
    if abs(len(typed) - len(word)) > allowed or not typed.isalpha():
        return False
    if max(len(typed), len(word)) == 5 and sorted(typed) != sorted(word):
        return False  # five-letter words: only two swapped letters ("chset")
    return _distance(typed, word) <= allowed


def not_negating(following: list[str]) -> bool:
    """'not sure', 'not really sure', 'no idea': a negation word that negates no sign."""
    if following[:1] == ["really"]:
        following = following[1:]
    return bool(following) and following[0] in NOT_NEGATING


def _relation(word: str) -> bool:
    return word in RELATIONS or (word.endswith("s") and word[:-1] in RELATIONS)


def _with_me(near: list[str]) -> bool:
    """'me and my husband', 'my wife and I': the person is one of them."""
    padded = ["", *near, ""]
    return any(word == "and" and bool({padded[j - 1], padded[j + 1]} & FIRST_PERSON)
               for j, word in enumerate(padded) if word)


def who(w: Words, start: int, end: int) -> str:
    """Whose sign the words start..end are: the nearest person named before them in the
    sentence ('my husband', 'she', 'you'), else a his/her right after; the person's own by
    default. Returns 'self', 'someone_else' or 'hypothetical' (people in general)."""
    words, sentence = w.words, w.sentence
    for i in range(start - 1, -1, -1):
        if sentence[i] != sentence[start]:
            break
        word = words[i]
        if word in FIRST_PERSON:
            return "self"
        if word == "my":
            near = words[i + 1:min(i + 4, start)]
            other = any(map(_relation, near)) or (bool(near) and near[0] in PETS)
            return "someone_else" if other else "self"
        if _relation(word) or word in THIRD_PERSON:
            return "self" if _with_me(words[max(i - 3, 0):i + 3]) else "someone_else"
        if word in GENERIC:
            return "hypothetical"
    for i in range(start, min(end + 4, len(words))):
        if sentence[i] == sentence[start] and words[i] in ("his", "her", "their"):
            return "someone_else"
    return "self"


class Vocabulary:
    """The catalogue's words; reads a typed word as the catalogue words it stands for."""

    def __init__(self, keys: Iterable[str]) -> None:
        keys = set(keys)
        self.words = frozenset(k for k in keys if not k.endswith("*"))
        self.prefixes = tuple(sorted(k[:-1] for k in keys if k.endswith("*")))
        self.near: dict[tuple[str, int], list[str]] = {}
        for word in self.words:
            self.near.setdefault((word[0], len(word)), []).append(word)
        self.seen: dict[str, frozenset[str]] = {}

    def keys(self, word: str) -> frozenset[str]:
        """'numbnes' -> {'numbness'}; 'tingly' -> {'tingl*'}; unknown words -> nothing."""
        found = self.seen.get(word)
        if found is None:
            keys = {word} & self.words | {p + "*" for p in self.prefixes if word.startswith(p)}
            if len(word) >= 5:
                for size in range(len(word) - 2, len(word) + 3):
                    keys.update(w for w in self.near.get((word[0], size), ())
                                if is_typo(word, w))
            found = frozenset(keys)
            if len(self.seen) < 50_000:  # bounded: a flood of random words cannot grow it
                self.seen[word] = found
        return found


def negations(w: Words) -> tuple[set[int], set[int]]:
    """Where a negation word negates a sign, and which clauses continue a negated list.

    Not negations: 'not sure', 'never had this before', 'cannot turn without feeling dizzy'.
    A clause continues a negated list when the clause before was negated and it goes on
    with 'or'/'nor' soon: 'no numbness, tingling, or weakness'.
    """
    words, clause, sentence = w.words, w.clause, w.sentence
    members: dict[int, list[int]] = {}
    for i, c in enumerate(clause):
        members.setdefault(c, []).append(i)
    found = set()
    for i, word in enumerate(words):
        same = members[clause[i]]
        if word not in NEGATIONS or not_negating(words[i + 1:i + 3]):
            continue
        if word == "never" and any(j > i and words[j] in NOVELTY for j in same):
            continue
        if word == "without" and any(j < i and words[j] == "cannot" for j in same):
            continue
        found.add(i)
    negated, listed = {clause[i] for i in found}, set()
    for c, positions in members.items():
        previous = members.get(c - 1)
        if (previous and (c - 1 in negated or c - 1 in listed)
                and sentence[previous[0]] == sentence[positions[0]]
                and words[positions[0]] not in STARTERS
                and any(words[i] in ("or", "nor") for d in range(c, c + 3)
                        for i in members.get(d, ()))):
            listed.add(c)
    return found, listed
