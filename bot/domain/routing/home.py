"""The resting state between flows, and deleting everything (/forget) after a confirmation."""

from __future__ import annotations

from enum import StrEnum

from bot.domain.engine.events import Press, Text
from bot.domain.engine.fsm import TEXT, Context, Flow, Step, press, row
from bot.domain.engine.replies import Say, button, say
from bot.domain.questions import faq_answer, offers
from bot.domain.understanding.typing_help import normalise


class Home(StrEnum):
    """Waiting for the person to choose something, or for their answer to /forget."""

    IDLE = "idle"
    FORGET = "forget"


def not_understood(ctx: Context, event: Text) -> Step[Home]:
    """Typed text the bot has no use for: answer a common question about the program, or
    offer to keep it as a question, and point to /help."""
    text = event.text
    answered = faq_answer.answer(ctx, text)
    if answered is not None:
        return Step(Home.IDLE, [answered], prompt="none")
    buttons = offers.offer_buttons(ctx, text)
    key = "home.not_understood_offer" if buttons else "home.not_understood"
    return Step(Home.IDLE, [say(key, buttons)], prompt="none")


def forget_answer(ctx: Context, event: Text | Press) -> Step[Home]:
    """Yes deletes every row about the person (the service does it); no keeps everything."""
    if isinstance(event, Press):
        answer = event.arg
    else:
        text = normalise(event.text)
        answer = "yes" if ctx.catalog.is_word("yes", text) else (
            "no" if ctx.catalog.is_word("no", text) else "")
    if answer == "yes":
        ctx.person.forget = True
        # Tomorrow's question is deleted with the rest: say so if one was promised.
        follow_up = ctx.person.follow_up is not None
        return Step(Home.IDLE, [say("data.forgotten"),
                                *([say("data.no_follow_up")] if follow_up else [])])
    if answer == "no":
        return Step(Home.IDLE, [say("data.kept")], prompt="none")
    return Step(Home.FORGET, [say("triage.yes_or_no")])


def idle(ctx: Context) -> Say:
    """What the person can do from here (after /forget, only that /start begins again)."""
    if ctx.person.forget:
        return say("data.start_again")
    if ctx.person.onboarded_at is None:
        return say("home.resume_onboarding")
    return say("home.menu")


def confirm_forget(ctx: Context) -> Say:
    """Deleting cannot be undone: ask once, plainly."""
    return say("data.forget_confirm", (
        (button("data.btn_forget_yes", "forget", "yes"),),
        (button("data.btn_forget_no", "forget", "no"),),
    ))


HOME: Flow[Home] = Flow(
    name="home",
    states=Home,
    initial=Home.IDLE,
    table=(
        row(Home.IDLE, TEXT, not_understood, Home.IDLE),
        row(Home.FORGET, press("forget"), forget_answer, Home.IDLE, Home.FORGET),
        row(Home.FORGET, TEXT, forget_answer, Home.IDLE, Home.FORGET),
    ),
    prompts={Home.IDLE: idle, Home.FORGET: confirm_forget},
)
