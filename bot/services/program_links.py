"""Program links as use cases: creating one (the CLI, the form) and finding the one a
person opened (before the domain sees their update)."""

from __future__ import annotations

import dataclasses
import re
from datetime import datetime

from bot.domain.engine.events import Command, Event, Press
from bot.domain.model import Offer, Person
from bot.domain.program.links import NewLink, code_hash, looks_like_code
from bot.services.ports import UnitOfWork

# Presses that carry a code: the disclaimer's buttons, shown to someone who opened a link
# before consenting (nothing about them is stored until then, so the button remembers it).
CARRIERS = frozenset({"agree", "decline"})
# What a Telegram deep link's start parameter may hold.
START_PARAMETER = re.compile(r"[A-Za-z0-9_-]{1,64}")


async def create_link(uow: UnitOfWork, link: NewLink) -> None:
    """Store a new link, committed."""
    async with uow:
        await uow.links.add(link)
        await uow.commit()


async def open_link(uow: UnitOfWork, person: Person, event: Event, now: datetime) -> Event:
    """Find the link a `/start CODE` (or a button carrying it) names, set `person.link_offer`,
    and give the event without the code, so nothing downstream reads it as words.

    A person who has consented takes the link (its use is counted); before consent it is
    only looked at, and taken when they press "I understand".
    """
    code = _code(event)
    if code is None or (isinstance(event, Press) and person.has_consented):
        return event  # a consented person's disclaimer button is stale anyway
    if isinstance(event, Press) and event.action == "decline":
        taking = False
    else:
        taking = person.has_consented or isinstance(event, Press)
    if not looks_like_code(code):
        if START_PARAMETER.fullmatch(code):  # a deep link's shape, not ours: a wrong code
            person.link_offer = Offer(None)
        # Words typed after /start stay, for the warning-sign check ("/start chest pain").
        return event
    hashed = code_hash(code)
    program = await (uow.links.take(hashed, now) if taking else uow.links.find(hashed, now))
    person.link_offer = Offer(program, None if taking or program is None else code, taking)
    # A code is random letters: never read as words (it once looked like another language).
    return dataclasses.replace(event, args="") if isinstance(event, Command) else event


def _code(event: Event) -> str | None:
    if isinstance(event, Command) and event.name == "start" and event.args:
        return event.args
    if isinstance(event, Press) and event.action in CARRIERS:
        return event.arg.partition(".")[2] or None  # "en.CODE": the language, then the code
    return None
