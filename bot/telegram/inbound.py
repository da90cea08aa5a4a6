"""Turn a Telegram Update into a domain event (the only place that reads Update fields)."""

from __future__ import annotations

import dataclasses
import re

from telegram import Message, Update

from bot.domain.engine.events import Command, Edited, Event, LocationShared, Text, Unreadable
from bot.language.geo import zone_at
from bot.telegram import callback_data

_COMMAND = re.compile(r"^/([A-Za-z0-9_]{1,64})(?:@\w+)?(?:\s+(.*))?$", re.DOTALL)
_KINDS = (
    ("sticker", "sticker"), ("photo", "photo"), ("voice", "voice"), ("video_note", "voice"),
    ("audio", "voice"), ("video", "video"), ("animation", "video"), ("document", "document"),
    ("location", "location"), ("venue", "location"), ("contact", "contact"), ("poll", "poll"),
    ("dice", "sticker"), ("game", "other"),
)


def to_event(update: Update) -> Event | None:
    """The domain event of an update in a private chat, or None when it needs no answer."""
    query = update.callback_query
    if query is not None:
        press = callback_data.decode(query.data)
        if press is None:
            return Unreadable("button")
        message_id = query.message.message_id if query.message is not None else None
        return dataclasses.replace(press, message_id=message_id)
    edited = update.edited_message
    if edited is not None:
        text = edited.text or edited.caption
        return Edited(text) if text else Unreadable("edited")
    message = update.message
    return _message_event(message) if message is not None else None


def _message_event(message: Message) -> Event | None:
    if message.text is not None:
        match = _COMMAND.match(message.text.strip())
        if match:
            return Command(match.group(1).lower(), (match.group(2) or "").strip())
        return Text(message.text)
    if message.location is not None:
        return LocationShared(zone_at(message.location.latitude, message.location.longitude))
    if message.caption:
        # Words under a photo or file are words the person typed: read them (and triage them).
        return Text(message.caption)
    for attribute, kind in _KINDS:
        if getattr(message, attribute, None):
            return Unreadable(kind)
    # Service messages (pins, chat changes) are not something a person said to us.
    return None if _is_service(message) else Unreadable("other")


def _is_service(message: Message) -> bool:
    return bool(message.pinned_message or message.new_chat_members or message.left_chat_member
                or message.new_chat_title or message.group_chat_created)
