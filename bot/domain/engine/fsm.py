"""A tiny state-machine engine: a flow is one table of transitions plus a prompt per state.

Each row says: in state SOURCE, on event EVENT, run ACTION, which lands in one of TARGETS.
The action returns which target it chose, so validation failures ("please type a number")
are visible in the table as a loop back to the same state.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Generic, Literal, TypeVar

from bot.domain.catalog import Catalog
from bot.domain.engine.events import Event
from bot.domain.engine.replies import Reply, Say
from bot.domain.limits.allowance import Limits
from bot.domain.model import Person

S = TypeVar("S", bound=StrEnum)

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


Action = Callable[[Context, Event], Step[S]]
Prompt = Callable[[Context], Say]


@dataclass(frozen=True)
class Transition(Generic[S]):
    """One row of a flow table."""

    source: S
    event: str
    action: Action[S]
    targets: tuple[S, ...]


def row(source: S, event: str, action: Action[S], *targets: S) -> Transition[S]:
    """Declare one transition; listing targets keeps the table readable top to bottom."""
    return Transition(source, event, action, targets)


class TransitionError(RuntimeError):
    """An action chose a target its table row does not declare (a programming error)."""


@dataclass(frozen=True)
class Flow(Generic[S]):
    """A named state machine: its states, start state, transition table and prompts."""

    name: str
    states: type[S]
    initial: S
    table: Sequence[Transition[S]]
    prompts: Mapping[S, Prompt]
    final: frozenset[S] = frozenset()

    def find(self, state: S, event: str) -> Transition[S] | None:
        """The row for this state and event, if the table has one."""
        for transition in self.table:
            if transition.source == state and transition.event == event:
                return transition
        return None

    def events_in(self, state: S) -> tuple[str, ...]:
        """Every event the table accepts in this state."""
        return tuple(t.event for t in self.table if t.source == state)

    def fire(self, transition: Transition[S], ctx: Context, event: Event) -> Step[S]:
        """Run a row's action and check that it landed where the table says it may."""
        step = transition.action(ctx, event)
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
