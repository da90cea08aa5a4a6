"""Routes one event to the person's active flow, after the commands that work everywhere."""

from __future__ import annotations

import copy
import dataclasses
from datetime import datetime
from typing import Any

from bot.domain.catalog import Catalog
from bot.domain.engine.events import (
    Command,
    Edited,
    Event,
    LocationShared,
    Press,
    ReminderDue,
    Text,
    Timer,
    Unreadable,
)
from bot.domain.engine.flows import FLOWS, current_prompt
from bot.domain.engine.fsm import Context, Flow, Step
from bot.domain.engine.replies import Line, Reply, Say, Toast, say
from bot.domain.limits import allowance
from bot.domain.limits.allowance import Limits
from bot.domain.model import Allowance, Conversation, Person
from bot.domain.questions import faq_answer, offers
from bot.domain.reminders import messages as reminder_messages
from bot.domain.reminders.plan import reschedule
from bot.domain.routing.commands import run_command
from bot.domain.routing.home import HOME, Home
from bot.domain.session.flow import SESSION
from bot.domain.triage import Level, escalation

FOLLOW_UP_ACTIONS = frozenset({"fu_reached", "fu_not_yet", "fu_better"})


def handle(person: Person, event: Event, catalog: Catalog, now: datetime,
           limits: Limits | None = None) -> list[Reply]:
    """Apply one event to a person (changing it in place) and return what to say.

    The conversation revision grows whenever anything about the person changed, which
    is what makes buttons on older messages recognisably stale.
    """
    before = _what_buttons_depend_on(person)
    ctx = Context(person, catalog, now, limits or Limits())
    if person.inactive and not isinstance(event, ReminderDue | Timer):
        # They wrote again after blocking the bot: reminders start again.
        person.inactive = False
        reschedule(person, now)
    records, ratings = len(person.new_triage_records), len(person.new_pain_ratings)
    replies = _route(ctx, event)
    # After routing, so what is trimmed past a daily cap never changes an answer.
    replies = [*allowance.bound_new_rows(person, now, records, ratings), *replies]
    # Before consent nothing is stored, so there is no revision to compare buttons against.
    if _what_buttons_depend_on(person) != before and person.has_consented:
        person.conversation.revision += 1
    allowance.stamp(person, person.conversation.revision)
    return compact(replies)


def _what_buttons_depend_on(person: Person) -> Person:
    """The person without what a button's meaning never depends on (logs, follow-ups)."""
    return dataclasses.replace(copy.deepcopy(person), follow_up=None, new_pain_ratings=[],
                               recent_pain=[], new_triage_records=[], new_program_changes=[],
                               reminders=[], inactive=False, allowance=Allowance())


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


def _route(ctx: Context, event: Event) -> list[Reply]:
    if isinstance(event, Text | Edited) or (isinstance(event, Command) and event.args):
        # Warning signs come before anything else, in every state of every flow, and in
        # the words after a command ("/ask ..."): the command is not run after a sign.
        command = isinstance(event, Command)
        text = event.args if isinstance(event, Command) else event.text
        screened = escalation.screen(ctx, text, least=Level.URGENT if command else Level.NONE)
        if screened.replies is not None:
            return screened.replies
        if isinstance(event, Edited):
            return [say("unreadable.edited"), *current_prompt(ctx)]
        if screened.unreadable and isinstance(event, Text):
            return _in_another_language(ctx, event, screened.unreadable)
        if screened.unreadable and isinstance(event, Command):
            notice = escalation.not_understood(ctx, text, screened.unreadable)
            return [notice, *run_command(ctx, event)]
    if isinstance(event, Press) and event.action in FOLLOW_UP_ACTIONS:
        # Works from any state, but only once and only on the latest follow-up's message.
        if not allowance.is_live(ctx.person, "follow_up", event.revision):
            return [Toast(Line("common.already_answered"))]
        allowance.close(ctx.person, "follow_up")
        return _follow_up_answer(ctx, event)
    if isinstance(event, Press) and event.action in offers.ACTIONS:
        return offers.pressed(ctx, event)
    if isinstance(event, ReminderDue):
        return reminder_messages.reminder_due(ctx, event)
    if isinstance(event, Press) and event.action in reminder_messages.ACTIONS:
        replies, then = reminder_messages.pressed(ctx, event)
        return replies + (run_command(ctx, Command(then)) if then else [])
    if isinstance(event, LocationShared):
        flow = FLOWS[ctx.person.conversation.flow]
        if flow.find(flow.states(ctx.person.conversation.state), "location") is None:
            return [say("unreadable.location"), *current_prompt(ctx)]
        return _advance(ctx, event)
    if isinstance(event, Timer) and event.name == "follow_up":
        return _follow_up(ctx)
    if isinstance(event, Command):
        return run_command(ctx, event)
    if isinstance(event, Unreadable):
        return [_unreadable(event), *current_prompt(ctx)]
    if isinstance(event, Timer):
        flow = FLOWS[ctx.person.conversation.flow]
        if flow.find(flow.states(ctx.person.conversation.state), event.name) is None:
            return []  # e.g. a hold that was paused or stopped before its deadline
        return _advance(ctx, event)
    if isinstance(event, Press) and event.revision != ctx.person.conversation.revision:
        return _stale(ctx, event)
    return _advance(ctx, event)


def _in_another_language(ctx: Context, event: Text, language: str) -> list[Reply]:
    """Written in a language the bot cannot read: say so at once, with the emergency
    number. The flow still gets the text, in case it can use it (a country's own name);
    if it cannot, nothing changes, not even an offer to save it as a question."""
    notice = escalation.not_understood(ctx, event.text, language)
    conversation = copy.deepcopy(ctx.person.conversation)
    before = _without_offer(ctx.person)
    replies = _advance(ctx, event)
    if _without_offer(ctx.person) == before:  # the flow could not use it either
        ctx.person.conversation = conversation
        return [notice, *current_prompt(ctx)]
    return [notice, *replies]


def _without_offer(person: Person) -> Person:
    """The person as far as a flow's answer changes them, leaving out an offer to save text."""
    found = _what_buttons_depend_on(person)
    found.conversation.data.pop("offer", None)
    return found


def _advance(ctx: Context, event: Press | Text | Timer | LocationShared) -> list[Reply]:
    conversation = ctx.person.conversation
    flow = FLOWS[conversation.flow]
    state = flow.states(conversation.state)
    name = _event_name(event)
    transition = flow.find(state, name)
    if transition is None:
        if isinstance(event, Press):
            return _stale(ctx, event)
        answered = faq_answer.answer(ctx, event.text) if isinstance(event, Text) else None
        if answered is not None:
            return [answered, *current_prompt(ctx)]
        buttons = offers.offer_buttons(ctx, event.text) if isinstance(event, Text) else ()
        key = "common.use_buttons_or_save" if buttons else "common.use_buttons"
        return [say(key, buttons), *current_prompt(ctx)]
    step = flow.fire(transition, ctx, event)
    conversation.state = step.target.value
    replies: list[Reply] = list(step.replies)
    if isinstance(event, Text) and step.target == state:
        # Text the state could not use: answer a common question it asks, or offer to keep
        # it as a question.
        replies = (faq_answer.instead_of_help(ctx, event.text, replies)
                   or offers.with_offer(ctx, event.text, replies))
    replies.extend(_next_prompt(ctx, flow, step, changed_state=step.target != state))
    if step.target in flow.final:
        back = conversation.data.get("return_to")
        if back:
            ctx.person.conversation = Conversation(back["flow"], back["state"], back["data"],
                                                   conversation.revision)
            replies.extend(current_prompt(ctx))
        else:
            ctx.person.conversation = Conversation(HOME.name, Home.IDLE.value, {},
                                                   conversation.revision)
    return replies


def _follow_up(ctx: Context) -> list[Reply]:
    """The day after an escalation: did they reach their doctor?"""
    follow_up = ctx.person.follow_up
    if follow_up is None or follow_up.due_at > ctx.now:
        return []
    return escalation.ask_follow_up(ctx)


def _follow_up_answer(ctx: Context, press: Press) -> list[Reply]:
    """Answers to the follow-up work from any state; 'not yet' asks again tomorrow, and
    after an urgent or emergency sign it is urgent still: another day without exercise."""
    if press.action == "fu_not_yet":
        level = Level.URGENT if press.arg == "serious" else Level.CALL_DOCTOR
        escalation.record(ctx, level, "follow_up_not_reached", "follow_up")
        number = ctx.catalog.emergency_number(ctx.person.country_code)
        return [Toast(Line("triage.noted")),
                Say((Line("triage.fu_not_yet", {"number": number}),
                     *escalation.rest_lines(ctx)))]
    key = "triage.fu_reached" if press.action == "fu_reached" else "triage.fu_better"
    return [Toast(Line("triage.noted")), say(key)]


SESSION_ACTIONS = frozenset(t.event for t in SESSION.table) - {"text"}


def _stale(ctx: Context, press: Press) -> list[Reply]:
    """A press on an older message: a short notice, and where we are now if that helps."""
    if press.action in SESSION_ACTIONS and ctx.person.conversation.flow != SESSION.name:
        return [Toast(Line("session.ended"))]
    return [Toast(Line("common.stale_button")), *current_prompt(ctx, "common.where_we_are")]


def _event_name(event: Press | Text | Timer | LocationShared) -> str:
    if isinstance(event, LocationShared):
        return "location"
    if isinstance(event, Press):
        return event.action
    return event.name if isinstance(event, Timer) else "text"


def _next_prompt(ctx: Context, flow: Flow[Any], step: Step[Any],
                 changed_state: bool) -> list[Say]:
    if step.prompt == "none" and not changed_state:
        return []
    prompt = flow.prompt(step.target, ctx)
    if prompt is None:
        return []
    return [dataclasses.replace(prompt, edit=step.prompt == "edit")]


def _unreadable(event: Unreadable) -> Say:
    known = {"sticker", "photo", "voice", "video", "document", "location", "contact",
             "edited", "button", "poll", "other"}
    return say(f"unreadable.{event.kind if event.kind in known else 'other'}")


