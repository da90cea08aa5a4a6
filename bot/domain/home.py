"""The resting state after onboarding: where later flows (sessions, questions) start from."""

from __future__ import annotations

from enum import StrEnum

from bot.domain.events import Event
from bot.domain.fsm import Context, Flow, Step, row
from bot.domain.replies import Say, say


class Home(StrEnum):
    """The home flow has one state: waiting for the person to choose something."""

    IDLE = "idle"


def not_understood(ctx: Context, event: Event) -> Step[Home]:
    """Typed text the bot has no use for yet: say so kindly and point to /help."""
    return Step(Home.IDLE, [say("home.not_understood")], prompt="none")


def idle(ctx: Context) -> Say:
    """What the person can do from here."""
    if ctx.person.onboarded_at is None:
        return say("home.resume_onboarding")
    return say("home.menu")


HOME: Flow[Home] = Flow(
    name="home",
    states=Home,
    initial=Home.IDLE,
    table=(row(Home.IDLE, "text", not_understood, Home.IDLE),),
    prompts={Home.IDLE: idle},
)
