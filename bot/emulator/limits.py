"""Reads the limits the Bot API documentation states in prose into values the emulator checks.

Each parameter's and field's description in the spec is searched for the few ways the
documentation words a limit: "1-4096 characters after entities parsing", "1-64 bytes",
"Values between 1-100 are accepted", "1-100. Defaults to 40", "At most 100 commands",
'must be one of "danger" (red), ...', "must be default", "Choose one ...: typing for text
messages, ...", "A two-letter ISO 639-1 language code", "See Update for a complete list",
"at most 10 MB in size", "must not exceed 10000 in total", "ratio must be at most 20".
A type's description may say which of its fields exclude each other ("Exactly one of the
fields other than text, ... must be used").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MB = 1 << 20  # Telegram's "MB" is a mebibyte (tdlib: MAX_PHOTO_SIZE = 10 * (1 << 20))


@dataclass(frozen=True)
class Length:
    """A string's allowed length, in characters (code points) or UTF-8 bytes."""

    low: int
    high: int
    unit: str  # "characters" or "bytes"
    after_parsing: bool  # counted on the text left once the entities are parsed out

    def measure(self, text: str) -> int:
        """The length of text in this limit's unit."""
        return len(text.encode("utf-8")) if self.unit == "bytes" else len(text)


@dataclass(frozen=True)
class Limits:
    """Everything a description says about the values a parameter or field may take."""

    length: Length | None = None
    range: tuple[int, int] | None = None
    max_items: int | None = None
    one_of: frozenset[str] | None = None
    language_code: bool = False
    update_types: bool = False
    max_file_bytes: int | None = None
    max_width_plus_height: int | None = None
    max_ratio: int | None = None


@dataclass(frozen=True)
class Exclusive:
    """A type's rule that exactly one (or at most one) of some fields may be used."""

    fields: tuple[str, ...]
    exactly: bool


_LENGTH = re.compile(r"\b(\d+)-(\d+) (characters|bytes)( after entit(?:y|ies) parsing)?")
_RANGE = (
    re.compile(r"[Vv]alues between (\d+)-(\d+) are accepted"),
    re.compile(r"[,;] (\d+)-(\d+)\. Defaults to"),
)
_MAX_ITEMS = re.compile(r"At most (\d+) \w+ can be specified")
# The list runs to the end of its sentence: a full stop before a capital letter, or the end.
_QUOTED_CHOICE = re.compile(r"(?:[Mm]ust be one of|can be) (.*?)(?:\. [A-Z]|$)")
_QUOTED = re.compile(r'"([a-z_A-Z]+)"')
_CONSTANT = re.compile(r"\btype, must be ([a-z_]+)$")
_CHOOSE = re.compile(r"Choose one, [^:]*: (.*?)\.?$")
_CHOICE_WORD = re.compile(r"(?:^|, | or )([a-z_]+)(?= for | or )")
_FILE_SIZE = re.compile(r"must be at most (\d+) MB in size")
_DIMENSIONS = re.compile(r"width and height must not exceed (\d+) in total")
_RATIO = re.compile(r"ratio must be at most (\d+)")
_METHOD_FILE_SIZE = re.compile(r"send files of any type of up to (\d+) MB in size")
_EXCLUSIVE = re.compile(
    r"(Exactly|At most) one of the fields (other than )?([a-z_, ]+?) must be used"
)


def _choices(description: str) -> frozenset[str] | None:
    quoted = _QUOTED_CHOICE.search(description)
    words = _QUOTED.findall(quoted.group(1)) if quoted else []
    if words:  # "can be used to ..." says nothing about values
        return frozenset(words)
    constant = _CONSTANT.search(description)
    if constant:
        return frozenset({constant.group(1)})
    choose = _CHOOSE.search(description)
    if choose:
        return frozenset(_CHOICE_WORD.findall(choose.group(1)))
    return None


def _range(description: str) -> tuple[int, int] | None:
    for pattern in _RANGE:
        found = pattern.search(description)
        if found:
            return int(found.group(1)), int(found.group(2))
    return None


def field_limits(description: str) -> Limits:
    """The limits one parameter's or field's description states."""
    length = _LENGTH.search(description)
    items = _MAX_ITEMS.search(description)
    size = _FILE_SIZE.search(description)
    dimensions = _DIMENSIONS.search(description)
    ratio = _RATIO.search(description)
    return Limits(
        length=Length(int(length.group(1)), int(length.group(2)), length.group(3),
                      bool(length.group(4))) if length else None,
        range=_range(description),
        max_items=int(items.group(1)) if items else None,
        one_of=_choices(description),
        language_code="two-letter ISO 639-1 language code" in description,
        update_types="See Update for a complete list" in description,
        max_file_bytes=int(size.group(1)) * MB if size else None,
        max_width_plus_height=int(dimensions.group(1)) if dimensions else None,
        max_ratio=int(ratio.group(1)) if ratio else None,
    )


def method_file_limit(description: str) -> int | None:
    """The upload size a method's description allows, in bytes ("up to 50 MB")."""
    found = _METHOD_FILE_SIZE.search(description)
    return int(found.group(1)) * MB if found else None


def exclusive_fields(description: str, field_names: list[str]) -> Exclusive | None:
    """Which fields of a type exclude each other, from the type's description."""
    found = _EXCLUSIVE.search(description)
    if found is None:
        return None
    named = [n.strip() for n in re.split(r", and |, | and | or ", found.group(3)) if n.strip()]
    if found.group(2):  # "other than text, icon_custom_emoji_id, and style"
        group = tuple(n for n in field_names if n not in named)
    else:  # "the fields html or markdown"
        group = tuple(n for n in field_names if n in named)
    return Exclusive(group, exactly=found.group(1) == "Exactly")
