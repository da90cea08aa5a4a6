"""Test people: they send, press and block the way Telegram clients do, producing updates."""

from __future__ import annotations

import hashlib
from typing import Any

from .chatview import ChatView, contains_text
from .entities import autodetect
from .model import BotMessage, PendingQuery, StoredMessage, TranscriptEntry
from .world import World

# A 1x1 PNG, so photos people send carry real image bytes.
TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000005000100d7fa2c0a0000000049454e44ae426082"
)


def text_body(text: str) -> dict[str, Any]:
    """Message fields Telegram delivers for typed text, with the commands and links it finds."""
    body: dict[str, Any] = {"text": text}
    entities = autodetect(text, [])
    if entities:
        body["entities"] = entities
    return body


class TestUser(ChatView):
    """A person with a private chat with the bot (chat id = user id)."""

    __test__ = False  # not a pytest test class despite the name

    def __init__(
        self, world: World, name: str, language_code: str | None = "en", *,
        last_name: str | None = None, username: str | None = None, started: bool = True,
    ) -> None:
        self.user_id = world.next_user_id()
        self.user: dict[str, Any] = {"id": self.user_id, "is_bot": False, "first_name": name}
        chat: dict[str, Any] = {"id": self.user_id, "type": "private", "first_name": name}
        for key, value in (("last_name", last_name), ("username", username)):
            if value:
                self.user[key] = chat[key] = value
        if language_code:
            self.user["language_code"] = language_code
        super().__init__(world, world.add_chat(chat), name)
        self.chat.started = started

    def _check_can_write(self) -> None:
        if self.chat.deactivated:
            raise AssertionError(f"{self.name} deleted their account")
        if self.chat.blocked:
            raise AssertionError(f"{self.name} blocked the bot; call unblock() first")
        # Writing to the bot is what lets it write back, as in Telegram.
        self.chat.started = True

    def _post(self, body: dict[str, Any], kind: str, text: str = "") -> int:
        self._check_can_write()
        stored = self.world.new_message(self.chat, self.user, body, from_bot=False)
        self.world.log(self.chat, TranscriptEntry(
            who="user", kind=kind, text=text, message_id=stored.message_id, sender=self.name
        ))
        self.world.queue.push("message", dict(stored.payload))
        return stored.message_id

    async def send(self, text: str) -> int:
        """Send a text message (a leading /command gets its entity); returns its message id."""
        return self._post(text_body(text), "text", text)

    async def send_sticker(self, emoji: str = "👍") -> int:
        """Send a sticker."""
        file = self.world.store_file(b"RIFF-sticker", None, "image/webp", "sticker")
        sticker = {
            "file_id": file.file_id, "file_unique_id": file.file_unique_id, "type": "regular",
            "width": 512, "height": 512, "is_animated": False, "is_video": False,
            "emoji": emoji, "file_size": file.size,
        }
        return self._post({"sticker": sticker}, "sticker", emoji)

    async def send_photo(self, data: bytes = TINY_PNG, caption: str | None = None) -> int:
        """Send a photo, optionally with a caption."""
        file = self.world.store_file(data, None, "image/png", "photo", caption)
        size = {"file_id": file.file_id, "file_unique_id": file.file_unique_id,
                "file_size": file.size, "width": 1, "height": 1}
        body: dict[str, Any] = {"photo": [size]}
        if caption:
            body["caption"] = caption
        return self._post(body, "photo", caption or "")

    async def send_voice(self, duration: int = 3) -> int:
        """Send a voice note."""
        file = self.world.store_file(b"OggS-voice", None, "audio/ogg", "voice")
        voice = {"file_id": file.file_id, "file_unique_id": file.file_unique_id,
                 "duration": duration, "mime_type": "audio/ogg", "file_size": file.size}
        return self._post({"voice": voice}, "voice")

    async def send_location(self, latitude: float, longitude: float) -> int:
        """Share a location."""
        location = {"latitude": latitude, "longitude": longitude}
        return self._post({"location": location}, "location", f"{latitude},{longitude}")

    async def send_contact(self, phone_number: str = "+10000000000") -> int:
        """Share one's own contact card."""
        contact = {"phone_number": phone_number, "first_name": self.name, "user_id": self.user_id}
        return self._post({"contact": contact}, "contact", phone_number)

    async def edit(self, message_id: int, text: str) -> None:
        """Edit one of one's own text messages (an edited_message update)."""
        self._check_can_write()
        stored = self.chat.messages.get(message_id)
        if stored is None or stored.from_bot or "text" not in stored.payload:
            raise AssertionError(f"{self.name} has no text message #{message_id} to edit")
        stored.payload.pop("entities", None)
        stored.payload.update(text_body(text))
        stored.payload["edit_date"] = self.world.now()
        self.world.log(self.chat, TranscriptEntry(
            who="user", kind="edit", text=text, message_id=message_id, sender=self.name
        ))
        self.world.queue.push("edited_message", dict(stored.payload))

    def _member_update(self, old: str, new: str) -> None:
        bot = self.world.bot_user()

        def member(status: str) -> dict[str, Any]:
            # Telegram always sends until_date for a banned member (0: forever).
            return {"user": bot, "status": status, **({"until_date": 0}
                                                      if status == "kicked" else {})}

        self.world.queue.push("my_chat_member", {
            "chat": self.chat.chat, "from": self.user, "date": self.world.now(),
            "old_chat_member": member(old), "new_chat_member": member(new),
        })

    async def block(self) -> None:
        """Block the bot: later sends get 403 and the bot sees a my_chat_member update."""
        if not self.chat.blocked:
            self.chat.blocked = True
            self.world.log(self.chat, TranscriptEntry(who="user", kind="block", sender=self.name))
            self._member_update("member", "kicked")

    async def unblock(self) -> None:
        """Unblock the bot again."""
        if self.chat.blocked:
            self.chat.blocked = False
            self.world.log(self.chat, TranscriptEntry(who="user", kind="unblock", sender=self.name))
            self._member_update("kicked", "member")

    async def deactivate(self) -> None:
        """Delete one's account: every call about this chat gets 403 "user is deactivated".

        Telegram sends the bot no update for it; the next call finds out.
        """
        self.chat.deactivated = True
        self.world.log(self.chat, TranscriptEntry(who="user", kind="deactivate", sender=self.name))

    def _message_with_buttons(self, message: BotMessage | int | None) -> StoredMessage:
        if message is not None:
            message_id = message if isinstance(message, int) else message.message_id
            stored = self.chat.messages.get(message_id)
            if stored is None or stored.deleted or not stored.from_bot:
                raise AssertionError(f"no bot message #{message_id} in {self.name}'s chat")
            return stored
        latest = self.last_message_with_buttons()
        if latest is None:
            raise AssertionError(f"no bot message with buttons.\nTranscript tail:\n{self.tail()}")
        return self.chat.messages[latest.message_id]

    def last_message_with_buttons(self) -> BotMessage | None:
        """The newest existing bot message that has inline buttons."""
        for message_id in sorted(self.chat.messages, reverse=True):
            stored = self.chat.messages[message_id]
            if stored.from_bot and not stored.deleted:
                view = self.world.view(stored)
                if view.buttons:
                    return view
        return None

    def _find_button(self, stored: StoredMessage, label: str) -> tuple[str, str]:
        buttons = [b for row in self.world.view(stored).buttons for b in row]
        exact = [b for b in buttons if b.label == label]
        loose = [b for b in buttons if label.lower() in b.label.lower()]
        chosen = exact or loose
        labels = ", ".join(repr(b.label) for b in buttons)
        if len(chosen) != 1:
            problem = "no button" if not chosen else "more than one button"
            raise AssertionError(
                f"{problem} matching {label!r} on message #{stored.message_id}; "
                f"buttons are: {labels}"
            )
        if chosen[0].callback_data is None:
            raise AssertionError(f"button {chosen[0].label!r} has no callback data to press")
        return chosen[0].label, chosen[0].callback_data

    def _query(self, stored: StoredMessage, data: str, label: str) -> str:
        self._check_can_write()
        query_id = self.world.next_query_id()
        self.world.queries[query_id] = PendingQuery(query_id, self.chat_id, self.world.clock())
        instance = hashlib.sha1(f"{self.chat_id}".encode()).hexdigest()[:16]
        self.world.log(self.chat, TranscriptEntry(
            who="user", kind="press", text=label, message_id=stored.message_id, data=data,
            sender=self.name,
        ))
        self.world.queue.push("callback_query", {
            "id": query_id, "from": self.user, "message": dict(stored.payload),
            "chat_instance": str(int(instance, 16)), "data": data,
        })
        return query_id

    async def press(self, label: str, message: BotMessage | int | None = None) -> str:
        """Press the inline button matching label (exact, else unique substring)."""
        stored = self._message_with_buttons(message)
        found_label, data = self._find_button(stored, label)
        return self._query(stored, data, found_label)

    async def press_data(self, data: str, message: BotMessage | int | None = None,
                         label: str = "") -> str:
        """Send callback data of one's choosing (a modified client, or a button's own)."""
        return self._query(self._message_with_buttons(message), data, label)

    async def send_and_wait(
        self, text: str, contains: str | None = None,
        timeout: float = 10.0,  # noqa: ASYNC109 - documented API
    ) -> TranscriptEntry:
        """Send text, then wait for the bot's first message or edit (containing contains)."""
        await self.send(text)
        return await self.wait_for(contains_text(contains), timeout,
                                   what=f"a reply to {text!r} containing {contains!r}")

    async def press_and_wait(
        self, label: str, contains: str | None = None,
        timeout: float = 10.0,  # noqa: ASYNC109 - documented API
        message: BotMessage | int | None = None,
    ) -> TranscriptEntry:
        """Press a button, then wait for the bot's first message or edit (containing contains)."""
        await self.press(label, message)
        return await self.wait_for(contains_text(contains), timeout,
                                   what=f"a response to pressing {label!r}")
