"""The user-facing strings of each language, looked up by key (loaded from content/locales)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

_PLACEHOLDER = re.compile(r"(?<!\{)\{(\w+)\}(?!\})")


def placeholders(template: str) -> frozenset[str]:
    """The {names} a string expects."""
    return frozenset(_PLACEHOLDER.findall(template))


@dataclass(frozen=True)
class Texts:
    """All strings of one language, flattened to dotted keys."""

    language: str
    strings: Mapping[str, str]

    def template(self, key: str) -> str:
        """The raw string for a key; a missing key is a bug caught at load and in tests."""
        return self.strings[key]


@dataclass(frozen=True)
class Locales:
    """Every loaded language, and which to use for a person's Telegram language code."""

    by_language: Mapping[str, Texts]
    default: str = "en"

    def pick(self, language_code: str | None) -> str:
        """The best language we have for 'pt-BR', 'en', None..."""
        if language_code:
            base = language_code.split("-")[0].lower()
            if base in self.by_language:
                return base
        return self.default

    def texts(self, language: str) -> Texts:
        """The strings of a language, falling back to the default one."""
        return self.by_language.get(language) or self.by_language[self.default]
