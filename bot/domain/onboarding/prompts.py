"""What onboarding says on entering each state; kept apart so the table reads on one screen."""

from __future__ import annotations

from bot.domain.catalog import DoseRange, ExerciseDef
from bot.domain.engine.events import Press, Text
from bot.domain.engine.fsm import Context
from bot.domain.engine.replies import Button, Join, Line, Say, button, say
from bot.domain.model import Prescription
from bot.domain.onboarding.exercise_choice import tick_boxes
from bot.domain.understanding.typing_help import normalise, read_number

BUTTONS_PER_ROW = 3
MAX_VALUE_BUTTONS = 10


def disclaimer(ctx: Context) -> Say:
    """The disclaimer, with an explicit 'I understand' before anything is stored."""
    # Before consent nothing is stored, not even a /language choice or a provider's link
    # just opened: both ride on the buttons until "I understand".
    carried = _carried(ctx)
    return say("onboarding.disclaimer", (
        (button("onboarding.btn_agree", "agree", carried),),
        (button("onboarding.btn_decline", "decline", carried),),
    ))


def declined(ctx: Context) -> Say:
    """Confirm that nothing was kept, and how to begin later."""
    return say("onboarding.declined", ((button("onboarding.btn_agree_later", "agree",
                                               _carried(ctx)),),))


def _carried(ctx: Context) -> str:
    """The language ("es"), or "es.CODE" with a provider's link (a code has no dot)."""
    offer = ctx.person.link_offer
    code = offer.code if offer is not None and offer.code and not offer.taken else ""
    return f"{ctx.person.language}.{code}" if code else ctx.person.language


def country_buttons(ctx: Context) -> list[tuple[Button, ...]]:
    """Common countries as buttons, then 'I'll type it' and 'use 112'."""
    picks = [button(f"country.{code}", "country", code) for code in ctx.catalog.common_countries]
    rows = _rows(picks, 2)
    rows.append((button("onboarding.btn_country_other", "country_other"),))
    rows.append((button("onboarding.btn_country_112", "country", "112",
                        number=ctx.catalog.fallback_emergency),))
    return rows


def country(ctx: Context) -> Say:
    """Common countries as buttons, plus typing a name or using 112."""
    return say("onboarding.country", tuple(country_buttons(ctx)))


def exercises(ctx: Context) -> Say:
    """Each exercise as a tick box (none ticked at first), 'All five', then Done."""
    ticked = [e.id for e in enabled_exercises(ctx)]
    return say("onboarding.exercises",
               tick_boxes(ctx.catalog, ticked, "onboarding.btn_exercises_done"))


def enabled_exercises(ctx: Context) -> list[ExerciseDef]:
    """The exercises switched on in the person's program, in program order."""
    program = ctx.person.program
    return [e for e in ctx.catalog.exercises if e.id in program and program[e.id].enabled]


def dose_summary(exercise: ExerciseDef, item: Prescription) -> Join:
    """'hold 5 s · 3 sets' for one exercise, with the person's own changes applied."""
    parts = []
    for name, limits in exercise.dose.items():
        value = getattr(item, name) or limits.default
        parts.append(Line(f"dose.{name}", {"value": value}))
    return Join(tuple(parts), " · ")


def doses(ctx: Context) -> Say:
    """The program with its doses; keep them, or change one."""
    items, picks = [], []
    for number, exercise in enumerate(enabled_exercises(ctx), start=1):
        name = Line(f"exercise.{exercise.id}.name")
        summary = dose_summary(exercise, ctx.person.program[exercise.id])
        items.append(Line("onboarding.program_item", {"number": number, "name": name,
                                                       "dose": summary}))
        picks.append(button("onboarding.btn_change_item", "change_dose", exercise.id,
                            number=number, name=name))
    rows: list[tuple[Button, ...]] = [(button("onboarding.btn_keep_doses", "keep_doses"),)]
    rows.extend(_rows(picks, 1))
    return say("onboarding.doses", tuple(rows), items=Join(tuple(items)))


def editable_fields(ctx: Context) -> list[str]:
    """The dose fields of the exercise being edited, in content order."""
    exercise = ctx.catalog.exercise(ctx.person.conversation.data.get("exercise", ""))
    return list(exercise.dose) if exercise else []


def dose_field(ctx: Context) -> Say:
    """Which amount to change for the chosen exercise."""
    exercise_id = ctx.person.conversation.data.get("exercise", "")
    exercise = ctx.catalog.exercise(exercise_id)
    item = ctx.person.program.get(exercise_id)
    if exercise is None or item is None:
        return doses(ctx)
    picks = [button(f"dose.btn_{name}", "field", name,
                    value=getattr(item, name) or limits.default)
             for name, limits in exercise.dose.items()]
    rows = [*_rows(picks, 1), (button("onboarding.btn_back", "back"),)]
    return say("onboarding.dose_field", tuple(rows), name=Line(f"exercise.{exercise_id}.name"))


def current_range(ctx: Context) -> DoseRange | None:
    """The safe range of the dose field being edited."""
    data = ctx.person.conversation.data
    exercise = ctx.catalog.exercise(data.get("exercise", ""))
    return exercise.dose.get(data.get("field", "")) if exercise else None


def value_choices(limits: DoseRange) -> list[int]:
    """Buttons for a range: every value when few, else a spread that includes the default."""
    span = limits.max - limits.min
    if span < MAX_VALUE_BUTTONS:
        return list(range(limits.min, limits.max + 1))
    spread = {limits.min + round(span * i / 5) for i in range(6)}
    return sorted(spread | {limits.default})


def dose_value(ctx: Context) -> Say:
    """Buttons for the allowed values of one dose field, or type a number."""
    limits = current_range(ctx)
    field_name = ctx.person.conversation.data.get("field", "")
    if limits is None:
        return doses(ctx)
    picks = [button("onboarding.btn_value", "value", str(value), value=value)
             for value in value_choices(limits)]
    rows = [*_rows(picks, BUTTONS_PER_ROW), (button("onboarding.btn_back", "back"),)]
    return say("onboarding.dose_value", tuple(rows), field=Line(f"dose.name_{field_name}"),
               min=limits.min, max=limits.max, default=limits.default)


def safety_rules(ctx: Context) -> Join:
    """The safety rules as a numbered list."""
    return Join(tuple(Line(f"safety.{rule}", {"number": n})
                      for n, rule in enumerate(ctx.catalog.safety_rules, start=1)))


def safety(ctx: Context) -> Say:
    """The safety rules, confirmed with one button before the first session."""
    return say("onboarding.safety", ((button("onboarding.btn_safety_ok", "safety_ok"),),),
               rules=safety_rules(ctx))


def done(ctx: Context) -> Say:
    """Onboarding finished: what the person can do next."""
    return say("onboarding.done")


def _rows(buttons: list[Button], per_row: int) -> list[tuple[Button, ...]]:
    return [tuple(buttons[i:i + per_row]) for i in range(0, len(buttons), per_row)]


def field_answer(ctx: Context, event: Text | Press) -> str | None:
    """The dose field chosen: a button, or its name or number in the list typed."""
    fields = editable_fields(ctx)
    if isinstance(event, Press):
        return event.arg if event.arg in fields else None
    text = normalise(event.text)
    return next((name for index, name in enumerate(fields, start=1)
                 if ctx.catalog.is_word(name, text) or text == str(index)), None)


def amount_answer(ctx: Context, event: Text | Press) -> int | None:
    """The amount given: a button's number, or a number typed (range checked by the caller)."""
    if isinstance(event, Press):
        return int(event.arg) if event.arg.isdigit() and len(event.arg) < 4 else None
    return read_number(event.text, ctx.catalog.numbers)


def leave_dose_editor(ctx: Context) -> None:
    """Forget which exercise and field were being changed."""
    ctx.person.conversation.data.pop("exercise", None)
    ctx.person.conversation.data.pop("field", None)
