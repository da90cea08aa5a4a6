"""What the routing table's rows before the flow do: warning signs in typed words, the
buttons that work from any state, reminders, timers, locations, what cannot be read."""

from __future__ import annotations

from bot.domain.engine.events import (
    Command,
    Edited,
    LocationShared,
    Press,
    Text,
    Timer,
    Unreadable,
)
from bot.domain.engine.flows import FLOWS, current_prompt
from bot.domain.engine.fsm import Context
from bot.domain.engine.replies import Line, Reply, Say, Toast, say
from bot.domain.limits import allowance
from bot.domain.reminders import messages as reminder_messages
from bot.domain.routing.advance import advance, in_another_language
from bot.domain.routing.commands import run_command
from bot.domain.triage import Level, escalation

FOLLOW_UP_ACTIONS = frozenset({"fu_reached", "fu_not_yet", "fu_better"})
UNREADABLE_KINDS = frozenset({"sticker", "photo", "voice", "video", "document", "location",
                              "contact", "edited", "button", "poll", "other"})


def screen(ctx: Context, event: Text | Edited | Command) -> list[Reply] | None:
    """A warning sign is answered here; so are an edit and words in a language the bot
    cannot read. Anything else (None) goes on down the table."""
    command = isinstance(event, Command)
    text = event.args if isinstance(event, Command) else event.text
    screened = escalation.screen(ctx, text, least=Level.URGENT if command else Level.NONE)
    if screened.replies is not None:
        return screened.replies
    if isinstance(event, Edited):
        return [say("unreadable.edited"), *current_prompt(ctx)]
    if screened.unreadable and isinstance(event, Text):
        return in_another_language(ctx, event, screened.unreadable)
    if screened.unreadable and isinstance(event, Command):
        notice = escalation.not_understood(ctx, text, screened.unreadable)
        return [notice, *run_command(ctx, event)]
    return None


def follow_up_pressed(ctx: Context, press: Press) -> list[Reply]:
    """Answers to the follow-up work from any state, once, on the latest follow-up only;
    'not yet' asks again tomorrow, and after an urgent or emergency sign it is urgent
    still: another day without exercise."""
    if not allowance.is_live(ctx.person, "follow_up", press.revision):
        return [Toast(Line("common.already_answered"))]
    allowance.close(ctx.person, "follow_up")
    if press.action == "fu_not_yet":
        level = Level.URGENT if press.arg == "serious" else Level.CALL_DOCTOR
        escalation.record(ctx, level, "follow_up_not_reached", "follow_up")
        number = ctx.catalog.emergency_number(ctx.person.country_code)
        return [Toast(Line("triage.noted")),
                Say((Line("triage.fu_not_yet", {"number": number}),
                     *escalation.rest_lines(ctx)))]
    key = "triage.fu_reached" if press.action == "fu_reached" else "triage.fu_better"
    return [Toast(Line("triage.noted")), say(key)]


def reminder_pressed(ctx: Context, press: Press) -> list[Reply]:
    """A reminder's button, then the command it stands for ("Start now" is /exercise)."""
    replies, then = reminder_messages.pressed(ctx, press)
    return replies + (run_command(ctx, Command(then)) if then else [])


def location(ctx: Context, event: LocationShared) -> list[Reply]:
    """A shared location is an answer only where the flow asks for a place."""
    if not _flow_has_row(ctx, event):
        return [say("unreadable.location"), *current_prompt(ctx)]
    return advance(ctx, event)


def follow_up_due(ctx: Context, event: Timer) -> list[Reply]:
    """The day after an escalation: did they reach their doctor?"""
    follow_up = ctx.person.follow_up
    if follow_up is None or follow_up.due_at > ctx.now:
        return []
    return escalation.ask_follow_up(ctx)


def unreadable(ctx: Context, event: Unreadable) -> list[Reply]:
    """A sticker, a photo, a forged button: say what we can read, and the question again."""
    kind = event.kind if event.kind in UNREADABLE_KINDS else "other"
    return [say(f"unreadable.{kind}"), *current_prompt(ctx)]


def flow_timer(ctx: Context, event: Timer) -> list[Reply]:
    """A flow's timer (a hold's deadline) runs its row; one the state no longer waits for
    is nothing (a hold paused or stopped before its deadline)."""
    if not _flow_has_row(ctx, event):
        return []
    return advance(ctx, event)


def _flow_has_row(ctx: Context, event: LocationShared | Timer) -> bool:
    flow = FLOWS[ctx.person.conversation.flow]
    return flow.row_for(flow.states(ctx.person.conversation.state), event) is not None
