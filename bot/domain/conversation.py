"""Routes one event to the person's active flow, after the commands that work everywhere."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable
from datetime import datetime
from typing import Any

from bot.domain import checkin, escalation, onboarding_prompts
from bot.domain.catalog import Catalog
from bot.domain.events import Command, Event, Press, Text, Timer, Unreadable
from bot.domain.fsm import Context, Flow, Step
from bot.domain.home import HOME, Home
from bot.domain.model import Conversation, Person
from bot.domain.onboarding import ONBOARDING, Onboarding
from bot.domain.replies import Line, Reply, Say, Toast, button, say
from bot.domain.session import SESSION, SessionState, begin, resume_state
from bot.domain.triage import Level
from bot.domain.triage_flow import TRIAGE

FLOWS: dict[str, Flow[Any]] = {flow.name: flow for flow in (
    ONBOARDING, HOME, SESSION, TRIAGE, checkin.CHECKIN)}
FOLLOW_UP_ACTIONS = frozenset({"fu_reached", "fu_not_yet", "fu_better"})
OPEN_BEFORE_CONSENT = frozenset({"start", "help", "about", "safety", "cancel"})


def handle(person: Person, event: Event, catalog: Catalog, now: datetime) -> list[Reply]:
    """Apply one event to a person (changing it in place) and return what to say.

    The conversation revision grows whenever anything about the person changed, which
    is what makes buttons on older messages recognisably stale.
    """
    before = _what_buttons_depend_on(person)
    replies = _route(Context(person, catalog, now), event)
    # Before consent nothing is stored, so there is no revision to compare buttons against.
    if _what_buttons_depend_on(person) != before and person.has_consented:
        person.conversation.revision += 1
    return compact(replies)


def _what_buttons_depend_on(person: Person) -> Person:
    """The person without what a button's meaning never depends on (logs, follow-ups)."""
    return dataclasses.replace(copy.deepcopy(person), follow_up=None, new_pain_ratings=[],
                               recent_pain=[], new_triage_records=[], new_questions=[])


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
    if isinstance(event, Text):
        # Warning signs come before anything else, in every state of every flow.
        screened = escalation.screen(ctx, event.text)
        if screened is not None:
            return screened
    if isinstance(event, Press) and event.action in FOLLOW_UP_ACTIONS:
        return _follow_up_answer(ctx, event)
    if isinstance(event, Timer) and event.name == "follow_up":
        return _follow_up(ctx)
    if isinstance(event, Command):
        return _command(ctx, event)
    if isinstance(event, Unreadable):
        return [_unreadable(event), *_prompt(ctx)]
    if isinstance(event, Timer):
        flow = FLOWS[ctx.person.conversation.flow]
        if flow.find(flow.states(ctx.person.conversation.state), event.name) is None:
            return []  # e.g. a hold that was paused or stopped before its deadline
        return _advance(ctx, event)
    if isinstance(event, Press) and event.revision != ctx.person.conversation.revision:
        return _stale(ctx, event)
    return _advance(ctx, event)


def _advance(ctx: Context, event: Press | Text | Timer) -> list[Reply]:
    conversation = ctx.person.conversation
    flow = FLOWS[conversation.flow]
    state = flow.states(conversation.state)
    name = _event_name(event)
    transition = flow.find(state, name)
    if transition is None:
        if isinstance(event, Press):
            return _stale(ctx, event)
        return [say("common.use_buttons"), *_prompt(ctx)]
    step = flow.fire(transition, ctx, event)
    conversation.state = step.target.value
    replies: list[Reply] = list(step.replies)
    replies.extend(_next_prompt(ctx, flow, step, changed_state=step.target != state))
    if step.target in flow.final:
        back = conversation.data.get("return_to")
        if back:
            ctx.person.conversation = Conversation(back["flow"], back["state"], back["data"],
                                                   conversation.revision)
            replies.extend(_prompt(ctx))
        else:
            ctx.person.conversation = Conversation(HOME.name, Home.IDLE.value, {},
                                                   conversation.revision)
    return replies


def _follow_up(ctx: Context) -> list[Reply]:
    """The day after an escalation: did they reach their doctor?"""
    follow_up = ctx.person.follow_up
    if follow_up is None or follow_up.due_at > ctx.now:
        return []
    ctx.person.follow_up = None
    return [say("triage.follow_up", (
        (button("triage.btn_fu_reached", "fu_reached"),),
        (button("triage.btn_fu_not_yet", "fu_not_yet"),),
        (button("triage.btn_fu_better", "fu_better"),),
    ))]


def _follow_up_answer(ctx: Context, press: Press) -> list[Reply]:
    """Answers to the follow-up work from any state; 'not yet' asks again tomorrow."""
    if press.action == "fu_not_yet":
        escalation.record(ctx, Level.CALL_DOCTOR, "follow_up_not_reached",
                          "follow_up")
        number = ctx.catalog.emergency_number(ctx.person.country_code)
        return [Toast(Line("triage.noted")), say("triage.fu_not_yet", number=number)]
    key = "triage.fu_reached" if press.action == "fu_reached" else "triage.fu_better"
    return [Toast(Line("triage.noted")), say(key)]


SESSION_ACTIONS = frozenset(t.event for t in SESSION.table) - {"text"}


def _stale(ctx: Context, press: Press) -> list[Reply]:
    """A press on an older message: a short notice, and where we are now if that helps."""
    if press.action in SESSION_ACTIONS and ctx.person.conversation.flow != SESSION.name:
        return [Toast(Line("session.ended"))]
    return [Toast(Line("common.stale_button")), *_prompt(ctx, "common.where_we_are")]


def _event_name(event: Press | Text | Timer) -> str:
    if isinstance(event, Press):
        return event.action
    return event.name if isinstance(event, Timer) else "text"


def _next_prompt(ctx: Context, flow: Flow[Any], step: Step[Any], changed_state: bool) -> list[Say]:
    if step.prompt == "none" and not changed_state:
        return []
    prompt = flow.prompt(step.target, ctx)
    if prompt is None:
        return []
    return [dataclasses.replace(prompt, edit=step.prompt == "edit")]


def _prompt(ctx: Context, intro: str | None = None) -> list[Reply]:
    """Say again what the current state is waiting for (after a stale press, /start...)."""
    conversation = ctx.person.conversation
    flow = FLOWS[conversation.flow]
    prompt = flow.prompt(flow.states(conversation.state), ctx)
    replies: list[Reply] = [say(intro)] if intro else []
    return replies + ([prompt] if prompt else [])


def _unreadable(event: Unreadable) -> Say:
    known = {"sticker", "photo", "voice", "video", "document", "location", "contact",
             "edited", "button", "poll", "other"}
    return say(f"unreadable.{event.kind if event.kind in known else 'other'}")


def _command(ctx: Context, command: Command) -> list[Reply]:
    if not ctx.person.has_consented and command.name not in OPEN_BEFORE_CONSENT:
        return [say("common.consent_first"), *_enter_onboarding(ctx)]
    handler = COMMANDS.get(command.name)
    if handler is None:
        return [say("common.unknown_command", command=command.name[:32])]
    return handler(ctx)


def _enter_onboarding(ctx: Context) -> list[Reply]:
    conversation = ctx.person.conversation
    if conversation.flow != ONBOARDING.name:
        state = conversation.data.get("resume") or _resume_point(ctx.person).value
        if state in (Onboarding.DOSE_FIELD, Onboarding.DOSE_VALUE):
            state = Onboarding.DOSES.value  # the half-made choice was dropped on cancel
        ctx.person.conversation = Conversation(ONBOARDING.name, state, {}, conversation.revision)
    return _prompt(ctx)


def _resume_point(person: Person) -> Onboarding:
    if not person.has_consented:
        return Onboarding.DISCLAIMER
    if not person.program:
        return Onboarding.COUNTRY
    return Onboarding.EXERCISES


def start(ctx: Context) -> list[Reply]:
    """/start: begin onboarding, resume any flow where it was, or show the menu."""
    person = ctx.person
    if person.onboarded_at is None:
        greeting = "common.welcome_back" if person.has_consented else "common.welcome"
        return [say(greeting), *_enter_onboarding(ctx)]
    if person.conversation.flow != HOME.name:
        return _prompt(ctx, "common.welcome_back")
    return _prompt(ctx)


def help_(ctx: Context) -> list[Reply]:
    """/help: what the bot can do."""
    return [say("common.help")]


def safety(ctx: Context) -> list[Reply]:
    """/safety: the four safety rules, any time."""
    return [say("common.safety", rules=onboarding_prompts.safety_rules(ctx))]


def about(ctx: Context) -> list[Reply]:
    """/about: the disclaimer and where the program comes from."""
    return [say("common.about")]


def cancel(ctx: Context) -> list[Reply]:
    """/cancel: leave the current flow; everything saved so far stays saved."""
    conversation = ctx.person.conversation
    if conversation.flow == HOME.name or not ctx.person.has_consented:
        return [say("common.nothing_to_cancel")]
    resume = {"resume": conversation.state} if conversation.flow == ONBOARDING.name else {}
    session = ctx.person.session
    if conversation.flow == SESSION.name and session is not None:
        if session.status == "finished":  # only the emergency notice was left open
            resume = {}
        else:
            session.hold, session.status = None, "paused"
    ctx.person.conversation = Conversation(HOME.name, Home.IDLE.value, resume,
                                           conversation.revision)
    if session is not None and session.status == "paused":
        return [say("session.cancelled")]
    return [say("common.cancelled")]


def exercise(ctx: Context) -> list[Reply]:
    """/exercise: start a session, or carry on with the one paused or under way."""
    person = ctx.person
    if person.onboarded_at is None:
        return [say("session.setup_first"), *_enter_onboarding(ctx)]
    session = person.session
    if session is None or session.status == "finished":
        begin(ctx)
        return _prompt(ctx)
    conversation = person.conversation
    if conversation.flow == SESSION.name and conversation.state != SessionState.PAUSED:
        return _prompt(ctx, "session.carry_on")
    session.status = "active"
    person.conversation = Conversation(SESSION.name, resume_state(session).value, {},
                                       conversation.revision)
    return _prompt(ctx, "session.carry_on")


def check_in(ctx: Context) -> list[Reply]:
    """/checkin: today's pain, new pain, worse than usual."""
    if ctx.person.onboarded_at is None:
        return [say("session.setup_first"), *_enter_onboarding(ctx)]
    session = ctx.person.session
    if session is not None and session.status == "active":
        session.hold, session.status = None, "paused"
        ctx.person.conversation = Conversation(SESSION.name, SessionState.PAUSED.value, {},
                                               ctx.person.conversation.revision)
    checkin.begin(ctx)
    return _prompt(ctx)


def guided(ctx: Context) -> list[Reply]:
    """/guided: holds start by themselves (or not) when the person reaches them."""
    if not ctx.person.has_consented:
        return [say("common.consent_first"), *_enter_onboarding(ctx)]
    ctx.person.guided_holds = not ctx.person.guided_holds
    return [say("session.guided_on" if ctx.person.guided_holds else "session.guided_off")]


COMMANDS: dict[str, Callable[[Context], list[Reply]]] = {
    "start": start,
    "help": help_,
    "safety": safety,
    "about": about,
    "cancel": cancel,
    "exercise": exercise,
    "guided": guided,
    "checkin": check_in,
}


def diagrams() -> dict[str, str]:
    """A Markdown page with the Mermaid diagram of each flow, by flow name."""
    from bot.domain.fsm import mermaid

    return {
        name: f"# The {name} flow\n\nGenerated from the transition table in bot/domain/ by "
              f"`backcoach diagrams`; a test fails when it is stale.\n\n```mermaid\n"
              f"{mermaid(flow)}```\n"
        for name, flow in FLOWS.items()
    }
