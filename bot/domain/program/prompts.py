"""What /program says on entering each state; the dose pickers are onboarding's own."""

from __future__ import annotations

from bot.domain.engine.fsm import Context
from bot.domain.engine.replies import Button, Join, Line, Say, button, say
from bot.domain.onboarding import prompts as onboarding
from bot.domain.onboarding.exercise_choice import tick_boxes

BACK = (button("program.btn_back", "back"),)


def program_items(ctx: Context) -> Join:
    """'1. Head rolls: hold 5 s · 3 sets', one line per chosen exercise."""
    items = []
    for number, exercise in enumerate(onboarding.enabled_exercises(ctx), start=1):
        items.append(Line("onboarding.program_item", {
            "number": number, "name": Line(f"exercise.{exercise.id}.name"),
            "dose": onboarding.dose_summary(exercise, ctx.person.program[exercise.id])}))
    return Join(tuple(items))


def country_name(ctx: Context) -> Line:
    """The person's country in words, or 'not set' (the 112 fallback)."""
    code = ctx.person.country_code
    return Line(f"country.{code}") if code else Line("program.country_none")


def menu(ctx: Context) -> Say:
    """The program as it is now, and what can be changed."""
    return say("program.menu", (
        (button("program.btn_exercises", "change", "exercises"),),
        (button("program.btn_doses", "change", "doses"),),
        (button("program.btn_country", "change", "country"),),
        (button("program.btn_done", "change", "done"),),
    ), items=program_items(ctx), country=country_name(ctx),
        number=ctx.catalog.emergency_number(ctx.person.country_code))


def chosen(ctx: Context) -> list[str]:
    """The exercises ticked so far (not yet saved), in program order."""
    ticked = ctx.person.conversation.data.get("chosen", [])
    return [e.id for e in ctx.catalog.exercises if e.id in ticked]


def exercises(ctx: Context) -> Say:
    """Tick boxes for the new choice, with Save and Back."""
    boxes = tick_boxes(ctx.catalog, chosen(ctx), "program.btn_save")
    return say("program.exercises", (*boxes, BACK))


def doses(ctx: Context) -> Say:
    """The chosen exercises with their amounts; pick one to change."""
    picks = [(button("onboarding.btn_change_item", "change_dose", exercise.id, number=number,
                     name=Line(f"exercise.{exercise.id}.name")),)
             for number, exercise in enumerate(onboarding.enabled_exercises(ctx), start=1)]
    return say("program.doses", (*picks, BACK), items=program_items(ctx))


def dose_field(ctx: Context) -> Say:
    """Which amount of the chosen exercise to change (onboarding's picker)."""
    if ctx.catalog.exercise(ctx.person.conversation.data.get("exercise", "")) is None:
        return doses(ctx)
    return onboarding.dose_field(ctx)


def dose_value(ctx: Context) -> Say:
    """The allowed values of one amount (onboarding's picker)."""
    if onboarding.current_range(ctx) is None:
        return doses(ctx)
    return onboarding.dose_value(ctx)


def country(ctx: Context) -> Say:
    """Common countries, typing a name, 112, and Back."""
    rows: list[tuple[Button, ...]] = [*onboarding.country_buttons(ctx), BACK]
    return say("program.country", tuple(rows))


def done(ctx: Context) -> Say:
    """Leaving /program: what happens next."""
    changed = ctx.person.conversation.data.get("changed")
    return say("program.done_changed" if changed else "program.done")
