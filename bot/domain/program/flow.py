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
from bot.domain.program import prompts as p
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


S = ProgramState
MENU_WORDS = {"program_exercises": S.EXERCISES, "program_doses": S.DOSES,
              "program_country": S.COUNTRY}


def begin(ctx: Context) -> None:
    """Open /program at its menu, coming back home afterwards."""
    ctx.person.conversation = Conversation("program", S.MENU.value, {},
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


def _open(ctx: Context, target: S) -> Step[S]:
    if target == S.EXERCISES:
        ctx.person.conversation.data["chosen"] = [e.id for e in onboarding.enabled_exercises(ctx)]
    return Step(target)


def choose(ctx: Context, event: Press) -> Step[S]:
    """A menu button: exercises, amounts, country, or nothing more."""
    targets = {"exercises": S.EXERCISES, "doses": S.DOSES, "country": S.COUNTRY, "done": S.DONE}
    target = targets.get(event.arg)
    return Step(S.MENU, [say("program.menu_help")]) if target is None else _open(ctx, target)


def typed_menu(ctx: Context, event: Text) -> Step[S]:
    """Typed 'exercises', 'amounts', 'country' or 'done'; anything else asks again."""
    text = normalise(event.text)
    if ctx.catalog.is_word("done", text) or ctx.catalog.is_word("decline", text):
        return Step(S.DONE)
    for group, target in MENU_WORDS.items():
        if ctx.catalog.is_word(group, text):
            return _open(ctx, target)
    return Step(S.MENU, [say("program.menu_help")])


def back_to_menu(ctx: Context, event: Press) -> Step[S]:
    """Back: nothing half-chosen is kept."""
    for key in ("chosen", "exercise", "field"):
        ctx.person.conversation.data.pop(key, None)
    return Step(S.MENU)


def toggle(ctx: Context, event: Press) -> Step[S]:
    """Tick or untick one exercise of the new choice, in the same message."""
    exercise_id = event.arg
    if ctx.catalog.exercise(exercise_id) is None:
        return Step(S.EXERCISES, [say("program.exercises_help", count=len(ctx.catalog.exercises))])
    ticked = set(p.chosen(ctx)) ^ {exercise_id}
    ctx.person.conversation.data["chosen"] = [e.id for e in ctx.catalog.exercises
                                              if e.id in ticked]
    return Step(S.EXERCISES, prompt="edit")


def tick_all(ctx: Context, event: Press) -> Step[S]:
    """'All 5': tick every exercise, in the same message."""
    ctx.person.conversation.data["chosen"] = [e.id for e in ctx.catalog.exercises]
    return Step(S.EXERCISES, prompt="edit")


def typed_exercises(ctx: Context, event: Text) -> Step[S]:
    """Typed numbers (or 'all') select exactly those, said back; 'done' or 'save' saves."""
    text = event.text
    if ctx.catalog.is_word("done", normalise(text)) or ctx.catalog.is_word("save", normalise(text)):
        return save_exercises(ctx, event)
    picked = read_choice(text, ctx.catalog)
    if picked is None:
        return Step(S.EXERCISES, [say("program.exercises_help", count=len(ctx.catalog.exercises))])
    ctx.person.conversation.data["chosen"] = picked
    said_back = Say((Line("program.exercises_chosen", {"names": names(picked, ctx.catalog)}),),
                    (*tick_boxes(ctx.catalog, picked, "program.btn_save"), p.BACK))
    return Step(S.EXERCISES, [said_back], prompt="none")


def save_exercises(ctx: Context, event: Text | Press) -> Step[S]:
    """Save the new choice (at least one exercise), keeping each exercise's amounts."""
    picked = p.chosen(ctx)
    if not picked:
        return Step(S.EXERCISES, [say("program.exercises_none")])
    before = [e.id for e in onboarding.enabled_exercises(ctx)]
    ctx.person.conversation.data.pop("chosen", None)
    if picked == before:
        return Step(S.MENU, [say("program.no_change")])
    for exercise in ctx.catalog.exercises:
        item = ctx.person.program.setdefault(exercise.id, Prescription(exercise.id, False))
        item.enabled = exercise.id in picked
    saved = say("program.exercises_saved", names=names(picked, ctx.catalog))
    change = ProgramChange(ctx.now, "exercises", ",".join(before), ",".join(picked))
    return Step(S.MENU, [saved, *_record(ctx, change)])


def pick_exercise(ctx: Context, event: Text | Press) -> Step[S]:
    """Which exercise's amounts to change: a button, or its number in the list."""
    chosen = onboarding.enabled_exercises(ctx)
    if isinstance(event, Press):
        found = [e for e in chosen if e.id == event.arg]
    else:
        if ctx.catalog.is_word("done", normalise(event.text)):
            return Step(S.MENU)
        number = read_number(event.text, ctx.catalog.numbers)
        found = [chosen[number - 1]] if number is not None and 1 <= number <= len(chosen) else []
    if not found:
        return Step(S.DOSES, [say("program.doses_help", count=len(chosen))])
    ctx.person.conversation.data["exercise"] = found[0].id
    return Step(S.DOSE_FIELD)


def back_to_doses(ctx: Context, event: Text | Press) -> Step[S]:
    """Leave the amount editor without changing anything."""
    onboarding.leave_dose_editor(ctx)
    return Step(S.DOSES)


def pick_field(ctx: Context, event: Text | Press) -> Step[S]:
    """Hold time, repetitions or sets: a button, its name or its number."""
    name = onboarding.field_answer(ctx, event)
    if name is None:
        return Step(S.DOSE_FIELD, [say("onboarding.dose_field_type_help")])
    ctx.person.conversation.data["field"] = name
    return Step(S.DOSE_VALUE)


def set_value(ctx: Context, event: Text | Press) -> Step[S]:
    """A new amount from a button or typed, only inside the safe range; said back."""
    value = onboarding.amount_answer(ctx, event)
    limits = onboarding.current_range(ctx)
    if limits is None:
        return back_to_doses(ctx, event)
    if value is None or not limits.allows(value):
        return Step(S.DOSE_VALUE, [say("onboarding.dose_out_of_range", min=limits.min,
                                       max=limits.max)])
    data = ctx.person.conversation.data
    exercise_id, field = data["exercise"], data["field"]
    item = ctx.person.program[exercise_id]
    before = getattr(item, field) or limits.default
    back_to_doses(ctx, event)
    if value == before:
        return Step(S.DOSES, [say("program.no_change")])
    # The usual amount is stored as "no change", so a later content update still applies.
    setattr(item, field, None if value == limits.default else value)
    saved = say("program.dose_saved", name=Line(f"exercise.{exercise_id}.name"),
                field=Line(f"dose.name_{field}"), before=before, after=value)
    change = ProgramChange(ctx.now, "dose", str(before), str(value), exercise_id, field)
    return Step(S.DOSES, [saved, *_record(ctx, change)])


def pick_country(ctx: Context, event: Text | Press) -> Step[S]:
    """A country from the buttons (or 112), or typed; unknown names ask again."""
    if isinstance(event, Press):
        code = event.arg
        known = code == "112" or ctx.catalog.country(code) is not None
        new = (None if code == "112" else code) if known else ""
    else:
        found = find_country(event.text, ctx.catalog.countries)
        new, code = (found.code, found.code) if found else ("", event.text[:40])
    if new == "":
        return Step(S.COUNTRY, [say("onboarding.country_not_found", name=code[:40])])
    old = ctx.person.country_code
    if new == old:
        return Step(S.MENU, [say("program.no_change")])
    ctx.person.country_code = new
    number = ctx.catalog.emergency_number(new)
    saved = (say("onboarding.country_fallback", number=number) if new is None else
             say("onboarding.country_saved", number=number, country=Line(f"country.{new}")))
    return Step(S.MENU, [saved, *_record(ctx, ProgramChange(ctx.now, "country", old, new))])


def type_country(ctx: Context, event: Press) -> Step[S]:
    """The person will type their country's name."""
    return Step(S.COUNTRY, [say("onboarding.country_type_it")], prompt="none")


PROGRAM: Flow[S] = Flow(
    name="program",
    states=S,
    initial=S.MENU,
    final=frozenset({S.DONE}),
    table=(
        row(S.MENU, press("change"), choose, S.EXERCISES, S.DOSES, S.COUNTRY, S.DONE, S.MENU),
        row(S.MENU, TEXT, typed_menu, S.EXERCISES, S.DOSES, S.COUNTRY, S.DONE, S.MENU),
        row(S.EXERCISES, press("toggle"), toggle, S.EXERCISES),
        row(S.EXERCISES, press("all_exercises"), tick_all, S.EXERCISES),
        row(S.EXERCISES, press("exercises_done"), save_exercises, S.MENU, S.EXERCISES),
        row(S.EXERCISES, press("back"), back_to_menu, S.MENU),
        row(S.EXERCISES, TEXT, typed_exercises, S.MENU, S.EXERCISES),
        row(S.DOSES, press("change_dose"), pick_exercise, S.DOSE_FIELD, S.DOSES),
        row(S.DOSES, press("back"), back_to_menu, S.MENU),
        row(S.DOSES, TEXT, pick_exercise, S.DOSE_FIELD, S.DOSES, S.MENU),
        row(S.DOSE_FIELD, press("field"), pick_field, S.DOSE_VALUE, S.DOSE_FIELD),
        row(S.DOSE_FIELD, press("back"), back_to_doses, S.DOSES),
        row(S.DOSE_FIELD, TEXT, pick_field, S.DOSE_VALUE, S.DOSE_FIELD),
        row(S.DOSE_VALUE, press("value"), set_value, S.DOSES, S.DOSE_VALUE),
        row(S.DOSE_VALUE, press("back"), back_to_doses, S.DOSES),
        row(S.DOSE_VALUE, TEXT, set_value, S.DOSES, S.DOSE_VALUE),
        row(S.COUNTRY, press("country"), pick_country, S.MENU, S.COUNTRY),
        row(S.COUNTRY, press("country_other"), type_country, S.COUNTRY),
        row(S.COUNTRY, press("back"), back_to_menu, S.MENU),
        row(S.COUNTRY, TEXT, pick_country, S.MENU, S.COUNTRY),
    ),
    prompts={
        S.MENU: p.menu,
        S.EXERCISES: p.exercises,
        S.DOSES: p.doses,
        S.DOSE_FIELD: p.dose_field,
        S.DOSE_VALUE: p.dose_value,
        S.COUNTRY: p.country,
        S.DONE: p.done,
    },
)
