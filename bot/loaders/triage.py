"""Load the warning-sign triage: content/triage.toml (the rules) and every language's
content/locales/<language>/triage.toml (the words), read with bot/language/."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import Any

from bot.domain.triage import Catalogue, Level, Lexicon, Reader, Rule, Triage
from bot.domain.triage.lexicon import parse_terms, plain
from bot.language.guess import LinguaGuesser
from bot.language.words import DictionaryWords
from bot.loaders.files import ContentError, read_toml, validated
from content import CONTENT_DIR

_LEVELS = ", ".join(level.label for level in Level if level != Level.NONE)
_RULE_FIELDS = set(Rule.__dataclass_fields__)
_CATALOGUE_FIELDS = set(Catalogue.__dataclass_fields__)
_LEXICON_FIELDS = set(Lexicon.__dataclass_fields__)


def _check_fields(data: dict[str, Any], path: Path) -> None:
    """Unknown keys are mistakes ('wen'): name them instead of ignoring them."""
    for key in sorted(set(data) - _CATALOGUE_FIELDS):
        raise ContentError(f"{path}: {key}: unknown field")
    rules = data.get("rules")
    if not isinstance(rules, list):
        return
    for index, rule in enumerate(rules):
        if isinstance(rule, dict):
            for key in sorted(set(rule) - _RULE_FIELDS):
                raise ContentError(f"{path}: rules.{index}.{key}: unknown field "
                                   f"(rule {rule.get('id', '?')})")
            level = rule.get("level")
            if isinstance(level, str) and level not in {lv.label for lv in Level} - {"none"}:
                raise ContentError(f"{path}: rules.{index}.level: {level!r} is not one of "
                                   f"{_LEVELS} (rule {rule.get('id', '?')})")


def load_catalogue(path: Path = CONTENT_DIR / "triage.toml") -> Catalogue:
    """Read the rule catalogue, or raise ContentError naming the file and the field."""
    data = read_toml(path)
    _check_fields(data, path)
    catalogue: Catalogue = validated(Catalogue, data, path)
    return catalogue


def load_lexicon(path: Path) -> Lexicon:
    """Read one language's triage words, or raise ContentError naming the file and field."""
    data = read_toml(path)
    for key in sorted(set(data) - _LEXICON_FIELDS):
        raise ContentError(f"{path}: {key}: unknown field")
    lexicon: Lexicon = validated(Lexicon, data, path)
    if lexicon.language != path.parent.name:
        raise ContentError(f"{path}: language: {lexicon.language!r} in the folder of "
                           f"{path.parent.name!r}")
    return lexicon


def reader_for(lexicon: Lexicon, slips_of: Lexicon | None = None) -> Reader:
    """A lexicon compiled for reading, with the dictionary of its language; a typed word
    may be read as a slip of a word of `slips_of` (by default the lexicon itself)."""
    vocabulary = {plain(word) for word in (slips_of or lexicon).literal_words()}
    return Reader(lexicon, DictionaryWords(lexicon.language, vocabulary))


def mixed_lexicon(lexicon: Lexicon, others: Iterable[Lexicon]) -> Lexicon:
    """The lexicon with the other languages' concept terms added where they hold a word
    that is no word of this language ("chest", not "pie"): people mix languages ("me
    duele el chest"), and a borrowed word that is also one of ours would misread ours."""
    own = {plain(word) for word in lexicon.literal_words()}
    own |= {plain(word) for words in lexicon.words.values() for word in words}

    def foreign(term: str) -> bool:
        written = [choice.rstrip("*") for one in parse_terms(term) for sequence in one
                   for slot in sequence for choice in slot if choice.rstrip("*").isalpha()]
        return any(word not in own for word in written)

    concepts = {name: (*terms, *(term for other in others
                                 for term in other.concepts.get(name, ())
                                 if term not in terms and foreign(term)))
                for name, terms in lexicon.concepts.items()}
    return dataclasses.replace(lexicon, concepts=concepts)


# The languages whose triage words decide what a message means. Every language's words are
# loaded and checked at start, but a new one decides only once its blind corpus meets the
# same bars as English (README, "Triage accuracy"); until then a message written in it is
# answered as one the bot cannot read, with the emergency number, as before it had words.
DECIDING = frozenset({"en", "es"})
# The languages whose messages are also read with the other languages' concept words.
MIXED = frozenset({"en", "es"})


def load_triage(root: Path = CONTENT_DIR, rules: Path | None = None,
                deciding: Collection[str] = DECIDING) -> Triage:
    """The rules and the deciding languages under root/locales, ready to decide messages;
    every other language's words are checked too, and a fault in them refused."""
    catalogue = load_catalogue(rules or root / "triage.toml")
    lexicons = {}
    for folder in sorted(p for p in (root / "locales").iterdir() if p.is_dir()):
        path = folder / "triage.toml"
        lexicon = load_lexicon(path)
        missing = sorted(catalogue.concepts - set(lexicon.concepts))
        if missing:
            raise ContentError(f"{path}: {lexicon.language}: the rules name concepts this "
                               f"language lacks: {missing}")
        if lexicon.language in deciding:
            lexicons[lexicon.language] = lexicon
    readers = {language: reader_for(lexicon) for language, lexicon in lexicons.items()}
    # A borrowed word is read as typed, never as a slip ("numa" is no "numb").
    mixed = {language: reader_for(mixed_lexicon(lexicon, [
        other for name, other in lexicons.items() if name != language]), slips_of=lexicon)
        for language, lexicon in lexicons.items() if language in MIXED and len(lexicons) > 1}
    try:
        return Triage(catalogue, readers, LinguaGuesser(), mixed)
    except ValueError as error:
        raise ContentError(f"{root / 'locales'}: {error}") from None
