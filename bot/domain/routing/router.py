"""Applies one event to a person: the routing table (table.py) says what answers it."""

from __future__ import annotations

import dataclasses
from datetime import datetime

from bot.domain.catalog import Catalog
from bot.domain.engine.events import Event, ReminderDue, Timer
from bot.domain.engine.fsm import Context
from bot.domain.engine.replies import Reply, Say
from bot.domain.limits import allowance
from bot.domain.limits.allowance import Limits
from bot.domain.model import Person
from bot.domain.reminders.plan import reschedule
from bot.domain.routing.advance import what_buttons_depend_on
from bot.domain.routing.table import walk


def handle(person: Person, event: Event, catalog: Catalog, now: datetime,
           limits: Limits | None = None) -> list[Reply]:
    """Apply one event to a person (changing it in place) and return what to say.

    The conversation revision grows whenever anything about the person changed, which
    is what makes buttons on older messages recognisably stale.
    """
    before = what_buttons_depend_on(person)
    ctx = Context(person, catalog, now, limits or Limits())
    if person.inactive and not isinstance(event, ReminderDue | Timer):
        # They wrote again after blocking the bot: reminders start again.
        person.inactive = False
        reschedule(person, now)
    records, ratings = len(person.new_triage_records), len(person.new_pain_ratings)
    replies = walk(ctx, event)
    # After routing, so what is trimmed past a daily cap never changes an answer.
    replies = [*allowance.bound_new_rows(person, now, records, ratings), *replies]
    # Before consent nothing is stored, so there is no revision to compare buttons against.
    if what_buttons_depend_on(person) != before and person.has_consented:
        person.conversation.revision += 1
    allowance.stamp(person, person.conversation.revision)
    return compact(replies)


def compact(replies: list[Reply]) -> list[Reply]:
    """Fold button-less messages into the message that follows: fewer pings on a phone."""
    merged: list[Reply] = []
    for reply in replies:
        last = merged[-1] if merged else None
        if (isinstance(reply, Say) and isinstance(last, Say) and not last.buttons
                and not last.edit and not reply.edit):
            merged[-1] = dataclasses.replace(reply, lines=last.lines + reply.lines)
        else:
            merged.append(reply)
    return merged
