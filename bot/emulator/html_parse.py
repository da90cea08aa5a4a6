"""Telegram's HTML parse mode, following tdlib's parser byte for byte, including its errors."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .entities import Entity, sort_entities
from .errors import parse_error

_TAGS = frozenset({
    "a", "b", "strong", "i", "em", "s", "strike", "del", "u", "ins", "tg-spoiler", "tg-emoji",
    "span", "pre", "code", "blockquote",
})
_SIMPLE = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
    "ins": "underline", "s": "strikethrough", "strike": "strikethrough",
    "del": "strikethrough", "tg-spoiler": "spoiler", "span": "spoiler",
}
_SPACE = b" \t\r\n\x00\x0b"
_NAMED = {b"lt": "<", b"gt": ">", b"amp": "&", b"quot": '"'}
_HOST = re.compile(r"^[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?:[:/?#].*)?$")


@dataclass
class _Open:
    tag: str
    argument: str
    offset: int
    begin: int


def _byte(data: bytes, i: int) -> int:
    # tdlib reads a NUL-terminated string, so reading past the end yields 0.
    return data[i] if i < len(data) else 0


def _is_space(c: int) -> bool:
    return c in _SPACE


def _decode_entity(data: bytes, pos: int) -> tuple[str, int] | None:
    """Decode the character reference at pos, or None when it is not one Telegram knows."""
    end = pos + 1
    if _byte(data, end) == ord("#"):
        end += 1
        value = 0
        if _byte(data, end) == ord("x"):
            end += 1
            while chr(_byte(data, end)) in "0123456789abcdefABCDEF" and _byte(data, end):
                value = value * 16 + int(chr(data[end]), 16)
                end += 1
        else:
            while ord("0") <= _byte(data, end) <= ord("9"):
                value = value * 10 + data[end] - ord("0")
                end += 1
        if value == 0 or value >= 0x10FFFF or end - pos >= 10 or 0xD800 <= value <= 0xDFFF:
            return None
        char = chr(value)
    else:
        while chr(_byte(data, end)).isascii() and chr(_byte(data, end)).isalpha():
            end += 1
        named = _NAMED.get(data[pos + 1 : end])
        if named is None:
            return None
        char = named
    if _byte(data, end) == ord(";"):
        end += 1
    return char, end


def checked_link(url: str) -> str | None:
    """Telegram's URL normalisation: bare hosts get http://, junk yields no link."""
    if re.match(r"^(https?|tg|ftp|mailto|tel):", url, re.IGNORECASE):
        return url
    if _HOST.match(url):
        return "http://" + url
    return None


class _Parser:
    def __init__(self, source: str) -> None:
        self.data = source.encode("utf-8")
        self.out: list[str] = []
        self.utf16 = 0
        self.entities: list[Entity] = []
        self.stack: list[_Open] = []

    def emit(self, char: str) -> None:
        self.out.append(char)
        self.utf16 += 2 if ord(char) > 0xFFFF else 1

    def run(self) -> tuple[str, list[Entity]]:
        data, i = self.data, 0
        while i < len(data):
            c = data[i]
            if c == ord("&"):
                decoded = _decode_entity(data, i)
                if decoded is not None:
                    self.emit(decoded[0])
                    i = decoded[1]
                    continue
            if c != ord("<"):
                width = 1 if c < 0x80 else 2 if c < 0xE0 else 3 if c < 0xF0 else 4
                self.emit(data[i : i + width].decode("utf-8"))
                i += width
                continue
            i = self.end_tag(i) if _byte(data, i + 1) == ord("/") else self.start_tag(i)
        if self.stack:
            raise parse_error(
                f'Can\'t find end tag corresponding to start tag "{self.stack[-1].tag}"'
            )
        return "".join(self.out), sort_entities(self.entities)

    def start_tag(self, begin: int) -> int:
        data, i = self.data, begin + 1
        while not _is_space(_byte(data, i)) and _byte(data, i) != ord(">"):
            i += 1
        if _byte(data, i) == 0:
            raise parse_error(f"Unclosed start tag at byte offset {begin}")
        tag = data[begin + 1 : i].decode("utf-8", "replace").lower()
        if tag not in _TAGS:
            raise parse_error(f'Unsupported start tag "{tag}" at byte offset {begin}')
        argument = ""
        while _byte(data, i) != ord(">"):
            while _byte(data, i) and _is_space(_byte(data, i)):
                i += 1
            if _byte(data, i) == ord(">"):
                break
            name_begin = i
            while not _is_space(_byte(data, i)) and _byte(data, i) not in (ord("="), ord(">")):
                i += 1
            name = data[name_begin:i].decode("utf-8", "replace")
            if not name:
                raise parse_error(f'Empty attribute name in the tag "{tag}" at byte offset {begin}')
            while _byte(data, i) and _is_space(_byte(data, i)):
                i += 1
            if _byte(data, i) != ord("="):
                if tag == "blockquote" and name == "expandable":
                    argument = "expandable"
                    continue
                raise parse_error(
                    "Expected equal sign in declaration of an attribute of the tag "
                    f'"{tag}" at byte offset {begin}'
                )
            i += 1
            while _byte(data, i) and _is_space(_byte(data, i)):
                i += 1
            if _byte(data, i) == 0:
                raise parse_error(f'Unclosed start tag "{tag}" at byte offset {begin}')
            value, i = self.attribute_value(i)
            if _byte(data, i) == 0:
                raise parse_error(f"Unclosed start tag at byte offset {begin}")
            argument = self.argument_for(tag, name, value, argument)
        if tag == "span" and argument != "spoiler":
            raise parse_error(f'Tag "span" must have class "tg-spoiler" at byte offset {begin}')
        self.stack.append(_Open(tag, argument, self.utf16, len(self.out)))
        return i + 1

    def attribute_value(self, i: int) -> tuple[str, int]:
        data = self.data
        quote = _byte(data, i)
        if quote not in (ord("'"), ord('"')):
            start = i
            while chr(_byte(data, i)).isascii() and (
                chr(_byte(data, i)).isalnum() or _byte(data, i) in (ord("."), ord("-"))
            ):
                i += 1
            if not _is_space(_byte(data, i)) and _byte(data, i) != ord(">"):
                raise parse_error(f"Unexpected end of name token at byte offset {start}")
            return data[start:i].decode().lower(), i
        i += 1
        chunks: list[str] = []
        raw_start = i
        while _byte(data, i) not in (quote, 0):
            if data[i] == ord("&"):
                decoded = _decode_entity(data, i)
                if decoded is not None:
                    chunks.append(data[raw_start:i].decode("utf-8", "replace") + decoded[0])
                    i = raw_start = decoded[1]
                    continue
            i += 1
        chunks.append(data[raw_start:i].decode("utf-8", "replace"))
        if _byte(data, i) == quote:
            i += 1
        return "".join(chunks), i

    @staticmethod
    def argument_for(tag: str, name: str, value: str, current: str) -> str:
        if tag == "a" and name == "href":
            return value
        if tag == "code" and name == "class" and value.startswith("language-"):
            return value[9:]
        if tag == "span" and name == "class" and value.startswith("tg-"):
            return value[3:]
        if tag == "tg-emoji" and name == "emoji-id":
            return value
        return current

    def end_tag(self, begin: int) -> int:
        data = self.data
        if not self.stack:
            raise parse_error(f"Unexpected end tag at byte offset {begin}")
        i = begin + 2
        while not _is_space(_byte(data, i)) and _byte(data, i) != ord(">"):
            i += 1
        name = data[begin + 2 : i].decode("utf-8", "replace").lower()
        while _byte(data, i) and _is_space(_byte(data, i)):
            i += 1
        if _byte(data, i) != ord(">"):
            raise parse_error(f"Unclosed end tag at byte offset {begin}")
        top = self.stack[-1]
        if name and name != top.tag:
            raise parse_error(
                f'Unmatched end tag at byte offset {begin}, expected "</{top.tag}>", '
                f'found "</{name}>"'
            )
        if self.utf16 > top.offset:
            self.close(top)
        self.stack.pop()
        return i + 1

    def close(self, top: _Open) -> None:
        span = {"offset": top.offset, "length": self.utf16 - top.offset}
        last = self.entities[-1] if self.entities else None
        same = last is not None and (last["offset"], last["length"]) == (
            span["offset"], span["length"]
        )
        if top.tag in _SIMPLE:
            self.entities.append({"type": _SIMPLE[top.tag], **span})
        elif top.tag == "tg-emoji":
            if not top.argument.isdigit() or int(top.argument) == 0:
                raise parse_error("Invalid custom emoji identifier specified")
            self.entities.append({"type": "custom_emoji", **span, "custom_emoji_id": top.argument})
        elif top.tag == "a":
            url = checked_link(top.argument or "".join(self.out[top.begin :]))
            if url is not None:
                self.entities.append({"type": "text_link", **span, "url": url})
        elif top.tag == "pre":
            if last is not None and same and last["type"] == "code" and last.get("language"):
                last["type"] = "pre"
            else:
                self.entities.append({"type": "pre", **span})
        elif top.tag == "code":
            if last is not None and same and last["type"] == "pre" and top.argument:
                last["language"] = top.argument
            else:
                self.entities.append({"type": "code", **span, "language": top.argument})
        else:
            kind = "expandable_blockquote" if top.argument else "blockquote"
            self.entities.append({"type": kind, **span})


def parse_html(source: str) -> tuple[str, list[Entity]]:
    """Plain text and entities for Telegram-flavoured HTML; raises ApiError as Telegram refuses."""
    text, entities = _Parser(source).run()
    for entity in entities:
        if entity["type"] == "code" or (entity["type"] == "pre" and not entity.get("language")):
            entity.pop("language", None)
    return text, entities
