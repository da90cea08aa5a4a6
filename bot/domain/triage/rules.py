"""The rule catalogue: warning signs as combinations of concepts, in no language.

content/triage.toml is validated into these dataclasses; the words that express each
concept live in content/locales/<language>/triage.toml (see lexicon.py).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from typing import Literal, get_args

from bot.domain.triage.levels import Level

# One part of an expression: any of these concepts ("pain|pressure").
Part = frozenset[str]
# Concepts found close together in one sentence ("chest + pain|pressure").
Expression = tuple[Part, ...]
Response = Literal["medical", "crisis"]  # a crisis gets the crisis answer, not medical advice
RESPONSES: tuple[Response, ...] = get_args(Response)
_NAME = re.compile(r"[a-z][a-z0-9_]*")


def parse_expression(text: str) -> Expression:
    """'chest + pain|pressure' -> ({'chest'}, {'pain', 'pressure'}); ValueError if malformed."""
    parts = []
    for raw in text.split(" + "):
        names = frozenset(name.strip() for name in raw.split("|"))
        if not names or not all(_NAME.fullmatch(name) for name in names):
            raise ValueError(f"expression {text!r}: cannot read {raw!r}")
        parts.append(names)
    return tuple(parts)


@dataclass(frozen=True)
class Rule:
    """One warning sign: its level, its family, its source, and the concepts that mean it.

    It matches when any `when` expression is found in one sentence, when every `all_of`
    group matches somewhere in the message, or when `at_least` of the `of` expressions
    do. The fields are explained at the top of content/triage.toml.
    """

    id: str
    family: str
    level: Level
    source: str
    when: tuple[str, ...] = ()
    all_of: tuple[tuple[str, ...], ...] = ()
    at_least: int = 0
    of: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()
    unless_said: tuple[str, ...] = ()
    background: tuple[str, ...] = ()
    resolved: Level = Level.NONE
    explainable: bool = False
    hypothetical_counts: bool = False
    confirm: bool = True
    # A str, checked below against RESPONSES: content is validated into this class, and a
    # Literal would answer a bad catalogue in pydantic's words instead of naming the rule.
    response: str = "medical"

    def __post_init__(self) -> None:
        for name in (self.id, self.family):
            if not _NAME.fullmatch(name):
                raise ValueError(f"{name!r}: use lower-case letters, digits and _")
        if self.level == Level.NONE:
            raise ValueError(f"rule {self.id}: level must be call_doctor, urgent or emergency")
        if self.resolved > self.level:
            raise ValueError(f"rule {self.id}: resolved cannot be above the rule's level")
        if not self.source.strip():
            raise ValueError(f"rule {self.id}: name the source it rests on")
        if not self.when and not self.all_of and not self.at_least:
            raise ValueError(f"rule {self.id}: needs when, all_of or at_least")
        if any(not group for group in self.all_of) or len(self.all_of) == 1:
            raise ValueError(f"rule {self.id}: all_of needs two groups or more, none empty")
        if self.at_least and not 2 <= self.at_least <= len(self.of):
            raise ValueError(f"rule {self.id}: at_least must be 2 to the number of `of`")
        if self.response not in RESPONSES:
            raise ValueError(f"rule {self.id}: response must be one of {RESPONSES}")
        try:
            self.expressions  # noqa: B018  (parsing checks every expression)
        except ValueError as error:
            raise ValueError(f"rule {self.id}: {error}") from None

    @cached_property
    def expressions(self) -> tuple[tuple[Expression, ...], tuple[tuple[Expression, ...], ...],
                                   tuple[Expression, ...]]:
        """(when, all_of groups, of), parsed."""
        return (tuple(map(parse_expression, self.when)),
                tuple(tuple(map(parse_expression, group)) for group in self.all_of),
                tuple(map(parse_expression, self.of)))

    @property
    def concepts(self) -> frozenset[str]:
        """Every concept the rule names: each must exist in every language's lexicon."""
        when, groups, of = self.expressions
        named = {name for expression in (*when, *of, *(e for g in groups for e in g))
                 for part in expression for name in part}
        return frozenset(named | set(self.unless) | set(self.unless_said)
                         | set(self.background))


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

    @property
    def concepts(self) -> frozenset[str]:
        """Every concept any rule names."""
        return frozenset().union(*(rule.concepts for rule in self.rules))
