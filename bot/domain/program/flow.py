"""/program, declared as one table: change the exercises, their amounts (inside the safe
ranges) or the country after set-up, keeping every session and rating from before.

Each change is said back, applies from the next session started, and is kept with its date
(a ProgramChange) for /mydata and the visit report. A new choice of exercises waits in the
conversation's data until Save, so Back (or /cancel) leaves the program as it was.
"""

from __future__ import annotations

from enum import StrEnum

from bot.domain.engine.events import Press, Text
from bot.domain.engine.fsm import TEXT, Context, Flow, Step, press, row
from bot.domain.engine.replies import Line, Reply, Say, say
from bot.domain.model import Conversation, Prescription, ProgramChange
from bot.domain.onboarding import prompts as onboarding
from bot.domain.onboarding.exercise_choice import names, read_choice, tick_boxes
from bot.domain.program import prompts
from bot.domain.understanding.typing_help import find_country, normalise, read_number


class ProgramState(StrEnum):
    """Where a person is in /program."""

    MENU = "menu"
    EXERCISES = "exercises"
    DOSES = "doses"
    DOSE_FIELD = "dose_field"
    DOSE_VALUE = "dose_value"
    COUNTRY = "country"
    DONE = "done"


MENU_WORDS = {"program_exercises": ProgramState.EXERCISES, "program_doses": ProgramState.DOSES,
              "program_country": ProgramState.COUNTRY}


def begin(ctx: Context) -> None:
    """Open /program at its menu, coming back home afterwards."""
    ctx.person.conversation = Conversation("program", ProgramState.MENU.value, {},
                                           ctx.person.conversation.revision)



def _record(ctx: Context, change: ProgramChange) -> list[Reply]:
    """Keep the change with its date; for exercises and amounts, say when it applies."""
    ctx.person.new_program_changes.append(change)
    ctx.person.conversation.data["changed"] = True
    if change.what == "country":
        return []  # the number is said back; it applies at once, sessions or not
    session = ctx.person.session
    if session is not None and session.status != "finished":
        return [say("program.open_session")]
    return [say("program.next_session")]


def _open(ctx: Context, target: ProgramState) -> Step[ProgramState]:
    if target == ProgramState.EXERCISES:
        ctx.person.conversation.data["chosen"] = [e.id for e in onboarding.enabled_exercises(ctx)]
    return Step(target)


def choose(ctx: Context, event: Press) -> Step[ProgramState]:
    """A menu button: exercises, amounts, country, or nothing more."""
    targets = {"exercises": ProgramState.EXERCISES, "doses": ProgramState.DOSES,
               "country": ProgramState.COUNTRY, "done": ProgramState.DONE}
    target = targets.get(event.arg)
    return Step(ProgramState.MENU, [say("program.menu_help")]) if target is None else _open(ctx,
                                                                                            target)


def typed_menu(ctx: Context, event: Text) -> Step[ProgramState]:
    """Typed 'exercises', 'amounts', 'country' or 'done'; anything else asks again."""
    text = normalise(event.text)
    if ctx.catalog.is_word("done", text) or ctx.catalog.is_word("decline", text):
        return Step(ProgramState.DONE)
    for group, target in MENU_WORDS.items():
        if ctx.catalog.is_word(group, text):
            return _open(ctx, target)
    return Step(ProgramState.MENU, [say("program.menu_help")])


def back_to_menu(ctx: Context, event: Press) -> Step[ProgramState]:
    """Back: nothing half-chosen is kept."""
    for key in ("chosen", "exercise", "field"):
        ctx.person.conversation.data.pop(key, None)
    return Step(ProgramState.MENU)


def toggle(ctx: Context, event: Press) -> Step[ProgramState]:
    """Tick or untick one exercise of the new choice, in the same message."""
    exercise_id = event.arg
    if ctx.catalog.exercise(exercise_id) is None:
        return Step(ProgramState.EXERCISES, [say("program.exercises_help",
                                                 count=len(ctx.catalog.exercises))])
    ticked = set(prompts.chosen(ctx)) ^ {exercise_id}
    ctx.person.conversation.data["chosen"] = [e.id for e in ctx.catalog.exercises
                                              if e.id in ticked]
    return Step(ProgramState.EXERCISES, prompt="edit")


def tick_all(ctx: Context, event: Press) -> Step[ProgramState]:
    """'All 5': tick every exercise, in the same message."""
    ctx.person.conversation.data["chosen"] = [e.id for e in ctx.catalog.exercises]
    return Step(ProgramState.EXERCISES, prompt="edit")


def typed_exercises(ctx: Context, event: Text) -> Step[ProgramState]:
    """Typed numbers (or 'all') select exactly those, said back; 'done' or 'save' saves."""
    text = event.text
    if ctx.catalog.is_word("done", normalise(text)) or ctx.catalog.is_word("save", normalise(text)):
        return save_exercises(ctx, event)
    picked = read_choice(text, ctx.catalog)
    if picked is None:
        return Step(ProgramState.EXERCISES, [say("program.exercises_help",
                                                 count=len(ctx.catalog.exercises))])
    ctx.person.conversation.data["chosen"] = picked
    said_back = Say((Line("program.exercises_chosen", {"names": names(picked, ctx.catalog)}),),
                    (*tick_boxes(ctx.catalog, picked, "program.btn_save"), prompts.BACK))
    return Step(ProgramState.EXERCISES, [said_back], prompt="none")


def save_exercises(ctx: Context, event: Text | Press) -> Step[ProgramState]:
    """Save the new choice (at least one exercise), keeping each exercise's amounts."""
    picked = prompts.chosen(ctx)
    if not picked:
        return Step(ProgramState.EXERCISES, [say("program.exercises_none")])
    before = [e.id for e in onboarding.enabled_exercises(ctx)]
    ctx.person.conversation.data.pop("chosen", None)
    if picked == before:
        return Step(ProgramState.MENU, [say("program.no_change")])
    for exercise in ctx.catalog.exercises:
        item = ctx.person.program.setdefault(exercise.id, Prescription(exercise.id, False))
        item.enabled = exercise.id in picked
    saved = say("program.exercises_saved", names=names(picked, ctx.catalog))
    change = ProgramChange(ctx.now, "exercises", ",".join(before), ",".join(picked))
    return Step(ProgramState.MENU, [saved, *_record(ctx, change)])


def pick_exercise(ctx: Context, event: Text | Press) -> Step[ProgramState]:
    """Which exercise's amounts to change: a button, or its number in the list."""
    chosen = onboarding.enabled_exercises(ctx)
    if isinstance(event, Press):
        found = [e for e in chosen if e.id == event.arg]
    else:
        if ctx.catalog.is_word("done", normalise(event.text)):
            return Step(ProgramState.MENU)
        number = read_number(event.text, ctx.catalog.numbers)
        found = [chosen[number - 1]] if number is not None and 1 <= number <= len(chosen) else []
    if not found:
        return Step(ProgramState.DOSES, [say("program.doses_help", count=len(chosen))])
    ctx.person.conversation.data["exercise"] = found[0].id
    return Step(ProgramState.DOSE_FIELD)


def back_to_doses(ctx: Context, event: Text | Press) -> Step[ProgramState]:
    """Leave the amount editor without changing anything."""
    onboarding.leave_dose_editor(ctx)
    return Step(ProgramState.DOSES)


def pick_field(ctx: Context, event: Text | Press) -> Step[ProgramState]:
    """Hold time, repetitions or sets: a button, its name or its number."""
    name = onboarding.field_answer(ctx, event)
    if name is None:
        return Step(ProgramState.DOSE_FIELD, [say("onboarding.dose_field_type_help")])
    ctx.person.conversation.data["field"] = name
    return Step(ProgramState.DOSE_VALUE)


def set_value(ctx: Context, event: Text | Press) -> Step[ProgramState]:
    """A new amount from a button or typed, only inside the safe range; said back."""
    value = onboarding.amount_answer(ctx, event)
    limits = onboarding.current_range(ctx)
    if limits is None:
        return back_to_doses(ctx, event)
    if value is None or not limits.allows(value):
        return Step(ProgramState.DOSE_VALUE, [say("onboarding.dose_out_of_range", min=limits.min,
                                       max=limits.max)])
    data = ctx.person.conversation.data
    exercise_id, field = data["exercise"], data["field"]
    item = ctx.person.program[exercise_id]
    before = getattr(item, field) or limits.default
    back_to_doses(ctx, event)
    if value == before:
        return Step(ProgramState.DOSES, [say("program.no_change")])
    # The usual amount is stored as "no change", so a later content update still applies.
    setattr(item, field, None if value == limits.default else value)
    saved = say("program.dose_saved", name=Line(f"exercise.{exercise_id}.name"),
                field=Line(f"dose.name_{field}"), before=before, after=value)
    change = ProgramChange(ctx.now, "dose", str(before), str(value), exercise_id, field)
    return Step(ProgramState.DOSES, [saved, *_record(ctx, change)])


def pick_country(ctx: Context, event: Text | Press) -> Step[ProgramState]:
    """A country from the buttons (or 112), or typed; unknown names ask again."""
    if isinstance(event, Press):
        code = event.arg
        known = code == "112" or ctx.catalog.country(code) is not None
        new = (None if code == "112" else code) if known else ""
    else:
        found = find_country(event.text, ctx.catalog.countries)
        new, code = (found.code, found.code) if found else ("", event.text[:40])
    if new == "":
        return Step(ProgramState.COUNTRY, [say("onboarding.country_not_found", name=code[:40])])
    old = ctx.person.country_code
    if new == old:
        return Step(ProgramState.MENU, [say("program.no_change")])
    ctx.person.country_code = new
    number = ctx.catalog.emergency_number(new)
    saved = (say("onboarding.country_fallback", number=number) if new is None else
             say("onboarding.country_saved", number=number, country=Line(f"country.{new}")))
    return Step(ProgramState.MENU, [saved, *_record(ctx, ProgramChange(ctx.now, "country", old,
                                                                       new))])


def type_country(ctx: Context, event: Press) -> Step[ProgramState]:
    """The person will type their country's name."""
    return Step(ProgramState.COUNTRY, [say("onboarding.country_type_it")], prompt="none")


PROGRAM: Flow[ProgramState] = Flow(
    name="program",
    states=ProgramState,
    initial=ProgramState.MENU,
    final=frozenset({ProgramState.DONE}),
    table=(
        row(ProgramState.MENU, press("change"), choose, ProgramState.EXERCISES,
            ProgramState.DOSES, ProgramState.COUNTRY, ProgramState.DONE, ProgramState.MENU),
        row(ProgramState.MENU, TEXT, typed_menu, ProgramState.EXERCISES, ProgramState.DOSES,
            ProgramState.COUNTRY, ProgramState.DONE, ProgramState.MENU),
        row(ProgramState.EXERCISES, press("toggle"), toggle, ProgramState.EXERCISES),
        row(ProgramState.EXERCISES, press("all_exercises"), tick_all, ProgramState.EXERCISES),
        row(ProgramState.EXERCISES, press("exercises_done"), save_exercises, ProgramState.MENU,
            ProgramState.EXERCISES),
        row(ProgramState.EXERCISES, press("back"), back_to_menu, ProgramState.MENU),
        row(ProgramState.EXERCISES, TEXT, typed_exercises, ProgramState.MENU,
            ProgramState.EXERCISES),
        row(ProgramState.DOSES, press("change_dose"), pick_exercise, ProgramState.DOSE_FIELD,
            ProgramState.DOSES),
        row(ProgramState.DOSES, press("back"), back_to_menu, ProgramState.MENU),
        row(ProgramState.DOSES, TEXT, pick_exercise, ProgramState.DOSE_FIELD, ProgramState.DOSES,
            ProgramState.MENU),
        row(ProgramState.DOSE_FIELD, press("field"), pick_field, ProgramState.DOSE_VALUE,
            ProgramState.DOSE_FIELD),
        row(ProgramState.DOSE_FIELD, press("back"), back_to_doses, ProgramState.DOSES),
        row(ProgramState.DOSE_FIELD, TEXT, pick_field, ProgramState.DOSE_VALUE,
            ProgramState.DOSE_FIELD),
        row(ProgramState.DOSE_VALUE, press("value"), set_value, ProgramState.DOSES,
            ProgramState.DOSE_VALUE),
        row(ProgramState.DOSE_VALUE, press("back"), back_to_doses, ProgramState.DOSES),
        row(ProgramState.DOSE_VALUE, TEXT, set_value, ProgramState.DOSES, ProgramState.DOSE_VALUE),
        row(ProgramState.COUNTRY, press("country"), pick_country, ProgramState.MENU,
            ProgramState.COUNTRY),
        row(ProgramState.COUNTRY, press("country_other"), type_country, ProgramState.COUNTRY),
        row(ProgramState.COUNTRY, press("back"), back_to_menu, ProgramState.MENU),
        row(ProgramState.COUNTRY, TEXT, pick_country, ProgramState.MENU, ProgramState.COUNTRY),
    ),
    prompts={
        ProgramState.MENU: prompts.menu,
        ProgramState.EXERCISES: prompts.exercises,
        ProgramState.DOSES: prompts.doses,
        ProgramState.DOSE_FIELD: prompts.dose_field,
        ProgramState.DOSE_VALUE: prompts.dose_value,
        ProgramState.COUNTRY: prompts.country,
        ProgramState.DONE: prompts.done,
    },
)
