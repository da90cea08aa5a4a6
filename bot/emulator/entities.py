"""Entity bookkeeping in UTF-16 code units, the unit of entity offsets and lengths."""

from __future__ import annotations

import re
from typing import Any

Entity = dict[str, Any]

# Telegram trims these from both ends of a message; a message of only these is "empty".
_SPACES = " \t\n\r\v\f\x00"

_AUTO_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "bot_command",
        re.compile(r"(?<![\w/<>])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![\w/<>])"),
    ),
    ("url", re.compile(r"(?<![\w@])https?://[^\s<>\"]+[^\s<>\".,;:!?)\]'}]")),
    ("mention", re.compile(r"(?<![\w@])@[A-Za-z][A-Za-z0-9_]{3,31}\b")),
)
# Inside these the text is shown literally, so Telegram finds no links or commands there.
_OPAQUE = {"code", "pre", "text_link", "url", "bot_command", "mention", "text_mention"}


def utf16_len(text: str) -> int:
    """Length of text in UTF-16 code units (astral characters count twice)."""
    return len(text.encode("utf-16-le")) // 2


def utf16_offsets(text: str) -> list[int]:
    """UTF-16 offset of each character index of text, plus one for the end."""
    offsets = [0]
    for ch in text:
        offsets.append(offsets[-1] + (2 if ord(ch) > 0xFFFF else 1))
    return offsets


def sort_entities(entities: list[Entity]) -> list[Entity]:
    """Order entities as Telegram returns them: by offset, longer first."""
    return sorted(entities, key=lambda e: (int(e["offset"]), -int(e["length"])))


def trim(text: str, entities: list[Entity]) -> tuple[str, list[Entity]]:
    """Strip surrounding whitespace as Telegram does, shifting and clipping entities."""
    stripped = text.strip(_SPACES)
    if not stripped:
        return "", []
    lead = utf16_len(text[: len(text) - len(text.lstrip(_SPACES))])
    new_len = utf16_len(stripped)
    kept: list[Entity] = []
    for entity in entities:
        start = max(int(entity["offset"]) - lead, 0)
        end = min(int(entity["offset"]) + int(entity["length"]) - lead, new_len)
        if end > start:
            kept.append({**entity, "offset": start, "length": end - start})
    return stripped, kept


def autodetect(text: str, entities: list[Entity]) -> list[Entity]:
    """Add the commands, links and mentions Telegram finds in plain text by itself."""
    offsets = utf16_offsets(text)
    taken = [
        (int(e["offset"]), int(e["offset"]) + int(e["length"]))
        for e in entities
        if e["type"] in _OPAQUE
    ]
    found: list[Entity] = []
    for kind, pattern in _AUTO_PATTERNS:
        for match in pattern.finditer(text):
            start, end = offsets[match.start()], offsets[match.end()]
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            taken.append((start, end))
            found.append({"type": kind, "offset": start, "length": end - start})
    return sort_entities([*entities, *found])

