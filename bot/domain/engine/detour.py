"""Stepping out of one flow into another and back: triage, /ask, /questions.

A running session is paused on the way out (no hold runs on unattended) and comes back at
its "paused" prompt; any other flow comes back in the state it was left in.
"""

from __future__ import annotations

from typing import Any

from bot.domain.engine.fsm import Context
from bot.domain.model import Conversation


def enter(ctx: Context, flow: str, state: str, data: dict[str, Any]) -> None:
    """Move into `flow`, remembering in its data where to come back to ("return_to")."""
    person = ctx.person
    came_from = person.conversation
    if came_from.flow == flow:  # already here: keep the original way back
        back = came_from.data.get("return_to")
    else:
        back = {"flow": came_from.flow, "state": came_from.state, "data": came_from.data}
    session = person.session
    if session is not None and session.status == "active":
        session.pause()
        if back and back.get("flow") == "session":
            back = {"flow": "session", "state": "paused", "data": {}}
    person.conversation = Conversation(flow, state, {**data, "return_to": back},
                                       came_from.revision)
