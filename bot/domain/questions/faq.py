"""Common questions about the program: which one a message asks, read from content's cues.

Each topic (content/answers.toml, its words in content/locales/<lang>/answers.toml) has, per
language, groups of cue phrases: a message asks that topic when it holds a phrase of every
group ("missed yesterday, is that bad": "missed" for *missing*, "yesterday" for *a day*).
When several topics match, one for the provider wins (safer to send a clinical question to
the person's clinician), then the one needing more groups (more specific), then the first
in the file. `explain()` says which words matched which group.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.domain.understanding.phrases import find_phrase, words_of

KINDS = ("answer", "provider")  # answered from content / "that's one for your provider"
MAX_WORDS = 40  # a long story is not a quick question about the program


@dataclass(frozen=True)
class Topic:
    """One common question: how it is answered, its source, and its cues in each language."""

    id: str
    kind: str
    source: str
    # One entry per language: groups, each a set of phrases (each phrase its cue words).
    cues: tuple[tuple[tuple[tuple[str, ...], ...], ...], ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, not {self.kind!r}")


@dataclass(frozen=True)
class Match:
    """The topic a message asks, and for each cue group the words that matched it."""

    topic: Topic
    matched: tuple[str, ...]


@dataclass(frozen=True)
class Answers:
    """Every topic, in the order of the content file."""

    topics: tuple[Topic, ...] = field(default_factory=tuple)
    # Triage rules meaning "a question about the program": their answer may carry ours.
    with_rules: frozenset[str] = frozenset()

    def match(self, text: str) -> Match | None:
        """The topic this message asks about, or None."""
        words = words_of(text)
        if not words or len(words) > MAX_WORDS:
            return None
        found: list[tuple[tuple[int, int, int], Match]] = []
        for order, topic in enumerate(self.topics):
            for groups in topic.cues:
                matched = _all_groups(groups, words)
                if matched is not None:
                    rank = (topic.kind == "provider", len(groups), -order)
                    found.append((rank, Match(topic, matched)))
                    break
        return max(found, key=lambda pair: pair[0])[1] if found else None

    def topic(self, topic_id: str) -> Topic | None:
        """The topic with this id."""
        return next((t for t in self.topics if t.id == topic_id), None)


def _all_groups(groups: tuple[tuple[tuple[str, ...], ...], ...],
                words: tuple[str, ...]) -> tuple[str, ...] | None:
    """For each group the words of its first phrase found in the message, or None."""
    matched: list[str] = []
    for group in groups:
        for phrase in group:
            start = find_phrase(phrase, words)
            if start is not None:
                matched.append(" ".join(words[start:start + len(phrase)]))
                break
        else:
            return None
    return tuple(matched)


def explain(answers: Answers, text: str) -> str:
    """One line saying what the matcher read: the topic and the words for each group."""
    found = answers.match(text)
    if found is None:
        return "no topic"
    return f"{found.topic.id} ({found.topic.kind}): " + " + ".join(
        repr(w) for w in found.matched)
