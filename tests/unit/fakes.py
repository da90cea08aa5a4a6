"""In-memory stand-ins for the storage ports, for fast service tests (cosmicpython style)."""

from __future__ import annotations

import copy
from collections.abc import Collection
from datetime import datetime
from types import TracebackType
from typing import Self

from bot.domain.model import Person


class FakePeople:
    """Keeps people in a dict; changes become visible to others only on commit."""

    def __init__(self, committed: dict[int, Person]) -> None:
        self.committed = committed
        self.pending: dict[int, Person] = {}

    async def get(self, telegram_user_id: int) -> Person | None:
        found = self.pending.get(telegram_user_id) or self.committed.get(telegram_user_id)
        return copy.deepcopy(found)

    async def add(self, person: Person) -> None:
        self.pending[person.telegram_user_id] = copy.deepcopy(person)

    async def save(self, person: Person) -> None:
        self.pending[person.telegram_user_id] = copy.deepcopy(person)


class FakeUpdates:
    """Remembers update ids."""

    def __init__(self, committed: set[int]) -> None:
        self.committed = committed
        self.pending: set[int] = set()
        self.replies: dict[int, str] = {}

    async def seen(self, update_id: int) -> bool:
        return update_id in self.committed or update_id in self.pending

    async def claim(self, update_id: int, at: datetime) -> bool:
        if await self.seen(update_id):
            return False
        self.pending.add(update_id)
        return True

    async def keep_replies(self, update_id: int, replies: str, telegram_user_id: int) -> None:
        self.replies[update_id] = replies

    async def forget_replies(self, telegram_user_id: int) -> int:
        return 0  # the in-memory tests never forget anyone

    async def drop_unsent(self, before: datetime) -> int:
        return 0

    async def unsent_replies(self, update_id: int) -> str | None:
        return self.replies.get(update_id)

    async def mark_replied(self, update_ids: Collection[int], at: datetime) -> None:
        for update_id in update_ids:
            self.replies.pop(update_id, None)

    async def prune(self, before: datetime) -> int:
        return 0


class FakeSchedules:
    """Nobody is holding or due a follow-up in the service tests."""

    async def people_holding(self, limit: int = 1000) -> list[int]:
        return []

    async def people_due(self, now: datetime, limit: int = 1000) -> list[int]:
        return []


class FakeReminders:
    """No reminders fall due in the service tests."""

    async def claim_due(self, now: datetime, worker: str, limit: int = 500) -> list[object]:
        return []

    async def mark(self, reminder_id: int, status: str, at: datetime) -> None:
        return None

    async def release_stale_claims(self, older_than: datetime) -> int:
        return 0

    async def release_worker(self, worker: str) -> int:
        return 0

    async def renew(self, reminder_id: int, worker: str, at: datetime) -> bool:
        return True


class FakeUnitOfWork:
    """A unit of work over shared dicts; commit copies pending changes in."""

    def __init__(self) -> None:
        self.people_store: dict[int, Person] = {}
        self.update_store: set[int] = set()
        self.commits = 0

    async def __aenter__(self) -> Self:
        self.people = FakePeople(self.people_store)
        self.updates = FakeUpdates(self.update_store)
        self.holds = self.follow_ups = FakeSchedules()
        self.reminders = FakeReminders()
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None,
                        exc: BaseException | None, tb: TracebackType | None) -> None:
        await self.rollback()

    async def commit(self) -> None:
        self.people_store.update(self.people.pending)
        self.update_store.update(self.updates.pending)
        self.commits += 1
        await self.rollback()

    async def rollback(self) -> None:
        self.people.pending.clear()
        self.updates.pending.clear()
