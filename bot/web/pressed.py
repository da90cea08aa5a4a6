"""Updates read lighter: what of an update's JSON nothing here reads, dropped first."""

from __future__ import annotations

from typing import Any


def drop_pressed_keyboards(update: Any) -> None:
    """Remove the keyboard of the message whose button was pressed from an update's JSON.

    Telegram sends the whole pressed message back with every press, keyboard included.
    Nothing here reads it (the press carries its own data), and PTB building its buttons
    into objects was the largest part of reading a press in the load benchmark's profiles.
    """
    if not isinstance(update, dict):
        return
    query = update.get("callback_query")
    message = query.get("message") if isinstance(query, dict) else None
    if isinstance(message, dict):
        message.pop("reply_markup", None)
