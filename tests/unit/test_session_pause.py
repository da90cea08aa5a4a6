"""Every way out of a running session pauses it the same way (Session.pause): the hold is
dropped, everything else is kept, and /exercise carries on at the same step."""

from __future__ import annotations

import pytest

from bot.domain.engine.events import Command, Press
from tests.unit.conftest import Chat
from tests.unit.test_session import started

WAYS_OUT = ["/checkin", "/forget", "/reminders", "/appointment", "/program", "/ask",
            "/questions", "/cancel", "pause button"]


@pytest.mark.parametrize("way_out", WAYS_OUT)
def test_leaving_a_hold_pauses_the_session(chat: Chat, way_out: str) -> None:
    started(chat)
    chat.press("in position")
    chat.press("Done, next")
    chat.press("Start hold")
    session = chat.person.session
    assert session is not None and session.hold is not None and session.status == "active"
    cursor = session.cursor
    if way_out == "pause button":
        chat.do(Press("pause", "", chat.person.conversation.revision))
    else:
        chat.do(Command(way_out[1:]))
    assert session.status == "paused" and session.hold is None
    assert session.cursor == cursor
    if way_out == "/forget":
        chat.send("no")
    chat.do(Command("exercise"))
    assert chat.person.session is session and session.status == "active"
    assert session.cursor == cursor
