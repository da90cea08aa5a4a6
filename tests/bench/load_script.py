"""What each simulated person does in the load benchmark, as a seeded endless plan.

A person onboards once, then loops over activities picked at random with fixed weights:
a check-in, a session walked with buttons (no timed holds, which would need the clock
driven), a question asked with /ask, a look at /questions, a question typed into the
/questions list, and free text (a question the bot offers to save, or small talk). The
plan never depends on the bot's replies, so the echo baseline can replay exactly the same
sends and presses (echo_action).
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

from tests.bench.bench_onboarding import onboarding_script

# How often each activity is picked after onboarding (weights, not percentages).
WEIGHTS: dict[str, float] = {"session": 30, "checkin": 25, "ask": 15, "questions": 10,
                             "typed question": 5, "free text": 15}
ACTIVITIES = ("onboarding", *WEIGHTS)
# None of these may sound like a warning sign to triage ("is it normal...", a stiff neck):
# the bot would answer with advice instead (the smoke test checks).
QUESTIONS = (
    "Can I do the wall angels twice a day?",
    "Does the chest stretch help with posture?",
    "Should I use heat or ice after a long day at the desk?",
    "How long until the stiffness in the morning gets better?",
    "Can I go back to running next month?",
    "Is sleeping on my side bad for my back?",
)
# Text the bot does not understand and offers to save as a question for the doctor.
UNCLEAR = (
    "why does my shoulder blade click when I reach up",
    "is it ok to run with this",
    "my back feels stiff after driving",
)
SMALL_TALK = ("hello", "thanks", "ok")


@dataclass(frozen=True)
class Action:
    """One update a person produces, and how the reply that answers it is recognised.

    expect: text the bot's reply must contain (any case; None: any reply). answer: the reply
    is the toast answering the press (answerCallbackQuery), not a message or an edit.
    """

    activity: str
    kind: Literal["send", "press"]
    arg: str
    expect: str | None
    answer: bool = False


def _rating(rng: random.Random) -> str:
    # Below the "can you move?" threshold, so no emergency branch: the plan stays linear.
    return str(rng.randint(0, 4))


def onboarding(index: int) -> list[Action]:
    """The onboarding benchmark's steps (country chosen by index)."""
    return [Action("onboarding", step.kind, step.arg, step.expect)
            for step in onboarding_script(index)]


def checkin(rng: random.Random) -> list[Action]:
    """/checkin, a rating, no new pain, worse than usual or not."""
    worse = "Yes" if rng.random() < 0.2 else "No"
    return [Action("checkin", "send", "/checkin", "How is your back today"),
            Action("checkin", "press", _rating(rng), "new pain"),
            Action("checkin", "press", "No", "worse than usual"),
            # "Thank you. That's today's check-in done." or "... call your doctor"
            Action("checkin", "press", worse, "Thank you")]


def session(rng: random.Random) -> list[Action]:
    """/exercise, ready, a rating, a step or two, one to three skips, end, a rating."""
    def act(label: str, expect: str) -> Action:
        return Action("session", "press", label, expect)

    # "Before you start ... Stop if it hurts." the first time, then "Quick reminder: ..."
    actions = [Action("session", "send", "/exercise", "stop if it hurts"),
               act("I'm ready", "How much does your back hurt"),
               # 0 or 1: never two points above the person's usual, which would ask
               # "is it mild?" before the first exercise (#15) and fork the plan.
               act(str(rng.randint(0, 1)), "Exercise 1 of"),
               act("I'm in position", "·"),  # "Head rolls · Set 1 of 3"
               act("Done, next", "·")]
    for number in range(2, 2 + rng.randint(1, 3)):
        actions += [act("Skip exercise", f"Exercise {number} of"),
                    act("I'm in position", "·")]
    return [*actions, act("End session", "after the session"),
            act(_rating(rng), "Session finished")]


def ask(rng: random.Random) -> list[Action]:
    """/ask with the question on the same line."""
    return [Action("ask", "send", f"/ask {rng.choice(QUESTIONS)}", "Saved")]


def questions(any_saved: bool) -> list[Action]:
    """/questions (the list, or "none yet"), then Done."""
    shown = "to ask" if any_saved else "haven't saved any"
    return [Action("questions", "send", "/questions", shown),
            Action("questions", "press", "Done", "saved")]


def typed_question(any_saved: bool, rng: random.Random) -> list[Action]:
    """/questions, a question typed into the list ("type a new one to add it"), Done."""
    shown = "to ask" if any_saved else "haven't saved any"
    return [Action("typed question", "send", "/questions", shown),
            Action("typed question", "send", rng.choice(QUESTIONS), "on your list"),
            Action("typed question", "press", "Done", "saved")]


def free_text(rng: random.Random) -> list[Action]:
    """Small talk, or something unclear and then yes or no to saving it as a question."""
    if rng.random() < 1 / 3:
        return [Action("free text", "send", rng.choice(SMALL_TALK), None)]
    said = Action("free text", "send", rng.choice(UNCLEAR), "save it as a question")
    if rng.random() < 0.5:
        return [said, Action("free text", "press", "Yes, save it", "on your list")]
    # "No, thanks" is answered by the press's toast alone.
    return [said, Action("free text", "press", "No, thanks", "not saved", answer=True)]


def plan(index: int, seed: int, weights: Mapping[str, float] = WEIGHTS) -> Iterator[Action]:
    """Person `index`'s endless actions: onboarding, then random activities by weight."""
    rng = random.Random(f"{seed}-plan-{index}")
    yield from onboarding(index)
    names = [name for name in WEIGHTS if weights.get(name, 0) > 0]
    chances = [weights[name] for name in names]
    if not names:
        return
    any_saved = False  # the plan keeps track, so it knows what /questions will show
    while True:
        name = rng.choices(names, chances)[0]
        if name == "session":
            actions = session(rng)
        elif name == "checkin":
            actions = checkin(rng)
        elif name == "ask":
            actions = ask(rng)
        elif name == "questions":
            actions = questions(any_saved)
        elif name == "typed question":
            actions = typed_question(any_saved, rng)
        else:
            actions = free_text(rng)
        # Every activity ends outside the /questions list (Done), so free text is never
        # taken as a question typed into it.
        any_saved = any_saved or any(a.expect in ("Saved", "on your list") for a in actions)
        yield from actions


def echo_action(action: Action) -> Action:
    """The same update for the echo bot: the same text sent, or its one button pressed."""
    if action.kind == "send":
        return Action(action.activity, "send", action.arg, "You said")
    return Action(action.activity, "press", "Next", "Pressed")


def echo_plan(index: int, seed: int,
              weights: Mapping[str, float] = WEIGHTS) -> Iterator[Action]:
    """Person `index`'s plan as the echo bot sees it."""
    return (echo_action(action) for action in plan(index, seed, weights))


def parse_mix(text: str) -> dict[str, float]:
    """'session=30,checkin=25' -> weights; activities not named keep their default weight."""
    weights: dict[str, float] = dict(WEIGHTS)
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _, value = part.partition("=")
        name = name.strip().replace("_", " ")
        if name not in WEIGHTS or not value:
            raise ValueError(f"{part!r}: expected NAME=WEIGHT with NAME one of {list(WEIGHTS)}")
        weights[name] = float(value)
        if weights[name] < 0:
            raise ValueError(f"{part!r}: a weight cannot be negative")
    return weights


def think_times(index: int, seed: int, low: float, high: float) -> Iterator[float]:
    """Seconds person `index` pauses before each action; the same for both bots."""
    rng = random.Random(f"{seed}-think-{index}")
    while True:
        yield rng.uniform(low, high)
