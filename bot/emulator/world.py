"""The emulated Telegram: chats, messages, files, queries and the bot's update queue."""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable
from typing import Any

from .errors import bad_request
from .flood import FloodControl, FloodLimits
from .keyboard import button_rows
from .model import (
    BotMessage,
    Button,
    ChatState,
    PendingQuery,
    RequestRecord,
    Signal,
    StoredFile,
    StoredMessage,
    TranscriptEntry,
)
from .updates import UpdateQueue
from .webhook import WebhookDelivery

Clock = Callable[[], float]


def labels_of(markup: dict[str, Any] | None) -> tuple[tuple[str, ...], ...]:
    """Button labels of an inline keyboard, row by row."""
    return tuple(tuple(str(b.get("text", "")) for b in row) for row in button_rows(markup))


class World:
    """All state behind the HTTP API and the test driver; one emulated bot per world."""

    def __init__(
        self, clock: Clock, wall_clock: Clock, limits: FloodLimits | None, bot_username: str,
        first_update_id: int = 1,
    ) -> None:
        self.clock = clock
        self.wall_clock = wall_clock
        self.bot_id = 1
        self.bot_username = bot_username
        self.bot_first_name = "Backcoach"
        self.chats: dict[int, ChatState] = {}
        self.usernames: dict[str, int] = {}
        self.files: dict[str, StoredFile] = {}
        self.queries: dict[str, PendingQuery] = {}
        self.requests: list[RequestRecord] = []
        self.commands: dict[str, list[dict[str, str]]] = {}
        self.queue = UpdateQueue(first_update_id)
        self.flood = FloodControl(limits, clock)
        self.webhook = WebhookDelivery(self.queue, wall_clock)
        self.signal = Signal()
        self.logged_out = False
        # Telegram sets no age limit on editing a bot's own messages (tdlib's can_edit_message
        # exempts them); a test that wants old messages refused sets one, in seconds.
        self.edit_time_limit: float | None = None
        self._user_ids = itertools.count(100_000_001)
        self._group_ids = itertools.count(400_000_001)
        self._channel_ids = itertools.count(1_001_000_000_001)
        self._file_ids = itertools.count(1)
        self._query_ids = itertools.count(1)

    # identities -----------------------------------------------------------------------------

    def bot_user(self) -> dict[str, Any]:
        """The bot as a User object."""
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

    def now(self) -> int:
        """Unix time from the injected wall clock."""
        return int(self.wall_clock())

    def next_user_id(self) -> int:
        """A fresh user id."""
        return next(self._user_ids)

    def next_group_id(self) -> int:
        """A fresh basic group id (negative, as Telegram's are)."""
        return -next(self._group_ids)

    def next_channel_id(self) -> int:
        """A fresh channel id in Telegram's -100... form."""
        return -next(self._channel_ids)

    def next_query_id(self) -> str:
        """A fresh callback query id."""
        return f"{self.bot_id}{next(self._query_ids):010d}"

    def add_chat(self, chat: dict[str, Any]) -> ChatState:
        """Register a chat by its Chat JSON."""
        state = ChatState(chat=chat)
        self.chats[int(chat["id"])] = state
        username = chat.get("username")
        if username:
            self.usernames[str(username).lower()] = int(chat["id"])
        return state

    def resolve_chat(self, value: Any) -> ChatState:
        """The chat a chat_id parameter names, refusing as Telegram does."""
        if value is None or value == "":
            raise bad_request("chat_id is empty")
        if isinstance(value, str) and value.startswith("@"):
            chat_id = self.usernames.get(value[1:].lower())
            if chat_id is None:
                raise bad_request("chat not found")
            return self.chats[chat_id]
        try:
            chat_id = int(value)
        except (TypeError, ValueError):
            raise bad_request("chat not found") from None
        state = self.chats.get(chat_id)
        if state is None:
            raise bad_request("chat not found")
        return state

    # files ----------------------------------------------------------------------------------

    def store_file(
        self, data: bytes, filename: str | None, mime_type: str, kind: str,
        caption: str | None = None,
    ) -> StoredFile:
        """Keep uploaded bytes under a new file_id."""
        number = next(self._file_ids)
        digest = hashlib.sha1(data).hexdigest()[:16]
        stored = StoredFile(
            file_id=f"{kind[:2].upper()}{number:06d}{digest}",
            file_unique_id=f"U{digest}",
            data=data,
            filename=filename,
            mime_type=mime_type,
            kind=kind,
            caption=caption,
        )
        self.files[stored.file_id] = stored
        return stored

    # transcript -----------------------------------------------------------------------------

    def log(self, chat: ChatState, entry: TranscriptEntry) -> None:
        """Append to a chat's transcript and wake anyone waiting on it."""
        chat.transcript.append(entry)
        if entry.who == "user":
            chat.last_action = len(chat.transcript)
        self.signal.notify()

    def log_bot_message(self, chat: ChatState, stored: StoredMessage, kind: str) -> None:
        """Transcript entry for a message the bot sent or edited."""
        payload = stored.payload
        file = self.file_of(payload)
        self.log(chat, TranscriptEntry(
            who="bot",
            kind=kind,
            text=str(payload.get("text", payload.get("caption", ""))),
            message_id=stored.message_id,
            buttons=labels_of(payload.get("reply_markup")),
            raw=stored.raw,
            file=file,
        ))

    def file_of(self, payload: dict[str, Any]) -> StoredFile | None:
        """The stored file a message carries, if any."""
        if "document" in payload:
            return self.files.get(str(payload["document"]["file_id"]))
        if "photo" in payload:
            return self.files.get(str(payload["photo"][-1]["file_id"]))
        return None

    def new_message(
        self, chat: ChatState, sender: dict[str, Any] | None, body: dict[str, Any],
        *, from_bot: bool, raw: str | None = None,
    ) -> StoredMessage:
        """Create and store a message in chat with the next message id."""
        payload: dict[str, Any] = {"message_id": chat.take_message_id()}
        if sender is not None:
            payload["from"] = sender
        payload["chat"] = chat.chat
        payload["date"] = self.now()
        payload.update(body)
        stored = StoredMessage(chat.chat_id, payload["message_id"], from_bot, payload, raw)
        chat.messages[stored.message_id] = stored
        return stored

    def view(self, stored: StoredMessage) -> BotMessage:
        """A BotMessage snapshot of a stored message."""
        payload = stored.payload
        rows = tuple(
            tuple(
                Button(str(b.get("text", "")), b.get("callback_data"), b.get("url"))
                for b in row
            )
            for row in button_rows(payload.get("reply_markup"))
        )
        kind = "document" if "document" in payload else "photo" if "photo" in payload else "text"
        return BotMessage(
            message_id=stored.message_id,
            text=str(payload.get("text", payload.get("caption", ""))),
            raw=stored.raw,
            buttons=rows,
            kind=kind,
            file=self.file_of(payload),
            edited="edit_date" in payload,
            entities=tuple(payload.get("entities", payload.get("caption_entities", ()))),
        )
