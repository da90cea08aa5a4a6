"""What Telegram checks in reply_markup beyond the spec's shapes, and inline keyboards to echo.

The shapes (fields, types, one action per button, callback_data of 1-64 bytes, only inline
keyboards in edits) were checked with the call against the spec; what is left is tdlib's:
labels must not be empty, and URLs must be links.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .errors import bad_request

_URL = re.compile(r"^(https?|tg)://\S+$", re.IGNORECASE)


def _check_button(button: dict[str, Any]) -> dict[str, Any]:
    if button["text"] == "":
        raise bad_request("inline keyboard button text must be non-empty")
    if "url" in button:
        url = button["url"]
        if not _URL.match(str(url)):
            raise bad_request(f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL")
    return dict(button)


def _check_reply_button(button: str | dict[str, Any]) -> None:
    text = button if isinstance(button, str) else button["text"]
    if text == "":
        raise bad_request("keyboard button text must be non-empty")


def check_reply_markup(raw: Any) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """Validate reply_markup; returns (inline keyboard to echo, other keyboard for the chat)."""
    if raw is None or raw == "":
        return None, None
    if isinstance(raw, str):
        raw = json.loads(raw)  # the call's check made sure it parses
    if "inline_keyboard" in raw:
        rows = raw["inline_keyboard"]
        return {"inline_keyboard": [[_check_button(b) for b in row] for row in rows]}, None
    if "keyboard" in raw:
        for row in raw["keyboard"]:
            for button in row:
                _check_reply_button(button)
        return None, raw
    if raw.get("remove_keyboard") is True or raw.get("force_reply") is True:
        return None, raw
    return None, None  # "remove_keyboard": false and the like: Telegram reads no markup


def button_rows(markup: dict[str, Any] | None) -> list[list[dict[str, Any]]]:
    """The rows of buttons of an inline keyboard, empty when there is none."""
    if not markup:
        return []
    rows: list[list[dict[str, Any]]] = markup.get("inline_keyboard", [])
    return rows
