"""Reading a chat as a person sees it, and waiting for the bot without polling."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .model import BotMessage, CallbackAnswer, ChatState, StoredFile, TranscriptEntry
from .world import World

Predicate = Callable[[TranscriptEntry], bool]
MESSAGE_KINDS = frozenset({"text", "edit", "document", "photo"})


def describe(entry: TranscriptEntry) -> str:
    """One readable line for a transcript entry."""
    who = entry.sender or entry.who
    if entry.kind == "callback_answer":
        return f"bot answered the press: {entry.text!r}"
    if entry.kind == "delete":
        return f"{who} deleted message #{entry.message_id}"
    if entry.kind == "press":
        return f"{who} pressed {entry.text!r} ({entry.data!r})"
    head = f"{who} [{entry.kind} #{entry.message_id}]"
    text = entry.text
    if entry.file is not None:
        text = f"<{entry.file.kind} {entry.file.filename or ''}> {text}".strip()
    buttons = " | ".join(entry.labels)
    return f"{head}: {text}" + (f"  [{buttons}]" if buttons else "")


def contains_text(needle: str | None) -> Predicate:
    """Predicate for a bot message or edit whose plain text contains needle (any case)."""
    lowered = None if needle is None else needle.lower()

    def check(entry: TranscriptEntry) -> bool:
        if entry.kind not in MESSAGE_KINDS:
            return False
        return lowered is None or lowered in entry.text.lower()

    return check


class ChatView:
    """A chat seen from the people's side: transcript, current bot messages, waiting."""

    def __init__(self, world: World, chat: ChatState, name: str) -> None:
        self.world = world
        self.chat = chat
        self.name = name

    @property
    def chat_id(self) -> int:
        """The chat's id."""
        return self.chat.chat_id

    @property
    def transcript(self) -> list[TranscriptEntry]:
        """Everything that happened in this chat, both ways, in order."""
        return list(self.chat.transcript)

    @property
    def messages(self) -> dict[int, BotMessage]:
        """Current state of each bot message that still exists, by message id."""
        return {
            stored.message_id: self.world.view(stored)
            for stored in self.chat.messages.values()
            if stored.from_bot and not stored.deleted
        }

    @property
    def last_bot_message(self) -> BotMessage | None:
        """The newest bot message that still exists."""
        messages = self.messages
        return messages[max(messages)] if messages else None

    @property
    def documents(self) -> list[StoredFile]:
        """Documents the bot sent here, oldest first."""
        return [m.file for m in self.messages.values() if m.kind == "document" and m.file]

    @property
    def photos(self) -> list[StoredFile]:
        """Photos the bot sent here, oldest first."""
        return [m.file for m in self.messages.values() if m.kind == "photo" and m.file]

    @property
    def callback_answers(self) -> list[CallbackAnswer]:
        """Answers the bot gave to button presses here."""
        return list(self.chat.callback_answers)

    @property
    def reply_keyboard(self) -> dict[str, Any] | None:
        """The reply keyboard (or force_reply) the bot last set here, if any."""
        return self.chat.reply_keyboard

    @property
    def bot_texts(self) -> list[str]:
        """Plain text of every bot message and edit, in order."""
        return [e.text for e in self.chat.transcript if e.who == "bot" and e.kind in MESSAGE_KINDS]

    def tail(self, count: int = 12) -> str:
        """The last entries of the transcript, one per line."""
        entries = self.chat.transcript[-count:]
        return "\n".join(describe(e) for e in entries) or "(transcript is empty)"

    async def wait_for(
        self,
        predicate: Predicate,
        timeout: float = 10.0,  # noqa: ASYNC109 - the driver's documented API
        *,
        since: int | None = None,
        what: str = "a matching bot entry",
    ) -> TranscriptEntry:
        """The first bot entry after since (default: the last action here) matching predicate."""
        start = self.chat.last_action if since is None else since
        found: list[TranscriptEntry] = []

        def check() -> bool:
            for entry in self.chat.transcript[start:]:
                if entry.who == "bot" and predicate(entry):
                    found.append(entry)
                    return True
            return False

        if not await self.world.signal.wait_until(check, timeout):
            raise AssertionError(
                f"timed out after {timeout}s waiting for {what} in {self.name}'s chat.\n"
                f"Transcript tail:\n{self.tail()}"
            )
        return found[0]

    async def expect(
        self, contains: str, timeout: float = 10.0  # noqa: ASYNC109 - documented API
    ) -> TranscriptEntry:
        """The first bot message/edit since the last action whose text contains the substring."""
        return await self.wait_for(
            contains_text(contains), timeout, what=f"a bot message containing {contains!r}"
        )
