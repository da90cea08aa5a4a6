"""Turns text plus parse_mode into Telegram's plain text and entities, with its limits."""

from __future__ import annotations

from typing import Any

from .apispec import SPEC
from .entities import Entity, autodetect, sort_entities, trim, utf16_len
from .errors import bad_request
from .html_parse import parse_html
from .markdown import parse_markdown, parse_markdown_v2


def _parsed_limit(method: str, name: str) -> int:
    """The spec's "N characters after entities parsing" for a method's parameter."""
    spec = SPEC.method(method)
    length = spec.fields[name].limits.length if spec else None
    if length is None or not length.after_parsing:
        raise LookupError(f"the spec states no parsed length for {method}.{name}")
    return length.high


# Counted in characters (code points), as tdlib does (utf8_length): 4,096 emoji pass, though
# each is two UTF-16 units; entity offsets are still UTF-16.
MAX_TEXT = _parsed_limit("sendMessage", "text")
MAX_CAPTION = _parsed_limit("sendDocument", "caption")


def _explicit_entities(raw: Any, text: str) -> list[Entity]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise bad_request("can't parse entities JSON object")
    size = utf16_len(text)
    checked: list[Entity] = []
    for item in raw:
        if not isinstance(item, dict) or not isinstance(item.get("type"), str):
            raise bad_request("can't parse MessageEntity")
        offset, length = item.get("offset"), item.get("length")
        if not isinstance(offset, int) or not isinstance(length, int):
            raise bad_request("can't parse MessageEntity")
        if offset < 0 or length <= 0 or offset + length > size:
            continue
        checked.append(dict(item))
    return sort_entities(checked)


def parse(text: str, parse_mode: str | None, entities: Any = None) -> tuple[str, list[Entity]]:
    """Plain text and entities for text under parse_mode (or explicit entities)."""
    mode = (parse_mode or "").strip().lower()
    if mode == "html":
        return parse_html(text)
    if mode == "markdownv2":
        return parse_markdown_v2(text)
    if mode == "markdown":
        return parse_markdown(text)
    if mode:
        raise bad_request("unsupported parse_mode")
    return text, _explicit_entities(entities, text)


def format_text(text: str | None, parse_mode: str | None, entities: Any = None) -> dict[str, Any]:
    """The text and entities fields of a message, or the ApiError Telegram answers with."""
    if not text:
        raise bad_request("message text is empty")
    plain, found = parse(text, parse_mode, entities)
    plain, found = trim(plain, found)
    if not plain:
        raise bad_request("message text is empty")
    if len(plain) > MAX_TEXT:
        raise bad_request("message is too long")
    found = autodetect(plain, found)
    body: dict[str, Any] = {"text": plain}
    if found:
        body["entities"] = found
    return body


def format_caption(
    caption: str | None, parse_mode: str | None, entities: Any = None
) -> dict[str, Any]:
    """The caption fields of a media message; an empty caption means none."""
    if not caption:
        return {}
    plain, found = parse(caption, parse_mode, entities)
    plain, found = trim(plain, found)
    if len(plain) > MAX_CAPTION:
        raise bad_request("message caption is too long")
    if not plain:
        return {}
    found = autodetect(plain, found)
    body: dict[str, Any] = {"caption": plain}
    if found:
        body["caption_entities"] = found
    return body
