"""Load and validate the answers to common questions (content/answers.toml and each
language's locales/<lang>/answers.toml), and the typed words for where it hurts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict, field_validator

from bot.domain.questions.faq import KINDS, Answers, Topic
from bot.domain.understanding.phrases import phrase_words
from bot.loaders.files import ContentError, load


class _TopicRule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: str
    source: str

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, value: str) -> str:
        if value not in KINDS:
            raise ValueError(f"must be one of {', '.join(KINDS)}")
        return value


class _Rules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    answer_with_rules: tuple[str, ...] = ()
    sources: dict[str, str]
    topics: dict[str, _TopicRule]


class _TopicText(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    answer: str
    cues: tuple[tuple[str, ...], ...]
    examples: tuple[str, ...]


class _LanguageAnswers(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    sources: dict[str, str]
    topics: dict[str, _TopicText]


Groups = tuple[tuple[tuple[str, ...], ...], ...]


def _groups(cues: Iterable[Iterable[str]], where: str) -> Groups:
    """Cue groups as phrases of cue words; an empty group or phrase is refused."""
    groups = []
    for number, group in enumerate(cues):
        phrases = tuple(phrase_words(p) for p in group)
        if not phrases or any(not p for p in phrases):
            raise ContentError(f"{where}.cues.{number}: an empty group or phrase")
        groups.append(phrases)
    if not groups:
        raise ContentError(f"{where}.cues: at least one group is needed")
    return tuple(groups)


def load_answers(root: Path, folders: Iterable[Path]) -> tuple[Answers, dict[str, dict[str,
                                                                                   str]]]:
    """The topics with every language's cues, and each language's strings for them.

    Refused: a topic without text in a language, text for an unknown topic, a source that is
    not listed or has no name, and an example that is not read as its own topic.
    """
    rules_file = root / "answers.toml"
    rules: _Rules = load(_Rules, rules_file)
    for topic_id, rule in rules.topics.items():
        if rule.source not in rules.sources:
            raise ContentError(f"{rules_file}: topics.{topic_id}.source: "
                               f"{rule.source!r} is not in [sources]")
    cues: dict[str, list[Groups]] = {topic_id: [] for topic_id in rules.topics}
    strings: dict[str, dict[str, str]] = {}
    examples: list[tuple[Path, str, str]] = []
    for folder in folders:
        path = folder / "answers.toml"
        language: _LanguageAnswers = load(_LanguageAnswers, path)
        _same_ids(path, "topics", rules.topics, language.topics)
        _same_ids(path, "sources", rules.sources, language.sources)
        texts = strings.setdefault(folder.name, {})
        for topic_id, text in language.topics.items():
            cues[topic_id].append(_groups(text.cues, f"{path}: topics.{topic_id}"))
            texts[f"answers.{topic_id}"] = text.answer
            examples.extend((path, topic_id, e) for e in text.examples)
        for source_id, name in language.sources.items():
            texts[f"answers.source.{source_id}"] = name
    answers = Answers(tuple(Topic(t, r.kind, r.source, tuple(cues[t]))
                            for t, r in rules.topics.items()),
                      frozenset(rules.answer_with_rules))
    for path, topic_id, example in examples:
        found = answers.match(example)
        if found is None or found.topic.id != topic_id:
            read = found.topic.id if found else "no topic"
            raise ContentError(f"{path}: topics.{topic_id}.examples: {example!r} "
                               f"is read as {read}")
    return answers, strings


def check_rules(answers: Answers, rule_ids: Iterable[str], root: Path) -> None:
    """Every triage rule named in answer_with_rules exists."""
    for rule in sorted(answers.with_rules - set(rule_ids)):
        raise ContentError(f"{root / 'answers.toml'}: answer_with_rules: {rule!r} is not a "
                           "triage rule")


def _same_ids(path: Path, table: str, wanted: Mapping[str, object],
              found: Mapping[str, object]) -> None:
    for name in sorted(set(wanted) - set(found)):
        raise ContentError(f"{path}: {table}.{name}: missing")
    for name in sorted(set(found) - set(wanted)):
        raise ContentError(f"{path}: {table}.{name}: not in {path.parents[2] / 'answers.toml'}")


def load_place_words(table: Mapping[str, object], places: Iterable[str],
                     path: Path) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Typed phrases for each pain place ([pain_places] of words.toml); only known places."""
    known = set(places)
    read: dict[str, tuple[tuple[str, ...], ...]] = {}
    for place, phrases in table.items():
        if place not in known:
            raise ContentError(f"{path}: pain_places.{place}: not one of program.toml's "
                               "pain_places")
        if not isinstance(phrases, list) or not all(isinstance(p, str) for p in phrases):
            raise ContentError(f"{path}: pain_places.{place}: expected a list of phrases")
        cues = tuple(phrase_words(p) for p in phrases)
        if any(not cue for cue in cues):
            raise ContentError(f"{path}: pain_places.{place}: an empty phrase")
        read[place] = cues
    return read
