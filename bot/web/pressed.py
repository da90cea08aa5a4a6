"""Updates and sent messages read lighter: what of their JSON nothing here reads, dropped
first."""

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


def drop_sent_extras(result: Any) -> None:
    """Remove the keyboard and the formatting entities from a sent message's JSON.

    Telegram answers every sendMessage and editMessageText with the whole message, and
    PTB builds it into objects; of that, only the message id is read here. Its keyboard
    (our own buttons, each an object) and its bold and italic spans were most of the cost
    of reading it back in the load benchmark's profiles. Anything that is not a message
    (True for an edit of an unchanged message, lists) is left alone.
    """
    if isinstance(result, dict) and "message_id" in result and "chat" in result:
        result.pop("reply_markup", None)
        result.pop("entities", None)
