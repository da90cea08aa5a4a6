"""The exercise session, driven through the pure domain: steps, counts, holds, pain, pause."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.domain.engine.events import Timer
from bot.domain.model import Prescription
from bot.domain.session.plan import build_plan, count_steps
from bot.loaders.content import load_content
from tests.unit.conftest import NOW, Chat, said
from tests.unit.test_onboarding import onboard_to

CATALOG = load_content().catalog
# (movement steps, holds) per exercise at the leaflet's doses: steps x sides x rounds.
EXPECTED_COUNTS = {
    "head_rolls": (4 * 1 * 3, 2 * 1 * 3),
    "scapular_squeeze": (2 * 1 * 3, 1 * 1 * 3),
    "pec_stretch": (3 * 1 * 3, 1 * 1 * 3),
    "cat_camel": (2 * 1 * 3, 2 * 1 * 3),
    "bird_dog": (4 * 2 * 5, 1 * 2 * 5),
}


def started(chat: Chat, pain: str = "2") -> None:
    onboard_to(chat, "idle")
    chat.send("/exercise")
    chat.press("ready")
    chat.press(pain)


def tick(chat: Chat, seconds: float) -> None:
    """Move time on and let the scheduler's timer event arrive, as the tick would send it."""
    chat.do(Timer("hold_due"), NOW + timedelta(seconds=seconds))


def walk_exercise(chat: Chat) -> tuple[int, int, list[str]]:
    """Press through one exercise, holding where asked; count steps and holds, keep counters."""
    steps = holds = 0
    counters: list[str] = []
    chat.press("in position")
    exercise = chat.session.cursor.exercise
    while chat.session.cursor.exercise == exercise:
        steps += 1
        counters.append(chat.text.splitlines()[-2] if "hold" in chat.text else "")
        if "Start hold" in " ".join(chat.labels()):
            holds += 1
            seconds = chat.session.plan[exercise].hold_seconds
            chat.press("Start hold")
            assert chat.state == "session/holding"
            tick(chat, seconds)
        else:
            chat.press("Done, next")
    return steps, holds, counters


@pytest.mark.parametrize("exercise_id", list(EXPECTED_COUNTS))
def test_counts_per_exercise_match_the_arithmetic(exercise_id: str) -> None:
    exercise = CATALOG.exercise(exercise_id)
    assert exercise is not None
    plan = build_plan({exercise_id: Prescription(exercise_id)}, CATALOG)
    assert count_steps(exercise, plan[0]) == EXPECTED_COUNTS[exercise_id]


def test_a_whole_session_of_all_five_exercises(chat: Chat) -> None:
    started(chat)
    for exercise_id, expected in EXPECTED_COUNTS.items():
        steps, holds, _ = walk_exercise(chat)
        assert (steps, holds) == expected, exercise_id
    assert chat.state == "session/pain_after"
    chat.press("1")
    session = chat.person.session
    assert session is not None and session.status == "finished"
    assert session.end_reason == "completed"
    assert set(session.results.values()) == {"done"} and len(session.results) == 5
    assert "Done: 5" in chat.text and "Pain before: 2/10 · after: 1/10" in chat.text
    assert chat.state == "home/idle"
    assert [r.moment for r in chat.person.new_pain_ratings] == ["before", "after"]


def test_counters_show_set_side_and_hold(chat: Chat) -> None:
    started(chat)
    for _ in range(4):
        chat.press("Skip exercise")
    chat.press("in position")
    chat.press("Done, next")
    assert "Bird dog · Set 1 of 5 · right arm, left leg" in chat.text
    chat.press("Done, next")
    assert "Bird dog · Set 1 of 5 · right arm, left leg · hold 15 s" in chat.text


def test_provider_doses_drive_the_session(chat: Chat) -> None:
    onboard_to(chat, "idle")
    chat.person.program["scapular_squeeze"].repetitions = 5
    chat.person.program["scapular_squeeze"].hold_seconds = 8
    for other in ("head_rolls", "pec_stretch", "cat_camel", "bird_dog"):
        chat.person.program[other].enabled = False
    chat.send("/exercise")
    chat.press("ready")
    chat.press("0")
    steps, holds, _ = walk_exercise(chat)
    assert (steps, holds) == (10, 5)
    assert chat.session.plan[0].hold_seconds == 8


def test_hold_ends_only_at_its_deadline(chat: Chat) -> None:
    started(chat)
    chat.press("in position")
    chat.press("Done, next")
    chat.press("Start hold")
    hold = chat.session.hold
    assert hold is not None and hold.deadline == NOW + timedelta(seconds=5)
    assert said(chat.replies[-1]).tag == "hold"
    hold.message_id = 41  # what the sender reports back once Telegram gave the message an id
    revision = chat.person.conversation.revision
    tick(chat, 4)
    assert chat.state == "session/holding" and chat.replies == []
    assert chat.person.conversation.revision == revision
    tick(chat, 5.5)
    assert chat.state == "session/step"
    edit, _release = chat.replies
    shown = said(edit)
    assert shown.edit and shown.message_id == 41
    assert "Release" in chat.text and "left ear" in chat.text


def test_a_hold_missed_while_the_bot_was_down_is_offered_again(chat: Chat) -> None:
    started(chat)
    chat.press("in position")
    chat.press("Done, next")
    chat.press("Start hold")
    tick(chat, 5 + 31)
    assert chat.state == "session/hold_interrupted" and "interrupted" in chat.text
    assert chat.session.cursor.step == 1
    chat.press("Start the hold again")
    assert chat.state == "session/holding"


def test_it_hurts_stops_the_exercise_and_asks_how_bad_and_where(chat: Chat) -> None:
    started(chat, pain="3")
    chat.press("in position")
    chat.press("It hurts")
    assert chat.state == "session/pain_during"
    chat.press("6")
    chat.press("Shoulder")
    assert "call your doctor" in chat.text  # 6 is 3 points above the rating before
    assert chat.session.results == {"head_rolls": "pain"}
    rating = chat.person.new_pain_ratings[-1]
    assert (rating.rating, rating.moment, rating.where, rating.exercise_id) == (
        6, "during", "shoulder", "head_rolls")
    chat.press("It's mild")  # #15: going on only once they say the pain is mild
    assert "Shoulder blade squeeze" in chat.text


def test_severe_pain_that_stops_moving_is_an_emergency(chat: Chat) -> None:
    started(chat, pain="9")
    assert chat.state == "session/can_move"
    chat.press("stops me moving")
    assert chat.state == "session/emergency" and "112" in chat.text
    assert chat.session.end_reason == "emergency"
    chat.press("seen")
    assert chat.state == "home/idle"


def test_high_pain_but_can_move_suggests_resting(chat: Chat) -> None:
    started(chat, pain="8")
    chat.press("I can move")
    assert chat.state == "session/high_pain" and "call your doctor" in chat.text
    chat.press("Rest today")
    assert chat.session.end_reason == "ended_early"
    assert chat.state == "home/idle"


def test_pause_and_resume_at_the_exact_step(chat: Chat) -> None:
    started(chat)
    chat.press("in position")
    chat.press("Done, next")
    chat.press("Start hold")
    chat.press("Pause")
    assert chat.session.hold is None
    assert chat.session.status == "paused"
    chat.send("/help")
    chat.send("/exercise")
    assert chat.state == "session/step" and "Start hold" in " ".join(chat.labels())
    assert chat.session.cursor.step == 1


def test_cancel_pauses_and_exercise_resumes(chat: Chat) -> None:
    started(chat)
    chat.press("in position")
    chat.send("/cancel")
    assert chat.state == "home/idle" and "paused" in chat.text
    chat.send("/exercise")
    assert chat.state == "session/step" and "carry on" in chat.text


def test_end_early_still_gives_the_summary(chat: Chat) -> None:
    started(chat)
    chat.press("Skip exercise")
    chat.press("End session")
    chat.press("2")
    assert "Skipped: 1" in chat.text and "Not reached: 4" in chat.text
    assert chat.session.end_reason == "ended_early"


def test_guided_mode_starts_holds_by_themselves(chat: Chat) -> None:
    onboard_to(chat, "idle")
    chat.send("/guided")
    assert chat.person.guided_holds
    chat.send("/exercise")
    chat.press("ready")
    chat.press("1")
    chat.press("in position")
    chat.press("Done, next")
    assert chat.state == "session/holding"
    tick(chat, 5)
    assert chat.state == "session/holding"  # the next step is a hold too, started for them


def test_typed_words_work_in_a_session(chat: Chat) -> None:
    started(chat)
    chat.send("ok")
    assert chat.session.cursor.step == 0
    chat.send("next")
    chat.send("start")
    assert chat.state == "session/holding"
    chat.send("how long?")
    assert "Keep holding" in chat.text
    chat.send("stop")
    assert chat.state == "session/pain_during"
    chat.send("four")
    chat.send("my neck")
    # The place is read from the words (it was recorded as "somewhere else" before).
    assert chat.person.new_pain_ratings[-1].where == "neck"


def test_exercise_before_onboarding_finishes_set_up_first(chat: Chat) -> None:
    onboard_to(chat, "country")
    chat.send("/exercise")
    assert "finish setting up" in chat.text and chat.state == "onboarding/country"


def test_safety_rules_in_full_first_then_a_reminder(chat: Chat) -> None:
    started(chat)
    chat.press("End session")
    chat.press("1")
    chat.send("/exercise")
    assert "Quick reminder" in chat.text
    chat.press("Show all four")
    assert "firm surface" in chat.text
