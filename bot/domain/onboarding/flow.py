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
from bot.domain.onboarding import prompts, provider
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
    PROVIDER = "provider"  # a provider's program, from a link: use it, change it, keep mine
    DONE = "done"




def agree(ctx: Context, event: Text | Press) -> Step[Onboarding]:
    """Record consent; from here on what the person tells us is stored."""
    ctx.person.consented_at = ctx.now
    language = event.arg.partition(".")[0] if isinstance(event, Press) else ""
    if language in ctx.catalog.languages:
        ctx.person.language = language  # chosen with /language before consent
    provider.take_offer(ctx)
    return Step(Onboarding.COUNTRY)


def decline(ctx: Context, event: Text | Press) -> Step[Onboarding]:
    """Respect a 'not now': nothing is stored."""
    return Step(Onboarding.DECLINED, prompt="send")


def typed_consent(ctx: Context, event: Text) -> Step[Onboarding]:
    """Accept a typed 'I understand' or 'no'; anything else asks again."""
    answer = normalise(event.text)
    if ctx.catalog.is_word("agree", answer):
        return agree(ctx, event)
    if ctx.catalog.is_word("decline", answer):
        return decline(ctx, event)
    return Step(Onboarding.DISCLAIMER, [say("onboarding.disclaimer_use_buttons")])


def choose_country(ctx: Context, event: Press) -> Step[Onboarding]:
    """Store a country picked from the buttons (or the 112 fallback)."""
    code = event.arg
    if code != "112" and ctx.catalog.country(code) is None:
        return Step(Onboarding.COUNTRY, [say("onboarding.country_not_found", name=code)])
    return _set_country(ctx, None if code == "112" else code)


def ask_country_name(ctx: Context, event: Press) -> Step[Onboarding]:
    """The person will type their country's name."""
    return Step(Onboarding.COUNTRY, [say("onboarding.country_type_it")], prompt="none")


def typed_country(ctx: Context, event: Text) -> Step[Onboarding]:
    """Find a typed country name, tolerating typos; unknown names ask again."""
    text = event.text
    country = find_country(text, ctx.catalog.countries)
    if country is None:
        return Step(Onboarding.COUNTRY, [say("onboarding.country_not_found", name=text[:40])])
    return _set_country(ctx, country.code)


def _set_country(ctx: Context, code: str | None) -> Step[Onboarding]:
    ctx.person.country_code = code
    number = ctx.catalog.emergency_number(code)
    _ensure_program(ctx)
    after = Onboarding.PROVIDER if provider.waiting(ctx) else Onboarding.EXERCISES
    if code is None:
        return Step(after, [say("onboarding.country_fallback", number=number)])
    country = Line(f"country.{code}")
    return Step(after, [say("onboarding.country_saved", number=number, country=country)])


def _ensure_program(ctx: Context) -> None:
    # Nothing starts ticked: the person picks what their provider suggested.
    for exercise in ctx.catalog.exercises:
        ctx.person.program.setdefault(exercise.id, Prescription(exercise.id, enabled=False))


def toggle_exercise(ctx: Context, event: Press) -> Step[Onboarding]:
    """Switch one exercise on or off and redraw the same message."""
    _ensure_program(ctx)
    item = ctx.person.program.get(event.arg)
    if item is None:
        return Step(Onboarding.EXERCISES, prompt="send")
    item.enabled = not item.enabled
    return Step(Onboarding.EXERCISES, prompt="edit")


def select_all(ctx: Context, event: Press) -> Step[Onboarding]:
    """'All five': tick every exercise, in the same message."""
    _ensure_program(ctx)
    for item in ctx.person.program.values():
        item.enabled = True
    return Step(Onboarding.EXERCISES, prompt="edit")


def typed_exercises(ctx: Context, event: Text) -> Step[Onboarding]:
    """Typed numbers (or 'all') select exactly those exercises, said back; 'done' confirms."""
    _ensure_program(ctx)
    text = event.text
    if ctx.catalog.is_word("done", normalise(text)):
        return confirm_exercises(ctx, event)
    chosen = read_choice(text, ctx.catalog)
    if chosen is None:
        return Step(Onboarding.EXERCISES, [say("onboarding.exercises_type_help",
                                      count=len(ctx.catalog.exercises))])
    for exercise_id, item in ctx.person.program.items():
        item.enabled = exercise_id in chosen
    said_back = Say((Line("onboarding.exercises_chosen", {
        "names": names(chosen, ctx.catalog)}),),
        tick_boxes(ctx.catalog, chosen, "onboarding.btn_exercises_done"))
    return Step(Onboarding.EXERCISES, [said_back], prompt="none")


def confirm_exercises(ctx: Context, event: Text | Press) -> Step[Onboarding]:
    """Move on once at least one exercise is chosen."""
    _ensure_program(ctx)
    if not any(item.enabled for item in ctx.person.program.values()):
        return Step(Onboarding.EXERCISES, [say("onboarding.exercises_none")])
    return Step(Onboarding.DOSES)


def keep_doses(ctx: Context, event: Press) -> Step[Onboarding]:
    """The doses are right; on to the safety rules."""
    return Step(Onboarding.SAFETY)


def pick_dose_exercise(ctx: Context, event: Press) -> Step[Onboarding]:
    """Choose which exercise's dose to change."""
    exercise_id = event.arg
    item = ctx.person.program.get(exercise_id)
    if item is None or not item.enabled:
        return Step(Onboarding.DOSES)
    ctx.person.conversation.data["exercise"] = exercise_id
    return Step(Onboarding.DOSE_FIELD)


def typed_doses(ctx: Context, event: Text) -> Step[Onboarding]:
    """Typed 'done' keeps the doses; a number picks that exercise to change."""
    text = event.text
    answer = normalise(text)
    if ctx.catalog.is_word("done", answer) or ctx.catalog.is_word("agree", answer):
        return Step(Onboarding.SAFETY)
    chosen = prompts.enabled_exercises(ctx)
    number = read_number(text, ctx.catalog.numbers)
    if number is None or not 1 <= number <= len(chosen):
        return Step(Onboarding.DOSES, [say("onboarding.doses_type_help", count=len(chosen))])
    ctx.person.conversation.data["exercise"] = chosen[number - 1].id
    return Step(Onboarding.DOSE_FIELD)


def back_to_doses(ctx: Context, event: Text | Press) -> Step[Onboarding]:
    """Leave the dose editor without changing anything."""
    prompts.leave_dose_editor(ctx)
    return Step(Onboarding.DOSES)


def pick_dose_field(ctx: Context, event: Press) -> Step[Onboarding]:
    """Choose hold time, repetitions or sets with a button."""
    name = prompts.field_answer(ctx, event)
    if name is None:
        return Step(Onboarding.DOSE_FIELD)
    ctx.person.conversation.data["field"] = name
    return Step(Onboarding.DOSE_VALUE)


def typed_dose_field(ctx: Context, event: Text) -> Step[Onboarding]:
    """A typed field name or its number in the list."""
    name = prompts.field_answer(ctx, event)
    if name is None:
        return Step(Onboarding.DOSE_FIELD, [say("onboarding.dose_field_type_help")])
    ctx.person.conversation.data["field"] = name
    return Step(Onboarding.DOSE_VALUE)


def set_dose_value(ctx: Context, event: Text | Press) -> Step[Onboarding]:
    """Set the chosen dose from a button or typed number, only inside the safe range."""
    value = prompts.amount_answer(ctx, event)
    limits = prompts.current_range(ctx)
    if limits is None:
        return back_to_doses(ctx, event)
    if value is None or not limits.allows(value):
        return Step(Onboarding.DOSE_VALUE, [say("onboarding.dose_out_of_range", min=limits.min,
                                       max=limits.max)])
    data = ctx.person.conversation.data
    # The usual amount is stored as "no change", so a later content update still applies.
    setattr(ctx.person.program[data["exercise"]], data["field"],
            None if value == limits.default else value)
    back_to_doses(ctx, event)
    return Step(Onboarding.DOSES, [say("onboarding.dose_saved")])


def finish(ctx: Context, event: Text | Press) -> Step[Onboarding]:
    """Safety rules seen: onboarding is complete."""
    ctx.person.safety_seen_at = ctx.person.safety_seen_at or ctx.now
    ctx.person.onboarded_at = ctx.person.onboarded_at or ctx.now
    return Step(Onboarding.DONE)


def typed_safety(ctx: Context, event: Text) -> Step[Onboarding]:
    """A typed 'ok' confirms the safety rules."""
    text = normalise(event.text)
    if ctx.catalog.is_word("agree", text) or ctx.catalog.is_word("done", text):
        return finish(ctx, event)
    return Step(Onboarding.SAFETY, [say("onboarding.use_buttons")])


def provider_answer(ctx: Context, event: Text | Press) -> Step[Onboarding]:
    """The provider's program: use it (then the safety rules, unless seen), change it
    (ticked as the provider set it), or keep one's own; anything else asks again."""
    if provider.waiting(ctx) is None:  # an old message: nothing waits any more
        return Step(Onboarding.EXERCISES if ctx.person.onboarded_at is None else Onboarding.DONE)
    typed_yes = isinstance(event, Text) and ctx.catalog.is_word("agree", normalise(event.text))
    choice = provider.answer(ctx, event, typed_yes)
    if choice == provider.KEEP and ctx.person.onboarded_at is not None:
        ctx.person.conversation.data.pop(provider.KEY, None)
        return Step(Onboarding.DONE, [say("link.kept")], prompt="none")
    if choice not in {provider.USE, provider.CHANGE} or not provider.apply(ctx):
        return Step(Onboarding.PROVIDER, [say("onboarding.use_buttons")])
    if choice == provider.CHANGE:
        return Step(Onboarding.EXERCISES, provider.visit_line(ctx))
    if ctx.person.safety_seen_at is None:
        return Step(Onboarding.SAFETY, [say("link.used"), *provider.visit_line(ctx)])
    return Step(Onboarding.DONE, [say("link.used"), *provider.visit_line(ctx)])


def declined_text(ctx: Context, event: Text) -> Step[Onboarding]:
    """After a 'not now', any message shows the disclaimer again."""
    return Step(Onboarding.DISCLAIMER)


ONBOARDING: Flow[Onboarding] = Flow(
    name="onboarding",
    states=Onboarding,
    initial=Onboarding.DISCLAIMER,
    final=frozenset({Onboarding.DONE}),
    table=(
        row(Onboarding.DISCLAIMER, press("agree"), agree, Onboarding.COUNTRY),
        row(Onboarding.DISCLAIMER, press("decline"), decline, Onboarding.DECLINED),
        row(Onboarding.DISCLAIMER, TEXT, typed_consent, Onboarding.COUNTRY, Onboarding.DECLINED,
            Onboarding.DISCLAIMER),
        row(Onboarding.DECLINED, press("agree"), agree, Onboarding.COUNTRY),
        row(Onboarding.DECLINED, TEXT, declined_text, Onboarding.DISCLAIMER),
        row(Onboarding.COUNTRY, press("country"), choose_country, Onboarding.EXERCISES,
            Onboarding.PROVIDER, Onboarding.COUNTRY),
        row(Onboarding.COUNTRY, press("country_other"), ask_country_name, Onboarding.COUNTRY),
        row(Onboarding.COUNTRY, TEXT, typed_country, Onboarding.EXERCISES, Onboarding.PROVIDER,
            Onboarding.COUNTRY),
        row(Onboarding.PROVIDER, press("provider"), provider_answer, Onboarding.SAFETY,
            Onboarding.EXERCISES, Onboarding.DONE, Onboarding.PROVIDER),
        row(Onboarding.PROVIDER, TEXT, provider_answer, Onboarding.SAFETY, Onboarding.EXERCISES,
            Onboarding.DONE, Onboarding.PROVIDER),
        row(Onboarding.EXERCISES, press("toggle"), toggle_exercise, Onboarding.EXERCISES),
        row(Onboarding.EXERCISES, press("all_exercises"), select_all, Onboarding.EXERCISES),
        row(Onboarding.EXERCISES, press("exercises_done"), confirm_exercises, Onboarding.DOSES,
            Onboarding.EXERCISES),
        row(Onboarding.EXERCISES, TEXT, typed_exercises, Onboarding.DOSES, Onboarding.EXERCISES),
        row(Onboarding.DOSES, press("keep_doses"), keep_doses, Onboarding.SAFETY),
        row(Onboarding.DOSES, press("change_dose"), pick_dose_exercise, Onboarding.DOSE_FIELD,
            Onboarding.DOSES),
        row(Onboarding.DOSES, TEXT, typed_doses, Onboarding.SAFETY, Onboarding.DOSE_FIELD,
            Onboarding.DOSES),
        row(Onboarding.DOSE_FIELD, press("field"), pick_dose_field, Onboarding.DOSE_VALUE,
            Onboarding.DOSE_FIELD),
        row(Onboarding.DOSE_FIELD, press("back"), back_to_doses, Onboarding.DOSES),
        row(Onboarding.DOSE_FIELD, TEXT, typed_dose_field, Onboarding.DOSE_VALUE,
            Onboarding.DOSE_FIELD),
        row(Onboarding.DOSE_VALUE, press("value"), set_dose_value, Onboarding.DOSES,
            Onboarding.DOSE_VALUE),
        row(Onboarding.DOSE_VALUE, press("back"), back_to_doses, Onboarding.DOSES),
        row(Onboarding.DOSE_VALUE, TEXT, set_dose_value, Onboarding.DOSES, Onboarding.DOSE_VALUE),
        row(Onboarding.SAFETY, press("safety_ok"), finish, Onboarding.DONE),
        row(Onboarding.SAFETY, TEXT, typed_safety, Onboarding.DONE, Onboarding.SAFETY),
    ),
    prompts={
        Onboarding.DISCLAIMER: prompts.disclaimer,
        Onboarding.DECLINED: prompts.declined,
        Onboarding.COUNTRY: prompts.country,
        Onboarding.EXERCISES: prompts.exercises,
        Onboarding.DOSES: prompts.doses,
        Onboarding.DOSE_FIELD: prompts.dose_field,
        Onboarding.DOSE_VALUE: prompts.dose_value,
        Onboarding.SAFETY: prompts.safety,
        Onboarding.PROVIDER: provider.suggestion,
        Onboarding.DONE: prompts.done,
    },
)
