"""The use case behind every message and button press: one update, one transaction."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime

from bot.domain.catalog import Catalog
from bot.domain.engine import replies_codec as codec
from bot.domain.engine.events import Event
from bot.domain.engine.replies import Reply
from bot.domain.limits.allowance import Limits
from bot.domain.model import Person
from bot.domain.routing import router as conversation
from bot.services.ports import UnitOfWork
from bot.services.program_links import open_link


@dataclass(frozen=True)
class Inbound:
    """One update from a person in a private chat, already turned into a domain event."""

    update_id: int
    telegram_user_id: int
    chat_id: int
    language: str
    event: Event


@dataclass(frozen=True)
class Outcome:
    """What to send back, and the conversation revision to stamp on its buttons."""

    replies: list[Reply] = field(default_factory=list)
    revision: int = 0
    language: str = "en"
    duplicate: bool = False
    escalations: tuple[str, ...] = ()  # warning levels this update led to, for metrics


async def handle_update(uow: UnitOfWork, catalog: Catalog, inbound: Inbound,
                        now: datetime, replied: Collection[int] = (),
                        limits: Limits | None = None) -> Outcome:
    """Load the person, apply the event, store everything and commit, then say what to send.

    A person is stored only once they have consented; before that, only the fact that the
    update was handled is kept (so a redelivered update is not applied twice). `replied`:
    earlier updates whose answers went out since, marked sent in this same transaction
    (one transaction per update instead of two).
    """
    async with uow:
        # First, before any lock on the person: two replicas given the same update meet here.
        claimed = await uow.updates.claim(inbound.update_id, now)
        await uow.updates.mark_replied(replied, now)
        if not claimed:
            # Applied before. If its answer never went out (the process died in between),
            # send that answer now rather than nothing.
            kept = await uow.updates.unsent_replies(inbound.update_id)
            await uow.commit()
            if kept is None:
                return Outcome(duplicate=True, language=inbound.language)
            return dataclasses.replace(kept_outcome(kept), duplicate=True)
        stored = await uow.people.get(inbound.telegram_user_id)
        person = stored or Person(inbound.telegram_user_id, inbound.chat_id,
                                  inbound.language, created_at=now)
        event = await open_link(uow, person, inbound.event, now)
        replies = conversation.handle(person, event, catalog, now, limits)
        levels = tuple(r.level for r in person.new_triage_records if r.level != "none")
        if person.forget:
            await uow.people.delete_person(person.telegram_user_id)
            # Earlier answers still kept with their updates may quote what they said.
            await uow.updates.forget_replies(person.telegram_user_id)
        elif stored is not None:
            await uow.people.save(person)
        elif person.has_consented:
            await uow.people.add(person)
        if replies:
            await uow.updates.keep_replies(inbound.update_id, keep(
                Outcome(replies, person.conversation.revision, person.language)),
                inbound.telegram_user_id)
        await uow.commit()
    return Outcome(replies, person.conversation.revision, person.language,
                   escalations=levels)


async def replies_sent(uow: UnitOfWork, update_ids: Collection[int], now: datetime) -> None:
    """The answers of these updates went out: they need not be kept any more."""
    async with uow:
        await uow.updates.mark_replied(update_ids, now)
        await uow.commit()



def keep(outcome: Outcome) -> str:
    """An outcome as JSON, to be kept until it was sent (kept_outcome() reads it back)."""
    return codec.encode(outcome.replies, revision=outcome.revision, language=outcome.language)


def kept_outcome(text: str) -> Outcome:
    """The outcome keep() stored."""
    replies, stamp = codec.decode(text)
    return Outcome(replies, int(stamp["revision"]), str(stamp["language"]))
