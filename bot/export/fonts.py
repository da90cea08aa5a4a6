"""The PDF's font (DejaVu Sans, shipped inside matplotlib) and text made safe for it.

DejaVu covers Latin, Greek and Cyrillic but no CJK and few emoji. fpdf2 would draw a
missing glyph as an empty box, so text is rewritten first: emoji as their names in
brackets, anything else the font lacks as U+FFFD, and the caller is told something was lost.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import matplotlib
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]  # fontTools ships no types

FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
REGULAR = FONT_DIR / "DejaVuSans.ttf"
BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"
PLACEHOLDER = "\ufffd"

# Pairs of regional indicator letters are flags: "🇵🇹" reads better as "[flag PT]".
_FLAG = re.compile("([\U0001f1e6-\U0001f1ff])([\U0001f1e6-\U0001f1ff])")
_SPACE = re.compile(r"[ \t]+")
_SKIN_TONES = range(0x1F3FB, 0x1F400)
# Presentation selectors and tags change how an emoji looks, not what it says.
_INVISIBLE = frozenset(range(0xFE00, 0xFE10)) | frozenset(range(0xE0020, 0xE0080))


@dataclass(frozen=True)
class Printable:
    """Text the font can draw, and whether anything had to be replaced to get there."""

    text: str
    replaced: bool


@cache
def covered() -> frozenset[int]:
    """Code points both the regular and the bold face can draw (read once: it takes ~0.1 s)."""
    regular, bold = (_code_points(path) for path in (REGULAR, BOLD))
    return regular & bold


def _code_points(path: Path) -> frozenset[int]:
    """The characters a TrueType font has a glyph for, from its cmap."""
    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())


def printable(text: str) -> Printable:
    """`text` with line breaks kept, control characters gone and missing glyphs replaced."""
    normalised = unicodedata.normalize("NFC", text.replace("\r\n", "\n"))
    flagged = _FLAG.sub(_flag_name, normalised)
    drawable = covered()
    parts = [_replacement(ch, drawable) for ch in flagged]
    replaced = flagged != normalised or any(lost for _, lost in parts)
    lines = (_SPACE.sub(" ", line).strip() for line in "".join(p for p, _ in parts).split("\n"))
    return Printable("\n".join(line for line in lines if line), replaced)


def _flag_name(match: re.Match[str]) -> str:
    """'[flag PT]' for the two regional indicators of a flag."""
    letters = "".join(chr(ord(ch) - 0x1F1E6 + ord("A")) for ch in match.groups())
    return f"[flag {letters}]"


def _replacement(ch: str, drawable: frozenset[int]) -> tuple[str, bool]:
    """What to draw for one character, and whether that loses something the person wrote."""
    category = unicodedata.category(ch)
    if ch in "\n\r\u2028\u2029":
        return "\n", False
    if ch == "\t" or category == "Zs":
        return (ch if ord(ch) in drawable else " "), False
    # Controls, format marks (bidi overrides, joiners), selectors, skin tones, keycap frames.
    if category in ("Cc", "Cf", "Me") or ord(ch) in _INVISIBLE or ord(ch) in _SKIN_TONES:
        return "", False
    if ord(ch) in drawable and category != "Cs":
        return ch, False
    # An accented letter the font lacks precomposed may still be drawable as letter + accent.
    parts = unicodedata.normalize("NFD", ch)
    if len(parts) > 1 and all(ord(part) in drawable for part in parts):
        return parts, False
    name = unicodedata.name(ch, "")
    if category == "So" and name:
        return f"[{name.lower()}]", True
    return PLACEHOLDER, True
