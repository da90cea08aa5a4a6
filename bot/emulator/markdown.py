"""Telegram's Markdown and MarkdownV2 parse modes, ported from tdlib with its error wording."""

from __future__ import annotations

from dataclasses import dataclass

from .entities import Entity, sort_entities
from .errors import parse_error
from .html_parse import checked_link

_RESERVED = b"_*[]()~`>#+-=|{}.!\n"
_SPACE = b" \t\r\n\x00\x0b"
_TYPE_NAMES = {
    "bold": "Bold", "italic": "Italic", "underline": "Underline",
    "strikethrough": "Strikethrough", "spoiler": "Spoiler", "code": "Code", "pre": "Pre",
    "text_link": "TextUrl", "custom_emoji": "CustomEmoji", "blockquote": "BlockQuote",
}


def _at(data: bytes, i: int) -> int:
    return data[i] if i < len(data) else 0


def _utf16_step(c: int) -> int:
    # Counts one unit per UTF-8 lead byte, two for 4-byte sequences, as tdlib does.
    if 0x80 <= c < 0xC0:
        return 0
    return 2 if c >= 0xF0 else 1


def _reserved(char: int) -> Exception:
    return parse_error(
        f"Character '{chr(char)}' is reserved and must be escaped with the preceding '\\'"
    )


@dataclass
class _Open:
    kind: str
    argument: str
    offset: int
    byte_offset: int
    begin: int


def _skip_pre_header(data: bytes, i: int) -> tuple[int, str]:
    """Past ``` read an optional language and one newline; returns new index and language."""
    language = ""
    end = i
    while not (_at(data, end) in _SPACE or _at(data, end) == ord("`")):
        end += 1
    if i != end and end < len(data) and data[end] != ord("`"):
        language = data[i:end].decode("utf-8", "replace")
        i = end
    if _at(data, i) in (ord("\n"), ord("\r")):
        pair = _at(data, i + 1) in (ord("\n"), ord("\r")) and data[i] != _at(data, i + 1)
        i += 2 if pair else 1
    return i, language


def _read_url(data: bytes, i: int) -> tuple[str, int]:
    url = bytearray()
    while i < len(data) and data[i] != ord(")"):
        if data[i] == ord("\\") and 0 < _at(data, i + 1) <= 126:
            url.append(data[i + 1])
            i += 2
            continue
        url.append(data[i])
        i += 1
    return url.decode("utf-8", "replace"), i


def parse_markdown_v2(source: str) -> tuple[str, list[Entity]]:
    """Plain text and entities for MarkdownV2, or ApiError with tdlib's message."""
    data = source.encode("utf-8")
    out = bytearray()
    utf16 = 0
    entities: list[Entity] = []
    stack: list[_Open] = []
    quote = False
    i = 0
    while i < len(data):
        c = data[i]
        if c == ord("\\") and 0 < _at(data, i + 1) <= 126:
            out.append(data[i + 1])
            utf16 += 1
            i += 2
            continue
        top = stack[-1].kind if stack else ""
        reserved = b"`" if top in ("code", "pre") else _RESERVED
        if c not in reserved:
            out.append(c)
            utf16 += _utf16_step(c)
            i += 1
            continue
        ends = False
        if stack:
            nxt = _at(data, i + 1)
            if quote and c == ord("\n") and nxt != ord(">"):
                ends = True
            else:
                ends = {
                    "bold": c == ord("*"),
                    "italic": c == ord("_") and nxt != ord("_"),
                    "code": c == ord("`"),
                    "pre": c == ord("`") and nxt == ord("`") and _at(data, i + 2) == ord("`"),
                    "text_link": c == ord("]"),
                    "underline": c == ord("_") and nxt == ord("_"),
                    "strikethrough": c == ord("~"),
                    "spoiler": c == ord("|") and nxt == ord("|"),
                    "blockquote": False,
                }[top]
        if not ends:
            start = i
            argument = ""
            if c == ord("_"):
                kind = "underline" if _at(data, i + 1) == ord("_") else "italic"
                i += 1 if kind == "underline" else 0
            elif c in (ord("*"), ord("~"), ord("[")):
                kind = {ord("*"): "bold", ord("~"): "strikethrough", ord("["): "text_link"}[c]
            elif c == ord("|") and _at(data, i + 1) == ord("|"):
                kind, i = "spoiler", i + 1
            elif c == ord("`") and _at(data, i + 1) == ord("`") and _at(data, i + 2) == ord("`"):
                kind = "pre"
                i, argument = _skip_pre_header(data, i + 3)
                i -= 1
            elif c == ord("`"):
                kind = "code"
            elif c == ord("\n"):
                out.append(c)
                utf16 += 1
                if _at(data, i + 1) == ord(">"):
                    i += 1
                    if not quote:
                        quote = True
                        stack.append(_Open("blockquote", "", utf16, start, len(out)))
                i += 1
                continue
            elif c == ord(">") and i == 0:
                kind, quote = "blockquote", True
            else:
                raise _reserved(c)
            stack.append(_Open(kind, argument, utf16, start, len(out)))
            i += 1
            continue
        entry = stack[-1]
        if c == ord("\n") and entry.kind != "blockquote":
            raise parse_error(
                f"Can't find end of {_TYPE_NAMES[entry.kind]} entity at byte offset "
                f"{entry.byte_offset}"
            )
        skip = utf16 == entry.offset
        extra: dict[str, str] = {}
        if entry.kind in ("underline", "spoiler"):
            i += 1
        elif entry.kind == "pre":
            i += 2
            if entry.argument:
                extra["language"] = entry.argument
        elif entry.kind == "text_link":
            if _at(data, i + 1) != ord("("):
                url = out[entry.begin :].decode("utf-8", "replace")
            else:
                url_begin = i + 2
                url, i = _read_url(data, url_begin)
                if _at(data, i) != ord(")"):
                    raise parse_error(f"Can't find end of a URL at byte offset {url_begin}")
            link = checked_link(url)
            if link is None:
                skip = True
            else:
                extra["url"] = link
        elif entry.kind == "blockquote":
            quote = False
            out.append(c)
            utf16 += 1
        if not skip:
            length = utf16 - entry.offset
            entities.append({"type": entry.kind, "offset": entry.offset, "length": length, **extra})
        stack.pop()
        i += 1
    if quote and stack and stack[-1].kind == "blockquote":
        entry = stack.pop()
        if utf16 > entry.offset:
            entities.append(
                {"type": "blockquote", "offset": entry.offset, "length": utf16 - entry.offset}
            )
    if stack:
        raise parse_error(
            f"Can't find end of {_TYPE_NAMES[stack[-1].kind]} entity at byte offset "
            f"{stack[-1].byte_offset}"
        )
    return out.decode("utf-8", "replace"), sort_entities(entities)


def parse_markdown(source: str) -> tuple[str, list[Entity]]:
    """Plain text and entities for legacy Markdown, as tdlib's parse_markdown does."""
    data = source.encode("utf-8")
    out = bytearray()
    utf16 = 0
    entities: list[Entity] = []
    i = 0
    while i < len(data):
        c = data[i]
        if c == ord("\\") and _at(data, i + 1) in b"_*`[":
            out.append(data[i + 1])
            utf16 += 1
            i += 2
            continue
        if c not in b"_*`[":
            out.append(c)
            utf16 += _utf16_step(c)
            i += 1
            continue
        begin = i
        end_char = ord("]") if c == ord("[") else c
        is_pre = False
        language = ""
        i += 1
        if c == ord("`") and _at(data, i) == ord("`") and _at(data, i + 1) == ord("`"):
            is_pre = True
            i, language = _skip_pre_header(data, i + 2)
        offset, text_start = utf16, len(out)
        while i < len(data) and (
            data[i] != end_char
            or (is_pre and not (_at(data, i + 1) == ord("`") and _at(data, i + 2) == ord("`")))
        ):
            out.append(data[i])
            utf16 += _utf16_step(data[i])
            i += 1
        if i == len(data):
            raise parse_error(f"Can't find end of the entity starting at byte offset {begin}")
        if utf16 != offset:
            span: Entity = {"offset": offset, "length": utf16 - offset}
            if c == ord("["):
                url = out[text_start:].decode("utf-8", "replace")
                if _at(data, i + 1) == ord("("):
                    close = data.find(b")", i + 2)
                    close = len(data) if close < 0 else close
                    url, i = data[i + 2 : close].decode("utf-8", "replace"), close
                link = checked_link(url)
                if link is not None:
                    entities.append({"type": "text_link", **span, "url": link})
            elif c == ord("`"):
                kind = "pre" if is_pre else "code"
                lang = {"language": language} if language else {}
                entities.append({"type": kind, **span, **lang})
            else:
                entities.append({"type": "italic" if c == ord("_") else "bold", **span})
        i += 3 if is_pre else 1
    return out.decode("utf-8", "replace"), sort_entities(entities)
