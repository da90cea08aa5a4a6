"""Any sequence of events, however odd, never breaks the conversation (property-based)."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.domain.engine.events import Command, Edited, Event, Press, Text, Timer, Unreadable
from bot.domain.engine.flows import FLOWS
from bot.domain.engine.replies import Attach, Say
from bot.domain.model import Person
from bot.domain.routing.router import handle
from bot.loaders.content import load_content
from bot.telegram import callback_data
from tests.unit.conftest import NOW

CONTENT = load_content()
ACTIONS = sorted({t.event for flow in FLOWS.values() for t in flow.table} - {"text"}
                 | {"fu_reached", "fu_not_yet", "fu_better", "made_up"})
WORDS = ["yes", "no", "ok", "done", "next", "3", "11", "Portugal", "not sure", "stop",
         "chest pain", "my friend cant breathe", "getting worse", "pause", "resume", "end"]
COMMANDS = ["start", "exercise", "checkin", "guided", "cancel", "help", "safety", "about",
            "mydata", "forget", "reminders", "appointment", "ask", "questions", "export",
            "progress", "program", "nonsense"]

events = st.one_of(
    st.builds(Command, st.sampled_from(COMMANDS), st.text(max_size=20)),
    st.builds(Text, st.one_of(st.sampled_from(WORDS), st.text(max_size=300))),
    st.builds(Press, st.sampled_from(ACTIONS),
              st.one_of(st.just(""), st.sampled_from(["yes", "no", "PT", "5", "bird_dog",
                                                       "sets", "neck", "112", "time",
                                                       "0700", "weekdays", "night"])),
              st.integers(min_value=-1, max_value=40)),
    st.builds(Unreadable, st.sampled_from(["sticker", "photo", "button", "weird"])),
    st.builds(Edited, st.sampled_from(WORDS)),
    st.builds(Timer, st.sampled_from(["hold_due", "follow_up", "unknown"])),
)


def starting_point(where: str) -> Person:
    """A fresh person, one set up, or one in the middle of a hold."""
    person = Person(7, 7, "en", created_at=NOW)
    if where == "fresh":
        return person
    for event in (Command("start"), Press("agree", "", 0), Text("Portugal")):
        handle(person, event, CONTENT.catalog, NOW)
    for action in ("all_exercises", "exercises_done", "keep_doses", "safety_ok"):
        handle(person, Press(action, "", person.conversation.revision), CONTENT.catalog, NOW)
    if where == "holding":
        handle(person, Command("exercise"), CONTENT.catalog, NOW)
        for action, arg in (("ready", ""), ("pain", "2"), ("next", ""), ("next", ""),
                            ("start_hold", "")):
            handle(person, Press(action, arg, person.conversation.revision), CONTENT.catalog,
                   NOW)
        assert person.conversation.state == "holding"
    return person


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["fresh", "set_up", "holding"]),
       st.lists(st.tuples(events, st.integers(min_value=0, max_value=200_000)), max_size=40),
       st.booleans())
def test_no_sequence_of_events_breaks_the_conversation(
        where: str, steps: list[tuple[Event, int]], presses_use_current_revision: bool) -> None:
    person = starting_point(where)
    now = NOW
    for event, seconds in steps:
        now += timedelta(seconds=seconds)
        if presses_use_current_revision and isinstance(event, Press):
            event = Press(event.action, event.arg, person.conversation.revision)
        replies = handle(person, event, CONTENT.catalog, now)
        conversation = person.conversation
        flow = FLOWS[conversation.flow]
        flow.states(conversation.state)  # the stored state always exists in its flow
        assert conversation.revision >= 0
        if person.session is not None and person.session.hold is not None:
            assert conversation.flow == "session" and conversation.state == "holding"
        if isinstance(event, Command | Text) and person.has_consented:
            # Always an answer: a message, or files that always come with one (/progress).
            assert any(isinstance(r, Say | Attach) for r in replies), event
        for reply in replies:  # every button the domain draws fits Telegram's callback data
            if isinstance(reply, Say):
                for row in reply.buttons:
                    for drawn in row:
                        callback_data.encode(drawn.action, drawn.arg, conversation.revision)
        if person.forget:
            break
