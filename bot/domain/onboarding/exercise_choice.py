"""Choosing exercises, shared by onboarding and /program: reading a typed choice ("2 3 5",
"2, 3 and 5", "2-4", "two and five", "all"), the tick-box buttons, and saying it back."""

from __future__ import annotations

import re
from collections.abc import Collection

from bot.domain.catalog import Catalog
from bot.domain.engine.replies import Button, Join, Line, button
from bot.domain.understanding.typing_help import MAX_READ, normalise, read_numbers

# "2-4" is a range; digits glued to other digits ("123-456") are not.
_RANGE = re.compile(r"(?<!\d)(\d{1,2})\s*[-–]\s*(\d{1,2})(?!\d)")


def _numbers(text: str, catalog: Catalog) -> list[int]:
    """The exercise numbers typed: digits, ranges ('2-4') and number words ('two')."""
    numbers: list[int] = []

    def expand(match: re.Match[str]) -> str:
        numbers.extend(range(int(match[1]), int(match[2]) + 1) or [0])
        return " "

    rest = _RANGE.sub(expand, text)
    numbers += read_numbers(rest)
    numbers += [catalog.numbers[w] for w in normalise(rest).split() if w in catalog.numbers]
    return numbers


def read_choice(text: str, catalog: Catalog) -> list[str] | None:
    """The exercise ids a typed answer selects, in program order; None when it names no
    exercise or a number outside the list (nothing is then changed). 'All but 2', 'todos
    menos el 2', '1-4 except 3': the numbers after the word of exception are left out."""
    ids = [e.id for e in catalog.exercises]
    typed = text[:MAX_READ]
    if catalog.is_word("all", normalise(typed)):
        return ids
    excepting = sorted(catalog.words.get("except", ()), key=len, reverse=True)
    # Cut in the text as typed, so that a range before the cut ('1-4 except 3') stays one.
    cleaned = typed.casefold()
    cut = re.search(rf"(?<!\w)(?:{'|'.join(map(re.escape, excepting))})(?!\w)",
                    cleaned) if excepting else None
    if cut is None:
        numbers = _numbers(typed, catalog)
    else:
        kept = _numbers(cleaned[:cut.start()], catalog)
        left_out = _numbers(cleaned[cut.end():], catalog)
        if not left_out or any(not 1 <= n <= len(ids) for n in left_out):
            return None
        numbers = [n for n in (kept or range(1, len(ids) + 1)) if n not in left_out]
    if not numbers or any(not 1 <= n <= len(ids) for n in numbers):
        return None
    wanted = set(numbers)
    return [exercise_id for n, exercise_id in enumerate(ids, start=1) if n in wanted]


def names(chosen: Collection[str], catalog: Catalog) -> Join:
    """'2. Shoulder blade squeeze, 5. Bird dog': the chosen exercises with their numbers."""
    return Join(tuple(Line("onboarding.chosen_item", {
        "number": number, "name": Line(f"exercise.{exercise.id}.name")})
        for number, exercise in enumerate(catalog.exercises, start=1)
        if exercise.id in chosen), ", ")


def tick_boxes(catalog: Catalog, ticked: Collection[str],
               done_key: str) -> tuple[tuple[Button, ...], ...]:
    """One tick box per exercise (action toggle), then 'All five' and the done button."""
    rows = []
    for number, exercise in enumerate(catalog.exercises, start=1):
        key = "onboarding.toggle_on" if exercise.id in ticked else "onboarding.toggle_off"
        rows.append((button(key, "toggle", exercise.id, number=number,
                            name=Line(f"exercise.{exercise.id}.name")),))
    rows.append((button("onboarding.btn_all_exercises", "all_exercises",
                        count=len(catalog.exercises)),))
    rows.append((button(done_key, "exercises_done"),))
    return tuple(rows)
