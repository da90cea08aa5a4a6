"""Every way out of a running session pauses it the same way (Session.pause): the hold is
dropped, everything else is kept, and /exercise carries on at the same step."""

from __future__ import annotations

import pytest

from bot.domain.engine.events import Command, Press
from bot.domain.model import Session
from tests.unit.conftest import Chat
from tests.unit.test_session import started


def running(chat: Chat) -> Session:
    """The person's session, read afresh (each step changes it in place)."""
    session = chat.person.session
    assert session is not None
    return session


WAYS_OUT = ["/checkin", "/forget", "/reminders", "/appointment", "/program", "/ask",
            "/questions", "/cancel", "pause button"]


@pytest.mark.parametrize("way_out", WAYS_OUT)
def test_leaving_a_hold_pauses_the_session(chat: Chat, way_out: str) -> None:
    started(chat)
    chat.press("in position")
    chat.press("Done, next")
    chat.press("Start hold")
    session = running(chat)
    assert session.hold is not None and session.status == "active"
    cursor = session.cursor
    if way_out == "pause button":
        chat.do(Press("pause", "", chat.person.conversation.revision))
    else:
        chat.do(Command(way_out[1:]))
    assert running(chat) is session
    assert running(chat).status == "paused" and running(chat).hold is None
    assert running(chat).cursor == cursor
    if way_out == "/forget":
        chat.send("no")
    chat.do(Command("exercise"))
    assert running(chat) is session and running(chat).status == "active"
    assert running(chat).cursor == cursor
