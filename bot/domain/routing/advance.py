"""The last rows of the routing table: the current flow's own events, and stale buttons.

The flow's table finds the row for the state and event, runs it, and says the next prompt;
a finished flow returns to where it was entered from, or home.
"""

from __future__ import annotations

import copy
import dataclasses
import pickle
from typing import Any

from bot.domain.engine.events import FlowEvent, Press, Text
from bot.domain.engine.flows import FLOWS, current_prompt
from bot.domain.engine.fsm import Context, Flow, Step
from bot.domain.engine.replies import Line, Reply, Say, Toast, say
from bot.domain.model import Allowance, Conversation, Person
from bot.domain.questions import faq_answer, offers
from bot.domain.routing.home import HOME, Home
from bot.domain.session.flow import SESSION
from bot.domain.triage import escalation

SESSION_ACTIONS = frozenset(t.event for t in SESSION.table) - {"text"}


def what_buttons_depend_on(person: Person) -> Person:
    """The person without what a button's meaning never depends on (logs, follow-ups, the
    language its label is written in)."""
    # Left out first, then copied: every update runs this twice, and copying the 14 days
    # of ratings and the reminders only to drop them showed in the load benchmark. A pickle
    # round trip is a deep copy made in C: copy.deepcopy was 5% of the bot's CPU there.
    return _deep_copy(dataclasses.replace(
        person, language="", follow_up=None, new_pain_ratings=[], recent_pain=[],
        new_triage_records=[], new_program_changes=[], reminders=[], inactive=False,
        allowance=Allowance()))


def _deep_copy(person: Person) -> Person:
    copied: Person = pickle.loads(pickle.dumps(person, pickle.HIGHEST_PROTOCOL))
    return copied


def advance(ctx: Context, event: FlowEvent) -> list[Reply]:
    """Run the current state's row for this event, or say what the state waits for."""
    conversation = ctx.person.conversation
    flow = FLOWS[conversation.flow]
    state = flow.states(conversation.state)
    transition = flow.row_for(state, event)
    if transition is None:
        if isinstance(event, Press):
            return stale(ctx, event)
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


def stale(ctx: Context, press: Press) -> list[Reply]:
    """A press on an older message: a short notice, and where we are now if that helps."""
    if press.action in SESSION_ACTIONS and ctx.person.conversation.flow != SESSION.name:
        return [Toast(Line("session.ended"))]
    return [Toast(Line("common.stale_button")), *current_prompt(ctx, "common.where_we_are")]


def in_another_language(ctx: Context, event: Text, language: str) -> list[Reply]:
    """Written in a language the bot cannot read: say so at once, with the emergency
    number. The flow still gets the text, in case it can use it (a country's own name);
    if it cannot, nothing changes, not even an offer to save it as a question."""
    notice = escalation.not_understood(ctx, event.text, language)
    conversation = copy.deepcopy(ctx.person.conversation)
    before = _without_offer(ctx.person)
    replies = advance(ctx, event)
    if _without_offer(ctx.person) == before:  # the flow could not use it either
        ctx.person.conversation = conversation
        return [notice, *current_prompt(ctx)]
    return [notice, *replies]


def _without_offer(person: Person) -> Person:
    """The person as far as a flow's answer changes them, leaving out an offer to save text."""
    found = what_buttons_depend_on(person)
    found.conversation.data.pop("offer", None)
    return found


def _next_prompt(ctx: Context, flow: Flow[Any], step: Step[Any],
                 changed_state: bool) -> list[Say]:
    if step.prompt == "none" and not changed_state:
        return []
    prompt = flow.prompt(step.target, ctx)
    if prompt is None:
        return []
    return [dataclasses.replace(prompt, edit=step.prompt == "edit")]
