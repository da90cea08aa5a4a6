"""The flow tables themselves: declared targets enforced, diagrams current, prompts complete."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import pytest

from bot.domain.engine.events import Text
from bot.domain.engine.flows import FLOWS, diagrams
from bot.domain.engine.fsm import Context, Flow, Step, TransitionError, mermaid, row
from bot.domain.engine.replies import say
from bot.domain.model import Person
from bot.loaders.content import Content
from tests.unit.conftest import NOW

DIAGRAMS = Path(__file__).resolve().parents[2] / "bot" / "domain" / "diagrams"


@pytest.mark.parametrize("name", sorted(FLOWS))
def test_checked_in_diagram_is_current(name: str) -> None:
    expected = diagrams()[name]
    path = DIAGRAMS / f"{name}.md"
    assert path.exists(), f"run `backcoach diagrams` to create {path}"
    assert path.read_text() == expected, f"{path} is stale: run `backcoach diagrams`"


@pytest.mark.parametrize("name", sorted(FLOWS))
def test_every_state_has_a_prompt_and_is_reachable(name: str) -> None:
    # FLOWS holds flows over different enums; each one's states are a StrEnum.
    flow: Flow[StrEnum] = FLOWS[name]
    reachable = {flow.initial} | {t for r in flow.table for t in r.targets}
    assert set(flow.states) == reachable
    assert set(flow.prompts) == set(flow.states)


class Door(StrEnum):
    OPEN = "open"
    SHUT = "shut"


def test_an_undeclared_target_is_refused(content: Content) -> None:
    def slam(ctx: Context, event: object) -> Step[Door]:
        return Step(Door.SHUT)

    flow: Flow[Door] = Flow("door", Door, Door.OPEN, (row(Door.OPEN, "text", slam, Door.OPEN),),
                            {Door.OPEN: lambda ctx: say("x"), Door.SHUT: lambda ctx: say("y")})
    transition = flow.find(Door.OPEN, "text")
    assert transition is not None
    ctx = Context(Person(42, 42, "en", created_at=NOW), content.catalog, NOW)
    with pytest.raises(TransitionError, match="open --text--> shut is not declared"):
        flow.fire(transition, ctx, Text("push"))
    assert "OPEN --> OPEN: text" in mermaid(flow)
