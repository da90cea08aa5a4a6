"""Onboarding, declared as one table: disclaimer, country, exercises, doses, safety rules.

Nothing but the Telegram id is kept before the person presses "I understand"; the
service only stores a person once they have consented.
"""

from __future__ import annotations

from enum import StrEnum

from bot.domain.engine.events import Press, Text
from bot.domain.engine.fsm import TEXT, Context, Flow, Step, press, row
from bot.domain.engine.replies import Line, Say, say
from bot.domain.model import Prescription
from bot.domain.onboarding import prompts as p
from bot.domain.onboarding.exercise_choice import names, read_choice, tick_boxes
from bot.domain.understanding.typing_help import find_country, normalise, read_number


class Onboarding(StrEnum):
    """Where a person is in onboarding."""

    DISCLAIMER = "disclaimer"
    DECLINED = "declined"
    COUNTRY = "country"
    EXERCISES = "exercises"
    DOSES = "doses"
    DOSE_FIELD = "dose_field"
    DOSE_VALUE = "dose_value"
    SAFETY = "safety"
    DONE = "done"


S = Onboarding


def agree(ctx: Context, event: Text | Press) -> Step[S]:
    """Record consent; from here on what the person tells us is stored."""
    ctx.person.consented_at = ctx.now
    return Step(S.COUNTRY)


def decline(ctx: Context, event: Text | Press) -> Step[S]:
    """Respect a 'not now': nothing is stored."""
    return Step(S.DECLINED, prompt="send")


def typed_consent(ctx: Context, event: Text) -> Step[S]:
    """Accept a typed 'I understand' or 'no'; anything else asks again."""
    answer = normalise(event.text)
    if ctx.catalog.is_word("agree", answer):
        return agree(ctx, event)
    if ctx.catalog.is_word("decline", answer):
        return decline(ctx, event)
    return Step(S.DISCLAIMER, [say("onboarding.disclaimer_use_buttons")])


def choose_country(ctx: Context, event: Press) -> Step[S]:
    """Store a country picked from the buttons (or the 112 fallback)."""
    code = event.arg
    if code != "112" and ctx.catalog.country(code) is None:
        return Step(S.COUNTRY, [say("onboarding.country_not_found", name=code)])
    return _set_country(ctx, None if code == "112" else code)


def ask_country_name(ctx: Context, event: Press) -> Step[S]:
    """The person will type their country's name."""
    return Step(S.COUNTRY, [say("onboarding.country_type_it")], prompt="none")


def typed_country(ctx: Context, event: Text) -> Step[S]:
    """Find a typed country name, tolerating typos; unknown names ask again."""
    text = event.text
    country = find_country(text, ctx.catalog.countries)
    if country is None:
        return Step(S.COUNTRY, [say("onboarding.country_not_found", name=text[:40])])
    return _set_country(ctx, country.code)


def _set_country(ctx: Context, code: str | None) -> Step[S]:
    ctx.person.country_code = code
    number = ctx.catalog.emergency_number(code)
    _ensure_program(ctx)
    if code is None:
        return Step(S.EXERCISES, [say("onboarding.country_fallback", number=number)])
    country = Line(f"country.{code}")
    return Step(S.EXERCISES, [say("onboarding.country_saved", number=number, country=country)])


def _ensure_program(ctx: Context) -> None:
    # Nothing starts ticked: the person picks what their provider suggested.
    for exercise in ctx.catalog.exercises:
        ctx.person.program.setdefault(exercise.id, Prescription(exercise.id, enabled=False))


def toggle_exercise(ctx: Context, event: Press) -> Step[S]:
    """Switch one exercise on or off and redraw the same message."""
    _ensure_program(ctx)
    item = ctx.person.program.get(event.arg)
    if item is None:
        return Step(S.EXERCISES, prompt="send")
    item.enabled = not item.enabled
    return Step(S.EXERCISES, prompt="edit")


def select_all(ctx: Context, event: Press) -> Step[S]:
    """'All five': tick every exercise, in the same message."""
    _ensure_program(ctx)
    for item in ctx.person.program.values():
        item.enabled = True
    return Step(S.EXERCISES, prompt="edit")


def typed_exercises(ctx: Context, event: Text) -> Step[S]:
    """Typed numbers (or 'all') select exactly those exercises, said back; 'done' confirms."""
    _ensure_program(ctx)
    text = event.text
    if ctx.catalog.is_word("done", normalise(text)):
        return confirm_exercises(ctx, event)
    chosen = read_choice(text, ctx.catalog)
    if chosen is None:
        return Step(S.EXERCISES, [say("onboarding.exercises_type_help",
                                      count=len(ctx.catalog.exercises))])
    for exercise_id, item in ctx.person.program.items():
        item.enabled = exercise_id in chosen
    said_back = Say((Line("onboarding.exercises_chosen", {
        "names": names(chosen, ctx.catalog)}),),
        tick_boxes(ctx.catalog, chosen, "onboarding.btn_exercises_done"))
    return Step(S.EXERCISES, [said_back], prompt="none")


def confirm_exercises(ctx: Context, event: Text | Press) -> Step[S]:
    """Move on once at least one exercise is chosen."""
    _ensure_program(ctx)
    if not any(item.enabled for item in ctx.person.program.values()):
        return Step(S.EXERCISES, [say("onboarding.exercises_none")])
    return Step(S.DOSES)


def keep_doses(ctx: Context, event: Press) -> Step[S]:
    """The doses are right; on to the safety rules."""
    return Step(S.SAFETY)


def pick_dose_exercise(ctx: Context, event: Press) -> Step[S]:
    """Choose which exercise's dose to change."""
    exercise_id = event.arg
    item = ctx.person.program.get(exercise_id)
    if item is None or not item.enabled:
        return Step(S.DOSES)
    ctx.person.conversation.data["exercise"] = exercise_id
    return Step(S.DOSE_FIELD)


def typed_doses(ctx: Context, event: Text) -> Step[S]:
    """Typed 'done' keeps the doses; a number picks that exercise to change."""
    text = event.text
    answer = normalise(text)
    if ctx.catalog.is_word("done", answer) or ctx.catalog.is_word("agree", answer):
        return Step(S.SAFETY)
    chosen = p.enabled_exercises(ctx)
    number = read_number(text, ctx.catalog.numbers)
    if number is None or not 1 <= number <= len(chosen):
        return Step(S.DOSES, [say("onboarding.doses_type_help", count=len(chosen))])
    ctx.person.conversation.data["exercise"] = chosen[number - 1].id
    return Step(S.DOSE_FIELD)


def back_to_doses(ctx: Context, event: Text | Press) -> Step[S]:
    """Leave the dose editor without changing anything."""
    p.leave_dose_editor(ctx)
    return Step(S.DOSES)


def pick_dose_field(ctx: Context, event: Press) -> Step[S]:
    """Choose hold time, repetitions or sets with a button."""
    name = p.field_answer(ctx, event)
    if name is None:
        return Step(S.DOSE_FIELD)
    ctx.person.conversation.data["field"] = name
    return Step(S.DOSE_VALUE)


def typed_dose_field(ctx: Context, event: Text) -> Step[S]:
    """A typed field name or its number in the list."""
    name = p.field_answer(ctx, event)
    if name is None:
        return Step(S.DOSE_FIELD, [say("onboarding.dose_field_type_help")])
    ctx.person.conversation.data["field"] = name
    return Step(S.DOSE_VALUE)


def set_dose_value(ctx: Context, event: Text | Press) -> Step[S]:
    """Set the chosen dose from a button or typed number, only inside the safe range."""
    value = p.amount_answer(ctx, event)
    limits = p.current_range(ctx)
    if limits is None:
        return back_to_doses(ctx, event)
    if value is None or not limits.allows(value):
        return Step(S.DOSE_VALUE, [say("onboarding.dose_out_of_range", min=limits.min,
                                       max=limits.max)])
    data = ctx.person.conversation.data
    # The usual amount is stored as "no change", so a later content update still applies.
    setattr(ctx.person.program[data["exercise"]], data["field"],
            None if value == limits.default else value)
    back_to_doses(ctx, event)
    return Step(S.DOSES, [say("onboarding.dose_saved")])


def finish(ctx: Context, event: Text | Press) -> Step[S]:
    """Safety rules seen: onboarding is complete."""
    ctx.person.safety_seen_at = ctx.person.safety_seen_at or ctx.now
    ctx.person.onboarded_at = ctx.person.onboarded_at or ctx.now
    return Step(S.DONE)


def typed_safety(ctx: Context, event: Text) -> Step[S]:
    """A typed 'ok' confirms the safety rules."""
    text = normalise(event.text)
    if ctx.catalog.is_word("agree", text) or ctx.catalog.is_word("done", text):
        return finish(ctx, event)
    return Step(S.SAFETY, [say("onboarding.use_buttons")])


def declined_text(ctx: Context, event: Text) -> Step[S]:
    """After a 'not now', any message shows the disclaimer again."""
    return Step(S.DISCLAIMER)


ONBOARDING: Flow[S] = Flow(
    name="onboarding",
    states=S,
    initial=S.DISCLAIMER,
    final=frozenset({S.DONE}),
    table=(
        row(S.DISCLAIMER, press("agree"), agree, S.COUNTRY),
        row(S.DISCLAIMER, press("decline"), decline, S.DECLINED),
        row(S.DISCLAIMER, TEXT, typed_consent, S.COUNTRY, S.DECLINED, S.DISCLAIMER),
        row(S.DECLINED, press("agree"), agree, S.COUNTRY),
        row(S.DECLINED, TEXT, declined_text, S.DISCLAIMER),
        row(S.COUNTRY, press("country"), choose_country, S.EXERCISES, S.COUNTRY),
        row(S.COUNTRY, press("country_other"), ask_country_name, S.COUNTRY),
        row(S.COUNTRY, TEXT, typed_country, S.EXERCISES, S.COUNTRY),
        row(S.EXERCISES, press("toggle"), toggle_exercise, S.EXERCISES),
        row(S.EXERCISES, press("all_exercises"), select_all, S.EXERCISES),
        row(S.EXERCISES, press("exercises_done"), confirm_exercises, S.DOSES, S.EXERCISES),
        row(S.EXERCISES, TEXT, typed_exercises, S.DOSES, S.EXERCISES),
        row(S.DOSES, press("keep_doses"), keep_doses, S.SAFETY),
        row(S.DOSES, press("change_dose"), pick_dose_exercise, S.DOSE_FIELD, S.DOSES),
        row(S.DOSES, TEXT, typed_doses, S.SAFETY, S.DOSE_FIELD, S.DOSES),
        row(S.DOSE_FIELD, press("field"), pick_dose_field, S.DOSE_VALUE, S.DOSE_FIELD),
        row(S.DOSE_FIELD, press("back"), back_to_doses, S.DOSES),
        row(S.DOSE_FIELD, TEXT, typed_dose_field, S.DOSE_VALUE, S.DOSE_FIELD),
        row(S.DOSE_VALUE, press("value"), set_dose_value, S.DOSES, S.DOSE_VALUE),
        row(S.DOSE_VALUE, press("back"), back_to_doses, S.DOSES),
        row(S.DOSE_VALUE, TEXT, set_dose_value, S.DOSES, S.DOSE_VALUE),
        row(S.SAFETY, press("safety_ok"), finish, S.DONE),
        row(S.SAFETY, TEXT, typed_safety, S.DONE, S.SAFETY),
    ),
    prompts={
        S.DISCLAIMER: p.disclaimer,
        S.DECLINED: p.declined,
        S.COUNTRY: p.country,
        S.EXERCISES: p.exercises,
        S.DOSES: p.doses,
        S.DOSE_FIELD: p.dose_field,
        S.DOSE_VALUE: p.dose_value,
        S.SAFETY: p.safety,
        S.DONE: p.done,
    },
)
