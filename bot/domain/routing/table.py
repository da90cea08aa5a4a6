"""Which part of the bot answers an event, declared as one table read top to bottom.

Each row names the events it takes, what answers them, and why it sits where it does; the
first row that takes an event answers it. Only a row that says when it passes events on
may leave one to the rows below (typed words with no warning sign in them). The flows'
own tables come last: a flow only sees what no row above it took.
`backcoach diagrams` draws this table (bot/domain/diagrams/routing.md).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Generic, TypeGuard, TypeVar

from bot.domain.engine.events import (
    Command,
    Edited,
    Event,
    LocationShared,
    Press,
    ReminderDue,
    Text,
    Timer,
    Unreadable,
)
from bot.domain.engine.flows import FLOWS
from bot.domain.engine.fsm import Context
from bot.domain.engine.replies import Reply
from bot.domain.questions import offers
from bot.domain.reminders import messages as reminder_messages
from bot.domain.routing import anywhere, language
from bot.domain.routing.advance import advance, stale
from bot.domain.routing.commands import COMMANDS, run_command

E = TypeVar("E", bound=Event)
Answer = list[Reply] | None  # None: not answered here, on to the rows below


class Kinds(Generic[E]):
    """The kinds of event a row takes; its action is given the event as that type."""

    def __init__(self, *kinds: type[E]) -> None:
        self.kinds = kinds

    def takes(self, event: Event) -> TypeGuard[E]:
        """Whether the event is of one of these kinds."""
        return isinstance(event, self.kinds)

    def __str__(self) -> str:
        return " or ".join(kind.__name__ for kind in self.kinds)


@dataclass(frozen=True)
class Route:
    """One row of the routing table, with its types checked where it was declared."""

    events: str  # which events, in words
    kinds: str  # their types, for the diagram
    when: str  # which of those, when not all
    handler: str  # what answers them
    why: str  # why this row sits where it does
    passes_on: str  # when it leaves an event to the rows below ("" never)
    takes: Callable[[Context, Event], bool]
    answer: Callable[[Context, Event], Answer]


def route(events: str, on: Kinds[E], answer: Callable[[Context, E], Answer], *, why: str,
          when: Callable[[Context, E], bool] | None = None, passes_on: str = "") -> Route:
    """Declare one row: `when` narrows the kinds `on` names to the events this row takes."""

    def takes(ctx: Context, event: Event) -> bool:
        return on.takes(event) and (when is None or when(ctx, event))

    def answer_it(ctx: Context, event: Event) -> Answer:
        if not on.takes(event):
            raise TypeError(f"the row for {events} was given a {type(event).__name__}")
        return answer(ctx, event)

    handler = f"{answer.__module__.removeprefix('bot.domain.')}.{answer.__name__}"
    said = (when.__doc__ or "").strip() if when else "all"
    return Route(events, str(on), said, handler, why, passes_on, takes, answer_it)


def pressed(actions: Collection[str]) -> Callable[[Context, Press], bool]:
    """A press on one of these buttons."""

    def on_one_of(ctx: Context, press: Press) -> bool:
        return press.action in actions

    on_one_of.__doc__ = f"A press on {' or '.join(sorted(actions))}."
    return on_one_of


def has_words(ctx: Context, event: Text | Edited | Command) -> bool:
    """Text, an edit, or a command with words after it ("/ask ...")."""
    return not isinstance(event, Command) or bool(event.args)


def is_follow_up(ctx: Context, timer: Timer) -> bool:
    """The timer of the day after an escalation."""
    return timer.name == "follow_up"


def is_stale(ctx: Context, press: Press) -> bool:
    """A button drawn before the person's last change (an older message, a double press)."""
    return press.revision != ctx.person.conversation.revision


ROUTES: tuple[Route, ...] = (
    route("words typed in a message or an edit or after a command",
          Kinds[Text | Edited | Command](Text, Edited, Command), anywhere.screen, when=has_words,
          passes_on="no warning sign in words we can read and not an edit",
          why="A red flag overrides every flow in every state and in the words after a "
              "command (the command is not run after a sign). An edit is only screened."),
    route("an any-state button answering a follow-up", Kinds(Press), anywhere.follow_up_pressed,
          when=pressed(anywhere.FOLLOW_UP_ACTIONS),
          why="It works whatever the conversation is doing and so comes before the stale "
              "check. Its own check is the latest follow-up's message."),
    route("an any-state button answering the offer to save a question", Kinds(Press),
          offers.pressed, when=pressed(offers.ACTIONS),
          why="The offer's button carries a checksum of the text and not the revision."),
    route("an any-state button choosing the language", Kinds(Press), language.pressed,
          when=pressed({language.ACTION}),
          why="It works whatever the conversation is doing, so the running flow keeps its "
              "place. Its own check is the latest /language message."),
    route("a reminder falling due", Kinds(ReminderDue), reminder_messages.reminder_due,
          why="It comes from the scheduler and is said whatever the conversation is doing."),
    route("an any-state button on a reminder", Kinds(Press), anywhere.reminder_pressed,
          when=pressed(reminder_messages.ACTIONS),
          why="It works from any state and is checked against the latest reminder of its "
              "family."),
    route("a shared location", Kinds(LocationShared), anywhere.location,
          why="An answer only where the flow has a row for it. Anywhere else the bot says "
              "so."),
    route("the day after an escalation", Kinds(Timer), anywhere.follow_up_due, when=is_follow_up,
          why="Before the flows' timers since it belongs to no flow."),
    route("a command", Kinds(Command), run_command,
          why="Commands work in every state of every flow after the warning-sign check."),
    route("something the bot cannot read (a sticker or a photo or a forged button)",
          Kinds(Unreadable), anywhere.unreadable,
          why="No flow can use it. The bot says so and asks the question again."),
    route("a flow's timer such as a hold's deadline", Kinds(Timer), anywhere.flow_timer,
          why="It runs the state's row. Nothing happens when the state no longer waits "
              "for it."),
    route("a stale button from an earlier message", Kinds(Press), stale, when=is_stale,
          why="After the any-state buttons which carry their own check. Before the flow so "
              "an old press changes nothing."),
    route("the current flow's event (text or a fresh button)", Kinds[Text | Press](Text, Press),
          advance, why="Last. The flow's own table sees what no row above took."),
)


def first_route(ctx: Context, event: Event, routes: Sequence[Route] = ROUTES) -> Route:
    """The first row that takes this event (which may still pass it on)."""
    for found in routes:
        if found.takes(ctx, event):
            return found
    raise LookupError(f"no row takes a {type(event).__name__}")


def walk(ctx: Context, event: Event, routes: Sequence[Route] = ROUTES) -> list[Reply]:
    """Answer an event with the first row that takes it and does not pass it on."""
    for found in routes:
        if not found.takes(ctx, event):
            continue
        answered = found.answer(ctx, event)
        if answered is not None:
            return answered
        if not found.passes_on:
            raise RuntimeError(f"the row for {found.events} answered nothing")
    raise LookupError(f"no row takes a {type(event).__name__}")


def mermaid() -> str:
    """The table as a Mermaid flowchart: each row asks "yours?" in order, top to bottom."""
    lines = ["flowchart TD", '    event(["an event"]) --> R1']
    for number, found in enumerate(ROUTES, start=1):
        lines.append(f'    R{number}{{"{number}. {found.events}<br/>{found.kinds}"}}')
        lines.append(f'    R{number} -- yes --> A{number}["{found.handler}"]')
        if number < len(ROUTES):
            lines.append(f"    R{number} -- no --> R{number + 1}")
        if found.passes_on:
            lines.append(f'    A{number} -. "{found.passes_on}" .-> R{number + 1}')
    return "\n".join(lines) + "\n"


def page() -> str:
    """The routing table as a Markdown page: the diagram, then each row and why it is there."""
    rows = "\n".join(f"| {number} | {found.events} | {found.kinds} | {found.when} | "
                     f"`{found.handler}` | {found.why} |"
                     for number, found in enumerate(ROUTES, start=1))
    return ("# Routing between flows\n\nGenerated from `ROUTES` in "
            "bot/domain/routing/table.py by `backcoach diagrams`; a test fails when it is "
            "stale. The first row that takes an event answers it.\n\n```mermaid\n"
            f"{mermaid()}```\n\n| # | events | kinds | taken | handler | reason for its place |\n"
            f"|---|---|---|---|---|---|\n{rows}\n\n{_registered()}")


def _registered() -> str:
    """Where a command and a flow are registered, named with what is registered there."""
    numbers = {found.handler: str(number) for number, found in enumerate(ROUTES, start=1)}
    in_flows = ", ".join(numbers[f"routing.{name}"] for name in (
        "anywhere.location", "anywhere.flow_timer", "advance.advance"))
    commands = " ".join(f"/{name}" for name in sorted({*COMMANDS, "ask"}))
    return (f"Commands (row {numbers['routing.commands.run_command']}, `COMMANDS` in "
            f"bot/domain/routing/commands.py): {commands}\n\n"
            f"Flows (rows {in_flows}, `FLOWS` in bot/domain/engine/flows.py): "
            f"{' '.join(sorted(FLOWS))}\n")
