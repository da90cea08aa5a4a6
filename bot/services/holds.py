"""Use cases the scheduler drives: ending timed holds, showing their countdown,
remembering which message shows a hold, and the day-after follow-ups (whose messages are
kept in the outbox until sent)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.domain.catalog import Catalog
from bot.domain.engine.events import Timer
from bot.domain.engine.fsm import Context
from bot.domain.engine.replies import Say
from bot.domain.model import Person
from bot.domain.routing import router as conversation
from bot.domain.session.flow import timer_event
from bot.domain.session.prompts import countdown
from bot.services.conversation import Outcome
from bot.services.outbox import Delivery, owe
from bot.services.ports import UnitOfWork


@dataclass(frozen=True)
class Countdown:
    """A countdown edit the ticker may send, if it has not shown this many seconds yet."""

    telegram_user_id: int
    chat_id: int
    deadline: datetime
    seconds_left: int
    seconds_total: int  # what the hold message showed when it was sent
    outcome: Outcome


async def hold_tick(new_uow: Callable[[], UnitOfWork], catalog: Catalog,
                    now: datetime) -> tuple[list[Delivery], list[Countdown]]:
    """End every hold whose deadline passed (one transaction each) and list countdowns."""
    async with new_uow() as uow:
        holding = await uow.holds.people_holding()
    ended: list[Delivery] = []
    countdowns: list[Countdown] = []
    for telegram_user_id in holding:
        async with new_uow() as uow:
            person = await uow.people.get(telegram_user_id)
            if person is None or person.session is None or person.session.hold is None:
                continue
            event = timer_event(person.session, now)
            if event is None:
                edit = countdown(Context(person, catalog, now), now)
                if edit is not None:
                    countdowns.append(_countdown(person, edit, now))
                continue
            replies = conversation.handle(person, event, catalog, now)
            await uow.people.save(person)
            # Owed in the same transaction: a failed send or a crash cannot lose it.
            delivery = await owe(uow, person, replies, now)
            await uow.commit()
        ended.append(delivery)
    return ended, countdowns


def _countdown(person: Person, edit: Say, now: datetime) -> Countdown:
    assert person.session is not None and person.session.hold is not None
    hold = person.session.hold
    left = max(0, int((hold.deadline - now).total_seconds() + 0.999))
    total = int((hold.deadline - hold.started_at).total_seconds())
    return Countdown(person.telegram_user_id, person.chat_id, hold.deadline, left, total,
                     Outcome([edit], person.conversation.revision, person.language))


async def remember_message(uow: UnitOfWork, telegram_user_id: int, tag: str,
                           message_id: int) -> None:
    """Store the id of the message that shows a running hold, so its countdown can be edited."""
    if tag != "hold":
        return
    async with uow:
        person = await uow.people.get(telegram_user_id)
        session = person.session if person else None
        if person is None or session is None or session.hold is None:
            return  # the hold ended or was stopped before Telegram answered
        session.hold.message_id = message_id
        await uow.people.save(person)
        await uow.commit()


async def follow_up_tick(new_uow: Callable[[], UnitOfWork], catalog: Catalog,
                         now: datetime) -> list[Delivery]:
    """Send every follow-up that is due, each in its own transaction."""
    async with new_uow() as uow:
        due = await uow.follow_ups.people_due(now)
    sent: list[Delivery] = []
    for telegram_user_id in due:
        async with new_uow() as uow:
            person = await uow.people.get(telegram_user_id)
            if person is None or person.follow_up is None or person.follow_up.due_at > now:
                continue  # another process got there first
            replies = conversation.handle(person, Timer("follow_up"), catalog, now)
            await uow.people.save(person)
            delivery = await owe(uow, person, replies, now)
            await uow.commit()
        sent.append(delivery)
    return sent
