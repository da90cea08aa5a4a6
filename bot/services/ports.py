"""The interfaces the use cases need: storage (storage/ implements it), the clock and the
document renderer (bot/app wires them); tests fake them."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Any, Literal, Protocol, Self, TypeVar

from bot.domain.model import (
    REMINDER_STATUSES,
    PainRating,
    Person,
    ProgramChange,
    ProviderProgram,
    Question,
    ReminderKind,
    ReminderStatus,
    Session,
    TriageRecord,
)
from bot.domain.program.links import NewLink, StoredLink

# A stored reminder's status: the domain's, or taken by a sender and not yet sent.
StoredReminderStatus = ReminderStatus | Literal["claimed"]
STORED_REMINDER_STATUSES: tuple[StoredReminderStatus, ...] = (*REMINDER_STATUSES, "claimed")

T = TypeVar("T")


class Clock(Protocol):
    """Anything that can tell the current time (always timezone-aware UTC)."""

    def now(self) -> datetime:
        """The current time in UTC."""
        ...


class Renderer(Protocol):
    """Draws a document away from the event loop, with a deadline (bot/export/render_pool)."""

    async def run(self, what: str, function: Callable[..., T], *args: Any) -> T:
        """`function(*args)` drawn elsewhere; RenderFailed past the deadline or on a crash."""
        ...


class PeopleRepository(Protocol):
    """Loads and stores whole Person aggregates. Never commits."""

    async def get(self, telegram_user_id: int) -> Person | None:
        """The person with this Telegram user id, with program and conversation, or None."""
        ...

    async def add(self, person: Person) -> None:
        """Start tracking a new person; it is written on commit."""
        ...

    async def save(self, person: Person) -> None:
        """Write the person's current fields, program and conversation back."""
        ...

    async def delete_person(self, telegram_user_id: int) -> bool:
        """Remove every row about this person; False when there was none."""
        ...

    async def session_history(self, telegram_user_id: int) -> list[Session]:
        """Every session, oldest first."""
        ...

    async def pain_history(self, telegram_user_id: int,
                           since: datetime | None = None) -> list[PainRating]:
        """Every pain rating (at or after `since`), oldest first."""
        ...

    async def triage_history(self, telegram_user_id: int) -> list[TriageRecord]:
        """Every triage decision, oldest first."""
        ...

    async def questions(self, telegram_user_id: int) -> list[Question]:
        """Every saved question, oldest first."""
        ...

    async def reminder_history(self, telegram_user_id: int) -> list[ReminderRecord]:
        """Every reminder, whatever became of it, by fire time."""
        ...

    async def program_history(self, telegram_user_id: int) -> list[ProgramChange]:
        """Every change made to the program after set-up, oldest first."""
        ...

    async def mark_inactive(self, telegram_user_id: int, inactive: bool) -> None:
        """Set only the inactive flag (they blocked the bot), without loading the person."""
        ...


@dataclass(frozen=True)
class ReminderRecord:
    """One stored reminder as the audit trail keeps it: what, when due, what became of it."""

    kind: ReminderKind
    fire_at: datetime  # UTC
    status: StoredReminderStatus
    sent_at: datetime | None = None


class UpdateLog(Protocol):
    """Which Telegram update ids were already applied, so a redelivery changes nothing."""

    async def seen(self, update_id: int) -> bool:
        """True when this update id was recorded before."""
        ...

    async def claim(self, update_id: int, at: datetime) -> bool:
        """Remember that this update is applied in this transaction; False if it was already
        (then apply nothing). Concurrent claims of one id: only one gets True."""
        ...

    async def keep_replies(self, update_id: int, replies: str, telegram_user_id: int) -> None:
        """Store the answer of the update claimed in this transaction, until it is sent,
        with the person it is for."""
        ...

    async def forget_replies(self, telegram_user_id: int) -> int:
        """Drop every answer still kept for this person (they asked to be forgotten)."""
        ...

    async def drop_unsent(self, before: datetime) -> int:
        """Drop answers kept since before `before` (never to be asked for again)."""
        ...

    async def unsent_replies(self, update_id: int) -> str | None:
        """The stored answer of an applied update never marked sent, if any."""
        ...

    async def mark_replied(self, update_ids: Collection[int], at: datetime) -> None:
        """The answers of these updates went out."""
        ...

    async def prune(self, before: datetime) -> int:
        """Forget update ids handled before `before` (Telegram redelivers for a day at most)."""
        ...


class HoldSchedule(Protocol):
    """Finds people whose timed hold is running, for the scheduler's tick."""

    async def people_holding(self, limit: int = 1000) -> list[int]:
        """Telegram user ids of people with a running hold, soonest deadline first."""
        ...


class FollowUpSchedule(Protocol):
    """Finds people whose escalation follow-up is due, for the scheduler's tick."""

    async def people_due(self, now: datetime, limit: int = 1000) -> list[int]:
        """Telegram user ids of people whose follow-up is due at `now`, earliest first."""
        ...


@dataclass(frozen=True)
class ClaimedReminder:
    """A due reminder this process claimed, with where to send it."""

    id: int
    telegram_user_id: int
    chat_id: int
    kind: str
    fire_at: datetime  # UTC: when it was due, to tell a late one from a missed one


class ReminderQueue(Protocol):
    """Due reminders for the scheduler's tick, claimed so that no two processes send one."""

    async def claim_due(
        self, now: datetime, worker: str, limit: int = 500
    ) -> list[ClaimedReminder]:
        """Claim up to `limit` pending reminders due at `now`, earliest first.

        They become "claimed" by `worker` at `now`; commit before sending. Reminders of
        inactive people are skipped (left pending). Two processes never claim one reminder.
        """
        ...

    async def mark(self, reminder_id: int, status: str, at: datetime) -> None:
        """Settle a claimed reminder: sent (at `at`), missed, cancelled, or pending again."""
        ...

    async def renew(self, reminder_id: int, worker: str, at: datetime) -> bool:
        """Refresh this worker's claim before sending; False when it is no longer ours."""
        ...

    async def release_stale_claims(self, older_than: datetime) -> int:
        """Put claims made before `older_than` (their process died) back to pending."""
        ...

    async def release_worker(self, worker: str) -> int:
        """Put every claim `worker` still holds back to pending (it is shutting down)."""
        ...


@dataclass(frozen=True)
class OwedMessage:
    """A message in the outbox: to whom, what (replies_codec JSON), how far a try got."""

    id: int
    telegram_user_id: int
    chat_id: int
    replies: str
    done: int  # replies already sent
    attempts: int  # failed tries so far


class Outbox(Protocol):
    """Messages the scheduler owes people (a hold's end, a follow-up), kept until sent."""

    async def add(self, person_id: int, replies: str, due_at: datetime, now: datetime) -> int:
        """Owe these replies, in the transaction that produced them; the message's id.

        Until `due_at` nobody else takes it: the adder sends it right after committing.
        """
        ...

    async def take_due(self, now: datetime, lease_until: datetime,
                       limit: int = 100) -> list[OwedMessage]:
        """Messages due at `now`, each put off to `lease_until` so nobody else takes it."""
        ...

    async def retry(self, item_id: int, done: int, due_at: datetime) -> None:
        """A try failed after `done` replies: count it, and try again at `due_at`."""
        ...

    async def remove(self, item_id: int) -> None:
        """The message was sent (or cannot be): owed no more."""
        ...


class Retention(Protocol):
    """Rows past their time (the retention settings), removed a batch per call."""

    async def drop_warning_text(self, before: datetime, limit: int) -> int:
        """Clear the text of up to `limit` warning-sign decisions made before `before`."""
        ...

    async def drop_history(self, before: datetime, limit: int) -> int:
        """Delete up to `limit` rows of each kind of history older than `before`."""
        ...

    async def blocked_since(self, before: datetime, limit: int) -> list[int]:
        """Telegram ids of people who blocked the bot before `before`, oldest first."""
        ...


class ProgramLinks(Protocol):
    """Program links, found by their code's hash (bot/domain/program/links.py)."""

    async def add(self, link: NewLink) -> None:
        """Store a new link (its hash, never its code)."""
        ...

    async def find(self, code_hash: str, now: datetime) -> ProviderProgram | None:
        """The program of a link that is still usable now (not expired, not used up)."""
        ...

    async def stored(self, code_hash: str, now: datetime) -> StoredLink | None:
        """The link with this hash, unless expired (used or not): for its handout again."""
        ...

    async def take(self, code_hash: str, now: datetime) -> ProviderProgram | None:
        """Count one use of a usable link and give its program; None when it is not usable
        (two people taking a single-use link at once: only one gets it)."""
        ...


@dataclass(frozen=True)
class SharedPage:
    """A shared progress page found by its token's hash: whose, and whether it opens."""

    link_id: int
    telegram_user_id: int
    token_hash: str  # the stored hash, compared again in constant time
    expires_at: datetime
    revoked_at: datetime | None
    language: str  # the person's, for the page's words


class ShareLinks(Protocol):
    """The tokens and views of shared progress pages (the rows come with the Person)."""

    async def set_token(self, telegram_user_id: int, ref: str, token_hash: str,
                        now: datetime) -> datetime | None:
        """Give the person's open page `ref` this token's hash (replacing any before);
        when it ends, or None when they have no such open page."""
        ...

    async def find(self, token_hash: str) -> SharedPage | None:
        """The page whose token has this hash, stopped or ended ones included."""
        ...

    async def record_view(self, link_id: int, at: datetime) -> None:
        """Count one view of the page, at `at`."""
        ...


class UnitOfWork(Protocol):
    """One transaction: everything done inside is committed together or not at all."""

    people: PeopleRepository
    updates: UpdateLog
    holds: HoldSchedule
    follow_ups: FollowUpSchedule
    reminders: ReminderQueue
    outbox: Outbox
    retention: Retention
    links: ProgramLinks
    shares: ShareLinks

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Roll back whatever was not committed."""
        ...

    async def commit(self) -> None:
        """Make the changes durable."""
        ...

    async def rollback(self) -> None:
        """Drop the changes."""
        ...
