"""A flow's rows are typed by event kind: a row for text hands its action a Text, a row for
a button a Press, and an event of another kind with the same name never reaches it."""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum

import pytest

from bot.domain.engine.events import LocationShared, Press, Text, Timer
from bot.domain.engine.fsm import (
    LOCATION,
    TEXT,
    Context,
    Flow,
    Step,
    TransitionError,
    press,
    row,
    timer,
)
from bot.domain.engine.replies import say
from bot.domain.session.core import SessionState
from bot.domain.session.flow import SESSION
from tests.unit.conftest import Chat
from tests.unit.test_session import started


class Lamp(StrEnum):
    OFF = "off"
    ON = "on"


def switched(ctx: Context, event: Press) -> Step[Lamp]:
    assert isinstance(event, Press)  # what the row promised
    return Step(Lamp.ON if event.arg == "on" else Lamp.OFF)


def typed(ctx: Context, event: Text) -> Step[Lamp]:
    assert isinstance(event, Text)
    return Step(Lamp.ON if event.text == "on" else Lamp.OFF)


def anything(ctx: Context, event: object) -> Step[Lamp]:
    return Step(Lamp.OFF)


LAMP: Flow[Lamp] = Flow("lamp", Lamp, Lamp.OFF, (
    row(Lamp.OFF, press("switch"), switched, Lamp.ON, Lamp.OFF),
    row(Lamp.OFF, TEXT, typed, Lamp.ON, Lamp.OFF),
    row(Lamp.ON, "text", anything, Lamp.OFF),  # a plain name: any kind, as before
), {Lamp.OFF: lambda ctx: say("x"), Lamp.ON: lambda ctx: say("y")})


def test_a_row_is_found_by_its_events_name_and_kind() -> None:
    found = LAMP.row_for(Lamp.OFF, Press("switch", "on", 0))
    assert found is not None and found.action is switched
    found = LAMP.row_for(Lamp.OFF, Text("on"))
    assert found is not None and found.action is typed
    # Same names, other kinds: a press named "text", a timer named "switch".
    assert LAMP.row_for(Lamp.OFF, Press("text", "", 0)) is None
    assert LAMP.row_for(Lamp.OFF, Timer("switch")) is None
    assert LAMP.row_for(Lamp.OFF, LocationShared(None)) is None


def test_a_row_with_a_plain_name_takes_any_kind_of_that_name() -> None:
    assert LAMP.row_for(Lamp.ON, Text("x")) is not None
    assert LAMP.row_for(Lamp.ON, Press("text", "", 0)) is not None
    assert LAMP.row_for(Lamp.ON, Press("switch", "", 0)) is None


def test_each_action_gets_the_event_as_its_rows_kind() -> None:
    ctx: Context = None  # type: ignore[assignment]  # the lamp's actions look only at the event
    by_press = LAMP.row_for(Lamp.OFF, Press("switch", "on", 0))
    by_text = LAMP.row_for(Lamp.OFF, Text("on"))
    assert by_press is not None and by_text is not None
    assert LAMP.fire(by_press, ctx, Press("switch", "on", 0)).target == Lamp.ON
    assert LAMP.fire(by_text, ctx, Text("on")).target == Lamp.ON
    with pytest.raises(TransitionError, match="was given a Text"):
        LAMP.fire(by_press, ctx, Text("switch"))


def test_the_markers_name_the_events_as_the_tables_and_diagrams_do() -> None:
    assert (TEXT.name, LOCATION.name, press("agree").name, timer("hold_due").name) == (
        "text", "location", "agree", "hold_due")
    holding = SESSION.row_for(SessionState.HOLDING, Timer("hold_due"))
    assert holding is not None and holding.event == "hold_due"
    assert SESSION.row_for(SessionState.HOLDING, Press("hold_due", "", 0)) is None


def test_a_forged_press_named_like_a_timer_does_not_end_a_hold(chat: Chat) -> None:
    started(chat)
    chat.press("in position")
    chat.press("Done, next")
    chat.press("Start hold")
    session = chat.person.session
    assert session is not None and session.hold is not None
    deadline = session.hold.deadline
    chat.do(Press("hold_due", "", chat.person.conversation.revision),
            deadline + timedelta(seconds=1))
    assert chat.toasts == ["That button is from an earlier message."]
    assert chat.state == "session/holding" and session.hold is not None
    chat.do(Timer("hold_due"), deadline + timedelta(seconds=1))  # the real one ends it
    assert session.hold is None and "Release, and relax." in chat.text
