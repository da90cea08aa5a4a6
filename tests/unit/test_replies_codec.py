"""Replies survive JSON and back exactly, whatever they hold."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.engine.replies import Attach, Button, Join, Line, Reply, Say, Toast
from bot.domain.engine.replies_codec import decode, encode

keys = st.text(min_size=1, max_size=20)
plain = st.one_of(st.text(max_size=50), st.integers(min_value=-(2**40), max_value=2**40))


def lines(depth: int = 2) -> st.SearchStrategy[Line]:
    params = plain if depth == 0 else st.one_of(
        plain, st.deferred(lambda: lines(depth - 1)),
        st.builds(Join, st.lists(st.deferred(lambda: lines(depth - 1)), max_size=3)
                  .map(tuple), st.text(max_size=3)))
    return st.builds(Line, keys, st.dictionaries(st.text(min_size=1, max_size=8), params,
                                                 max_size=3))


buttons = st.builds(Button, lines(0), st.text(max_size=10), st.text(max_size=10))
says = st.builds(Say, st.lists(lines(), min_size=1, max_size=3).map(tuple),
                 st.lists(st.lists(buttons, max_size=3).map(tuple), max_size=3).map(tuple),
                 st.booleans(), st.one_of(st.none(), st.integers(1, 10**9)),
                 st.one_of(st.none(), st.text(max_size=8)))
replies = st.lists(st.one_of(says, st.builds(Toast, lines()), st.builds(Attach, keys)),
                   max_size=5)


@given(replies, st.integers(0, 10**6), st.sampled_from(["en", "pt"]))
def test_round_trip(original: list[Reply], revision: int, language: str) -> None:
    back, extra = decode(encode(original, revision=revision, language=language))
    assert back == original
    assert extra == {"revision": revision, "language": language}


def test_a_press_notice_that_repeats_a_message_sent_with_it_is_left_out() -> None:
    """The same sentence on the button's pop-up and as a message was read twice."""
    from bot.domain.engine.replies import Line, Toast, press_notice, say

    same: list[Reply] = [Toast(Line("reminders.snoozed", {"minutes": 15})),
            say("reminders.snoozed", minutes=15)]
    assert press_notice(same) is None
    other: list[Reply] = [Toast(Line("triage.noted")), say("appointments.kept")]
    assert press_notice(other) == Toast(Line("triage.noted"))
    assert press_notice([Toast(Line("questions.not_saved"))]) == Toast(
        Line("questions.not_saved"))
