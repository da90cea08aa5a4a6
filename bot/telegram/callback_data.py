"""Callback data for inline buttons: a short versioned code naming an action, its argument
and the conversation revision the button was drawn for, well under Telegram's 64 bytes."""

from __future__ import annotations

import re

from bot.domain.engine.events import Press

VERSION = "1"
MAX_BYTES = 64
_PART = re.compile(r"^[A-Za-z0-9_.\-]{0,40}$")


def encode(action: str, arg: str, revision: int) -> str:
    """'1|toggle|bird_dog|7'; raises ValueError for parts that cannot round-trip."""
    if not action or not _PART.match(action) or not _PART.match(arg) or revision < 0:
        raise ValueError(f"cannot encode button {action!r} {arg!r} {revision}")
    data = f"{VERSION}|{action}|{arg}|{revision}"
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data too long: {data!r}")
    return data


def decode(data: str | None) -> Press | None:
    """The press a callback carries, or None when it is not one of ours (forged, old format)."""
    if not data or len(data.encode()) > MAX_BYTES:
        return None
    parts = data.split("|")
    if len(parts) != 4 or parts[0] != VERSION:
        return None
    _, action, arg, revision = parts
    if not action or not _PART.match(action) or not _PART.match(arg) or not revision.isdigit():
        return None
    return Press(action, arg, int(revision))
