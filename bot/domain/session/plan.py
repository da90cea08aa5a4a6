"""Session arithmetic: the plan from a person's program, and stepping through sides,
repetitions and sets. Pure functions over the content's exercise definitions."""

from __future__ import annotations

from bot.domain.catalog import Catalog, ExerciseDef, StepDef
from bot.domain.model import Cursor, PlannedExercise, Prescription, RoundKind, Session

NO_SIDE = ""


def planned(exercise: ExerciseDef, item: Prescription) -> PlannedExercise:
    """Fix an exercise's dose for one session: the provider's change, else the default."""
    kind: RoundKind = "sets" if "sets" in exercise.dose else "repetitions"
    hold = exercise.dose.get("hold_seconds")
    rounds = getattr(item, kind) or exercise.dose[kind].default
    return PlannedExercise(exercise.id, (item.hold_seconds or hold.default) if hold else 0,
                           rounds, kind)


def build_plan(program: dict[str, Prescription], catalog: Catalog) -> list[PlannedExercise]:
    """The person's enabled exercises in program order, with their doses."""
    return [planned(e, program[e.id]) for e in catalog.exercises
            if e.id in program and program[e.id].enabled]


def sides(exercise: ExerciseDef) -> tuple[str, ...]:
    """The sides an exercise alternates, or one unnamed side."""
    return exercise.sides or (NO_SIDE,)


def next_in_exercise(cursor: Cursor, exercise: ExerciseDef,
                     plan_item: PlannedExercise) -> Cursor | None:
    """The step after this one within the same exercise, or None when the exercise is done."""
    if cursor.step < len(exercise.steps) - 1:
        return Cursor(cursor.exercise, cursor.round, cursor.side, cursor.step + 1)
    if cursor.side < len(sides(exercise)) - 1:
        return Cursor(cursor.exercise, cursor.round, cursor.side + 1, 0)
    if cursor.round < plan_item.rounds:
        return Cursor(cursor.exercise, cursor.round + 1, 0, 0)
    return None


def first_of_next_exercise(cursor: Cursor) -> Cursor:
    """The position step of the following exercise."""
    return Cursor(cursor.exercise + 1)


def current(session: Session, catalog: Catalog) -> tuple[PlannedExercise, ExerciseDef] | None:
    """The exercise under the cursor, or None once the plan is finished."""
    if session.cursor.exercise >= len(session.plan):
        return None
    item = session.plan[session.cursor.exercise]
    exercise = catalog.exercise(item.exercise_id)
    return (item, exercise) if exercise else None


def current_step(session: Session, catalog: Catalog) -> StepDef | None:
    """The step under the cursor; None on the position step or past the end."""
    found = current(session, catalog)
    if found is None or session.cursor.step < 0:
        return None
    return found[1].steps[session.cursor.step]


def count_steps(exercise: ExerciseDef, plan_item: PlannedExercise) -> tuple[int, int]:
    """How many movement steps and how many holds one exercise takes at this dose."""
    per_round = len(exercise.steps) * len(sides(exercise))
    holds = sum(1 for s in exercise.steps if s.hold) * len(sides(exercise))
    return per_round * plan_item.rounds, holds * plan_item.rounds
