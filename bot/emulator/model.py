"""Records the emulator keeps: chats, messages, files, transcripts and the bot's requests."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

Who = Literal["user", "bot"]


@dataclass(frozen=True)
class StoredFile:
    """Bytes someone sent, with the ids Telegram would hand out for them."""

    file_id: str
    file_unique_id: str
    data: bytes
    filename: str | None
    mime_type: str
    kind: str
    caption: str | None = None

    @property
    def size(self) -> int:
        """Size in bytes."""
        return len(self.data)


@dataclass(frozen=True)
class Button:
    """One inline keyboard button as a person sees it."""

    label: str
    callback_data: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class TranscriptEntry:
    """One thing that happened in a chat, in order, from either side."""

    who: Who
    kind: str
    text: str = ""
    message_id: int | None = None
    buttons: tuple[tuple[str, ...], ...] = ()
    raw: str | None = None
    data: str | None = None
    file: StoredFile | None = None
    sender: str = ""

    @property
    def labels(self) -> list[str]:
        """All button labels, row by row."""
        return [label for row in self.buttons for label in row]


@dataclass(frozen=True)
class BotMessage:
    """The current state of a message the bot sent, with edits applied."""

    message_id: int
    text: str
    raw: str | None
    buttons: tuple[tuple[Button, ...], ...]
    kind: str
    file: StoredFile | None
    edited: bool
    entities: tuple[dict[str, Any], ...] = ()

    @property
    def labels(self) -> list[str]:
        """All button labels, row by row."""
        return [button.label for row in self.buttons for button in row]


@dataclass(frozen=True)
class CallbackAnswer:
    """What the bot said when answering a button press."""

    query_id: str
    text: str
    show_alert: bool
    url: str | None


@dataclass(frozen=True)
class RequestRecord:
    """One request the bot made, timed by the injected clock."""

    method: str
    chat_id: int | None
    time: float
    status: int


@dataclass
class StoredMessage:
    """A message as the server holds it: its Bot API JSON plus what it was made from."""

    chat_id: int
    message_id: int
    from_bot: bool
    payload: dict[str, Any]
    raw: str | None = None
    deleted: bool = False
    # tdlib edits only messages without a keyboard or with an inline one (can_edit_message).
    editable: bool = True


@dataclass
class ChatState:
    """Everything about one chat: its JSON, messages, transcript and whether it blocked us."""

    chat: dict[str, Any]
    next_message_id: int = 1
    messages: dict[int, StoredMessage] = field(default_factory=dict)
    transcript: list[TranscriptEntry] = field(default_factory=list)
    callback_answers: list[CallbackAnswer] = field(default_factory=list)
    blocked: bool = False
    started: bool = True
    deactivated: bool = False  # the person deleted their account
    migrated_to: int | None = None  # the supergroup a basic group became
    reply_keyboard: dict[str, Any] | None = None
    last_action: int = 0

    @property
    def chat_id(self) -> int:
        """The chat's id."""
        chat_id: int = self.chat["id"]
        return chat_id

    def take_message_id(self) -> int:
        """Next message id in this chat; both sides share one sequence, as in Telegram."""
        message_id = self.next_message_id
        self.next_message_id += 1
        return message_id


@dataclass
class PendingQuery:
    """A callback query waiting for answerCallbackQuery."""

    query_id: str
    chat_id: int
    created: float
    answered: bool = False


class Signal:
    """Wakes every waiter when something changed; notify() can be called from sync code."""

    def __init__(self) -> None:
        self._event: asyncio.Event | None = None

    def notify(self) -> None:
        """Wake everyone waiting now."""
        if self._event is not None:
            self._event.set()
            self._event = None

    async def wait(self, within: float | None) -> bool:
        """Wait for the next notify(); False when `within` seconds passed first."""
        if self._event is None:
            self._event = asyncio.Event()
        event = self._event
        # asyncio.timeout, not wait_for: on Python 3.11 wait_for swallows a cancel that
        # lands as the event is set, and a webhook delivery loop cancelled at that moment
        # then ran on forever (a test's teardown hung waiting for it).
        try:
            async with asyncio.timeout(within):
                await event.wait()
        except TimeoutError:
            return False
        return True

    async def wait_until(self, check: Callable[[], bool], within: float | None) -> bool:
        """Wait until check() holds, re-checking on every notify(); False on timeout."""
        loop = asyncio.get_running_loop()
        deadline = None if within is None else loop.time() + within
        while not check():
            remaining = None if deadline is None else deadline - loop.time()
            if remaining is not None and remaining <= 0:
                return False
            await self.wait(remaining)
        return True
