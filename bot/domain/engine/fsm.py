"""A tiny state-machine engine: a flow is one table of transitions plus a prompt per state.

Each row says: in state SOURCE, on event EVENT, run ACTION, which lands in one of TARGETS.
The action returns which target it chose, so validation failures ("please type a number")
are visible in the table as a loop back to the same state. EVENT says the kind of event
too (`TEXT`, `press("agree")`, `timer("hold_due")`, `LOCATION`), and the action is given
the event as that type: a row for text hands its action a `Text`, checked by mypy.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Generic, Literal, TypeGuard, TypeVar, overload

from bot.domain.catalog import Catalog
from bot.domain.engine.events import FlowEvent, LocationShared, Press, Text, Timer
from bot.domain.engine.replies import Reply, Say
from bot.domain.limits.allowance import Limits
from bot.domain.model import Person

S = TypeVar("S", bound=StrEnum)
E = TypeVar("E", bound=FlowEvent)

# send: a new message; edit: replace the message whose button was pressed (also when the
# state changed); none: say nothing more (only when the state did not change).
PromptMode = Literal["send", "edit", "none"]


@dataclass
class Context:
    """What an action may look at and change: the person, the program content, the time,
    and the operator's limits."""

    person: Person
    catalog: Catalog
    now: datetime
    limits: Limits = field(default_factory=Limits)


@dataclass
class Step(Generic[S]):
    """An action's result: where to go, what to say first, and how to show the next prompt."""

    target: S
    replies: list[Reply] = field(default_factory=list)
    prompt: PromptMode = "send"


Prompt = Callable[[Context], Say]


@dataclass(frozen=True)
class On(Generic[E]):
    """The event a row is for: its name in the table and the diagram, and its kind."""

    name: str
    kinds: tuple[type[E], ...]

    def takes(self, event: FlowEvent) -> TypeGuard[E]:
        """Whether this is the row's event: its name, and one of its kinds."""
        return name_of(event) == self.name and isinstance(event, self.kinds)


TEXT: On[Text] = On("text", (Text,))
LOCATION: On[LocationShared] = On("location", (LocationShared,))


def press(action: str) -> On[Press]:
    """A press on a button with this action."""
    return On(action, (Press,))


def timer(name: str) -> On[Timer]:
    """A timer the scheduler sends (a hold's deadline)."""
    return On(name, (Timer,))


def name_of(event: FlowEvent) -> str:
    """The event's name in a flow's table: a button's action, a timer's name, text, location."""
    if isinstance(event, Press):
        return event.action
    if isinstance(event, Timer):
        return event.name
    return "location" if isinstance(event, LocationShared) else "text"


@dataclass(frozen=True)
class Transition(Generic[S, E]):
    """One row of a flow table."""

    source: S
    on: On[E]
    action: Callable[[Context, E], Step[S]]
    targets: tuple[S, ...]

    @property
    def event(self) -> str:
        """The event's name, as the table and the diagram show it."""
        return self.on.name

    def run(self, ctx: Context, event: FlowEvent) -> Step[S]:
        """Give the action the event as the kind its row is for."""
        if not self.on.takes(event):
            raise TransitionError(f"{self.source} --{self.event}--> was given a "
                                  f"{type(event).__name__}")
        return self.action(ctx, event)


# A table mixes rows for each kind of event; `Transition[S, FlowEvent]` is a row written
# with a plain name, whose action takes any kind.
Row = (Transition[S, Text] | Transition[S, Press] | Transition[S, Timer]
       | Transition[S, LocationShared] | Transition[S, FlowEvent])
ANY_KIND: tuple[type[FlowEvent], ...] = (Text, Press, Timer, LocationShared)


@overload
def row(source: S, event: On[E], action: Callable[[Context, E], Step[S]],
        *targets: S) -> Transition[S, E]: ...
@overload
def row(source: S, event: str, action: Callable[[Context, FlowEvent], Step[S]],
        *targets: S) -> Transition[S, FlowEvent]: ...
def row(source: S, event: On[Any] | str, action: Callable[[Context, Any], Step[S]],
        *targets: S) -> Transition[S, Any]:
    """Declare one transition; listing targets keeps the table readable top to bottom."""
    on = event if isinstance(event, On) else On(event, ANY_KIND)
    return Transition(source, on, action, targets)


class TransitionError(RuntimeError):
    """An action chose a target its table row does not declare (a programming error)."""


@dataclass(frozen=True)
class Flow(Generic[S]):
    """A named state machine: its states, start state, transition table and prompts."""

    name: str
    states: type[S]
    initial: S
    table: Sequence[Row[S]]
    prompts: Mapping[S, Prompt]
    final: frozenset[S] = frozenset()

    def find(self, state: S, event: str) -> Row[S] | None:
        """The row for this state and event name, if the table has one."""
        for transition in self.table:
            if transition.source == state and transition.event == event:
                return transition
        return None

    def row_for(self, state: S, event: FlowEvent) -> Row[S] | None:
        """The row for this state that takes this event (its name and its kind)."""
        for transition in self.table:
            if transition.source == state and transition.on.takes(event):
                return transition
        return None

    def events_in(self, state: S) -> tuple[str, ...]:
        """Every event the table accepts in this state."""
        return tuple(t.event for t in self.table if t.source == state)

    def fire(self, transition: Row[S], ctx: Context, event: FlowEvent) -> Step[S]:
        """Run a row's action and check that it landed where the table says it may."""
        step = transition.run(ctx, event)
        if step.target not in transition.targets:
            raise TransitionError(
                f"{self.name}: {transition.source} --{transition.event}--> {step.target} "
                f"is not declared (declared: {', '.join(transition.targets)})"
            )
        return step

    def prompt(self, state: S, ctx: Context) -> Say | None:
        """What the bot says on entering (or returning to) a state."""
        builder = self.prompts.get(state)
        return builder(ctx) if builder else None


def mermaid(flow: Flow[S]) -> str:
    """Render the flow's table as a Mermaid state diagram (one edge per declared target)."""
    lines = ["stateDiagram-v2", f"    [*] --> {flow.initial.name}"]
    seen: set[tuple[str, str, str]] = set()
    for transition in flow.table:
        for target in transition.targets:
            edge = (transition.source.name, target.name, transition.event)
            if edge not in seen:
                seen.add(edge)
                lines.append(f"    {edge[0]} --> {edge[1]}: {edge[2]}")
    lines.extend(f"    {state.name} --> [*]" for state in sorted(flow.final))
    return "\n".join(lines) + "\n"
