"""Test groups and channels: people write in them, and a group can become a supergroup."""

from __future__ import annotations

from typing import Any

from .chatview import ChatView
from .driver import TestUser, text_body
from .model import TranscriptEntry
from .world import World


class TestGroup(ChatView):
    """A group with the bot and some people in it (a basic group, or a supergroup)."""

    __test__ = False

    def __init__(
        self, world: World, title: str, members: list[TestUser], *, supergroup: bool = False
    ) -> None:
        chat: dict[str, Any]
        if supergroup:  # supergroups have -100... ids, as channels do
            chat = {"id": world.next_channel_id(), "type": "supergroup", "title": title}
        else:
            chat = {"id": world.next_group_id(), "type": "group", "title": title,
                    "all_members_are_administrators": False}
        super().__init__(world, world.add_chat(chat), title)
        self.members = members

    def _service(self, body: dict[str, Any], by: TestUser | None) -> None:
        stored = self.world.new_message(self.chat, by.user if by else None, body, from_bot=False)
        self.world.log(self.chat, TranscriptEntry(
            who="user", kind="service", message_id=stored.message_id,
            sender=by.name if by else self.name,
        ))
        self.world.queue.push("message", dict(stored.payload))

    async def upgrade(self, by: TestUser | None = None) -> TestGroup:
        """Make this basic group a supergroup, as Telegram does when it grows or gets settings.

        The bot sees migrate_to_chat_id here and migrate_from_chat_id in the supergroup;
        from then on, what writes to this group's id gets 400 naming the new id.
        """
        if self.chat.migrated_to is not None or self.chat.chat["type"] != "group":
            raise AssertionError(f"{self.name} is not a basic group that can be upgraded")
        new = TestGroup(self.world, self.name, list(self.members), supergroup=True)
        self._service({"migrate_to_chat_id": new.chat_id}, by)
        self.chat.migrated_to = new.chat_id
        new._service({"migrate_from_chat_id": self.chat_id}, by)
        return new

    async def send(self, user: TestUser, text: str) -> int:
        """user writes text in the group; returns its message id."""
        if self.chat.migrated_to is not None:
            raise AssertionError(f"{self.name} became a supergroup; write in that one")
        stored = self.world.new_message(self.chat, user.user, text_body(text), from_bot=False)
        self.world.log(self.chat, TranscriptEntry(
            who="user", kind="text", text=text, message_id=stored.message_id, sender=user.name
        ))
        self.world.queue.push("message", dict(stored.payload))
        return stored.message_id


class TestChannel(ChatView):
    """A channel in which the bot is an administrator."""

    __test__ = False

    def __init__(self, world: World, name: str, username: str | None = None) -> None:
        chat: dict[str, Any] = {"id": world.next_channel_id(), "type": "channel", "title": name}
        if username:
            chat["username"] = username
        super().__init__(world, world.add_chat(chat), name)

    async def post(self, text: str) -> int:
        """Publish a post in the channel (a channel_post update)."""
        body = {**text_body(text), "sender_chat": self.chat.chat}
        stored = self.world.new_message(self.chat, None, body, from_bot=False)
        self.world.log(self.chat, TranscriptEntry(
            who="user", kind="text", text=text, message_id=stored.message_id, sender=self.name
        ))
        self.world.queue.push("channel_post", dict(stored.payload))
        return stored.message_id
