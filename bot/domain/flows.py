"""Every conversation flow by name, and saying again what the current state waits for."""

from __future__ import annotations

from typing import Any

from bot.domain import checkin
from bot.domain.appointments import APPOINTMENT
from bot.domain.fsm import Context, Flow
from bot.domain.home import HOME
from bot.domain.onboarding import ONBOARDING
from bot.domain.program import PROGRAM
from bot.domain.questions import QUESTIONS
from bot.domain.reminders import REMINDERS
from bot.domain.replies import Reply, say
from bot.domain.session import SESSION
from bot.domain.triage_flow import TRIAGE

FLOWS: dict[str, Flow[Any]] = {flow.name: flow for flow in (
    ONBOARDING, HOME, SESSION, TRIAGE, checkin.CHECKIN, REMINDERS, APPOINTMENT, QUESTIONS,
    PROGRAM)}

def current_prompt(ctx: Context, intro: str | None = None) -> list[Reply]:
    """Say again what the current state is waiting for (after a stale press, /start...)."""
    conversation = ctx.person.conversation
    flow = FLOWS[conversation.flow]
    prompt = flow.prompt(flow.states(conversation.state), ctx)
    replies: list[Reply] = [say(intro)] if intro else []
    return replies + ([prompt] if prompt else [])



def diagrams() -> dict[str, str]:
    """A Markdown page with the Mermaid diagram of each flow, by flow name."""
    from bot.domain.fsm import mermaid

    return {
        name: f"# The {name} flow\n\nGenerated from the transition table in bot/domain/ by "
              f"`backcoach diagrams`; a test fails when it is stale.\n\n```mermaid\n"
              f"{mermaid(flow)}```\n"
        for name, flow in FLOWS.items()
    }
