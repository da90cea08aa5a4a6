"""In-memory stand-ins for the storage ports, for fast service tests (cosmicpython style)."""

from __future__ import annotations

import copy
from collections.abc import Collection
from datetime import datetime
from types import TracebackType
from typing import Self

from bot.domain.model import (
    PainRating,
    Person,
    ProgramChange,
    ProviderProgram,
    Question,
    Session,
    TriageRecord,
)
from bot.domain.program.links import NewLink, StoredLink
from bot.services.ports import (
    ClaimedReminder,
    FollowUpSchedule,
    HoldSchedule,
    Outbox,
    OwedMessage,
    PeopleRepository,
    ProgramLinks,
    ReminderQueue,
    ReminderRecord,
    Retention,
    SharedPage,
    ShareLinks,
    UpdateLog,
)


def _not_modelled(what: str) -> AssertionError:
    """The in-memory fakes keep only what the service tests read; anything more is a
    storage test's job, and reaching it here must fail rather than answer nothing."""
    return AssertionError(f"{what} is not modelled by the in-memory fakes")


class FakePeople:
    """Keeps people in a dict; changes become visible to others only on commit."""

    def __init__(self, committed: dict[int, Person]) -> None:
        self.committed = committed
        self.pending: dict[int, Person] = {}
        self.deleted: set[int] = set()

    async def get(self, telegram_user_id: int) -> Person | None:
        if telegram_user_id in self.deleted:
            return None
        found = self.pending.get(telegram_user_id) or self.committed.get(telegram_user_id)
        return copy.deepcopy(found)

    async def add(self, person: Person) -> None:
        self.deleted.discard(person.telegram_user_id)  # forgotten, then starting afresh
        self.pending[person.telegram_user_id] = copy.deepcopy(person)

    async def save(self, person: Person) -> None:
        self.pending[person.telegram_user_id] = copy.deepcopy(person)

    async def delete_person(self, telegram_user_id: int) -> bool:
        existed = await self.get(telegram_user_id) is not None
        self.pending.pop(telegram_user_id, None)
        self.deleted.add(telegram_user_id)
        return existed

    async def session_history(self, telegram_user_id: int) -> list[Session]:
        raise _not_modelled("session history")

    async def pain_history(self, telegram_user_id: int,
                           since: datetime | None = None) -> list[PainRating]:
        raise _not_modelled("pain history")

    async def triage_history(self, telegram_user_id: int) -> list[TriageRecord]:
        raise _not_modelled("triage history")

    async def questions(self, telegram_user_id: int) -> list[Question]:
        raise _not_modelled("questions history")

    async def reminder_history(self, telegram_user_id: int) -> list[ReminderRecord]:
        raise _not_modelled("reminder history")

    async def program_history(self, telegram_user_id: int) -> list[ProgramChange]:
        raise _not_modelled("program history")

    async def mark_inactive(self, telegram_user_id: int, inactive: bool) -> None:
        raise _not_modelled("marking someone inactive")


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

    async def claim_due(self, now: datetime, worker: str,
                        limit: int = 500) -> list[ClaimedReminder]:
        return []

    async def mark(self, reminder_id: int, status: str, at: datetime) -> None:
        return None

    async def release_stale_claims(self, older_than: datetime) -> int:
        return 0

    async def release_worker(self, worker: str) -> int:
        return 0

    async def renew(self, reminder_id: int, worker: str, at: datetime) -> bool:
        return True


class FakeOutbox:
    """The service tests owe nobody a scheduled message."""

    async def add(self, person_id: int, replies: str, due_at: datetime, now: datetime) -> int:
        raise _not_modelled("owing a message")

    async def take_due(self, now: datetime, lease_until: datetime,
                       limit: int = 100) -> list[OwedMessage]:
        return []

    async def retry(self, item_id: int, done: int, due_at: datetime) -> None:
        raise _not_modelled("retrying an owed message")

    async def remove(self, item_id: int) -> None:
        raise _not_modelled("removing an owed message")


class FakeRetention:
    """Nothing in the service tests is old enough to remove."""

    async def drop_warning_text(self, before: datetime, limit: int) -> int:
        return 0

    async def drop_history(self, before: datetime, limit: int) -> int:
        return 0

    async def blocked_since(self, before: datetime, limit: int) -> list[int]:
        return []


class FakeLinks:
    """Program links in a dict by hash (committed at once: the tests add them up front)."""

    def __init__(self, store: dict[str, tuple[NewLink, int]]) -> None:
        self.store = store

    async def add(self, link: NewLink) -> None:
        self.store[link.hash] = (link, 0)

    async def find(self, code_hash: str, now: datetime) -> ProviderProgram | None:
        link, uses = self.store.get(code_hash, (None, 0))
        if link is None or link.expires_at <= now or (link.uses == "single" and uses >= 1):
            return None
        return link.program

    async def stored(self, code_hash: str, now: datetime) -> StoredLink | None:
        link, _ = self.store.get(code_hash, (None, 0))
        if link is None or link.expires_at <= now:
            return None
        return StoredLink(link.program, link.uses, link.created_at, link.expires_at)

    async def take(self, code_hash: str, now: datetime) -> ProviderProgram | None:
        program = await self.find(code_hash, now)
        if program is not None:
            link, uses = self.store[code_hash]
            self.store[code_hash] = (link, uses + 1)
        return program


class FakeShares:
    """No page is shared in the service tests."""

    async def set_token(self, telegram_user_id: int, ref: str, token_hash: str,
                        now: datetime) -> datetime | None:
        raise _not_modelled("making a shared page's token")

    async def find(self, token_hash: str) -> SharedPage | None:
        return None

    async def record_view(self, link_id: int, at: datetime) -> None:
        raise _not_modelled("counting a shared page's views")


class FakeUnitOfWork:
    """A unit of work over shared dicts; commit copies pending changes in."""

    def __init__(self) -> None:
        self.people_store: dict[int, Person] = {}
        self.update_store: set[int] = set()
        self.link_store: dict[str, tuple[NewLink, int]] = {}
        self.commits = 0

    async def __aenter__(self) -> Self:
        # The fakes by their own types, for commit; the ports by theirs, as UnitOfWork has
        # them (its members can be set, so they must be declared exactly as the protocol's).
        self.fake_people = FakePeople(self.people_store)
        self.fake_updates = FakeUpdates(self.update_store)
        self.people: PeopleRepository = self.fake_people
        self.updates: UpdateLog = self.fake_updates
        schedules = FakeSchedules()
        self.holds: HoldSchedule = schedules
        self.follow_ups: FollowUpSchedule = schedules
        self.reminders: ReminderQueue = FakeReminders()
        self.outbox: Outbox = FakeOutbox()
        self.retention: Retention = FakeRetention()
        self.links: ProgramLinks = FakeLinks(self.link_store)
        self.shares: ShareLinks = FakeShares()
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None,
                        exc: BaseException | None, tb: TracebackType | None) -> None:
        await self.rollback()

    async def commit(self) -> None:
        for telegram_user_id in self.fake_people.deleted:
            self.people_store.pop(telegram_user_id, None)
        self.people_store.update(self.fake_people.pending)
        self.update_store.update(self.fake_updates.pending)
        self.commits += 1
        await self.rollback()

    async def rollback(self) -> None:
        self.fake_people.pending.clear()
        self.fake_people.deleted.clear()
        self.fake_updates.pending.clear()
