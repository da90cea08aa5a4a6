"""Every conversation flow by name, and saying again what the current state waits for."""

from __future__ import annotations

from typing import Any

from bot.domain.appointments.flow import APPOINTMENT
from bot.domain.checkin import flow as checkin
from bot.domain.engine.fsm import Context, Flow
from bot.domain.engine.replies import Reply, say
from bot.domain.onboarding.flow import ONBOARDING
from bot.domain.program.flow import PROGRAM
from bot.domain.questions.flow import QUESTIONS
from bot.domain.reminders.flow import REMINDERS
from bot.domain.routing.home import HOME
from bot.domain.session.flow import SESSION
from bot.domain.sharing.flow import SHARE
from bot.domain.triage.flow import TRIAGE

FLOWS: dict[str, Flow[Any]] = {flow.name: flow for flow in (
    ONBOARDING, HOME, SESSION, TRIAGE, checkin.CHECKIN, REMINDERS, APPOINTMENT, QUESTIONS,
    PROGRAM, SHARE)}

def current_prompt(ctx: Context, intro: str | None = None) -> list[Reply]:
    """Say again what the current state is waiting for (after a stale press, /start...)."""
    conversation = ctx.person.conversation
    flow = FLOWS[conversation.flow]
    prompt = flow.prompt(flow.states(conversation.state), ctx)
    replies: list[Reply] = [say(intro)] if intro else []
    return replies + ([prompt] if prompt else [])


def diagrams() -> dict[str, str]:
    """A Markdown page with the Mermaid diagram of each flow, by flow name."""
    from bot.domain.engine.fsm import mermaid

    return {
        name: f"# The {name} flow\n\nGenerated from the transition table in bot/domain/ by "
              f"`backcoach diagrams`; a test fails when it is stale.\n\n```mermaid\n"
              f"{mermaid(flow)}```\n"
        for name, flow in FLOWS.items()
    }
