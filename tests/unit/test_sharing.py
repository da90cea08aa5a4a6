"""/share through the pure domain: lengths offered and chosen, pages listed with their
views, stopped with one button; forged or stale presses, typed text, too many pages and
a bot that serves no pages change nothing."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.engine.events import Press
from bot.domain.engine.replies import Attach
from bot.domain.limits.allowance import DAILY_CAPS, Limits
from bot.domain.model import Appointment
from bot.domain.sharing.flow import AFTER_VISIT, MAX_OPEN
from tests.unit.conftest import NOW, Chat
from tests.unit.test_onboarding import onboard_to


def sharing(chat: Chat) -> Chat:
    onboard_to(chat, "idle")
    chat.limits = Limits(sharing=True)
    return chat


def attached(chat: Chat) -> list[str]:
    return [r.kind for r in chat.replies if isinstance(r, Attach)]


def test_without_pages_served_share_says_so_and_changes_nothing(chat: Chat) -> None:
    onboard_to(chat, "idle")
    revision = chat.person.conversation.revision
    chat.send("/share")
    assert "isn't set up on this bot" in chat.text and chat.labels() == []
    assert chat.state == "home/idle" and chat.person.share_links == []
    assert chat.person.conversation.revision == revision


def test_a_week_is_shared_then_listed_and_stopped(chat: Chat) -> None:
    sharing(chat).send("/share")
    assert chat.state == "share/menu" and "Anyone with the link" in chat.text
    assert chat.labels() == ["Share for 1 day", "Share for 1 week", "Done"]  # no visit set
    chat.press("Share for 1 week")
    link, = chat.person.share_links
    assert link.expires_at == NOW + timedelta(days=7) and link.revoked_at is None
    assert attached(chat) == [f"share_link:{link.ref}"]
    ends = NOW + timedelta(days=7)
    until = f"{ends:%a} {ends.day} {ends:%b} at {ends:%H:%M} UTC"
    assert "in the message above" in chat.text and f"until {until}." in chat.text
    assert chat.state == "home/idle"

    link.id, link.views, link.last_viewed_at = 7, 3, NOW + timedelta(hours=2)  # as loaded
    chat.send("/share")
    seen = NOW + timedelta(hours=2)
    last = f"{seen:%a} {seen.day} {seen:%b} at {seen:%H:%M} UTC"
    assert f"1. Open until {until}. Opened 3 times, last on {last}." in chat.text
    chat.press("Stop page 1")
    assert link.revoked_at == NOW and chat.toasts == ["Stopped. That link no longer opens."]
    assert "Your shared pages" not in chat.text and chat.state == "share/menu"


def test_until_the_visit_is_offered_only_with_a_visit_to_come(chat: Chat) -> None:
    sharing(chat)
    visit = NOW + timedelta(days=4)
    chat.person.appointment = Appointment(visit, "Dr Silva")
    chat.send("/share")
    assert "Until my next visit" in chat.labels()
    chat.press("Until my next visit")
    assert chat.person.share_links[0].expires_at == visit + AFTER_VISIT
    # A press from the earlier list after the visit passed: no page, only the buttons again.
    chat.send("/share")
    revision = chat.person.conversation.revision
    chat.do(Press("share_for", "visit", revision), visit + timedelta(minutes=1))
    assert len(chat.person.share_links) == 1 and "use the buttons" in chat.text


def test_forged_and_typed_input_changes_nothing(chat: Chat) -> None:
    sharing(chat).send("/share")
    revision = chat.person.conversation.revision
    chat.do(Press("share_for", "year", revision))
    chat.do(Press("share_for", "x" * 60, revision))
    chat.send("share it for a month please")
    assert chat.person.share_links == [] and chat.state == "share/menu"
    chat.do(Press("share_stop", "not-a-page", chat.person.conversation.revision))
    assert chat.toasts == ["That page was already stopped or has ended."]


def test_a_stopped_or_ended_page_cannot_be_stopped_again(chat: Chat) -> None:
    sharing(chat).send("/share")
    chat.press("Share for 1 day")
    link = chat.person.share_links[0]
    chat.send("/share")
    later = NOW + timedelta(days=1, seconds=1)
    chat.do(Press("share_stop", link.ref, chat.person.conversation.revision), later)
    assert link.revoked_at is None and "already stopped or has ended" in chat.toasts[0]


def test_pages_open_at_once_and_made_a_day_are_bounded(chat: Chat) -> None:
    sharing(chat)
    for _ in range(MAX_OPEN):
        chat.send("/share")
        chat.press("Share for 1 day")
    chat.send("/share")
    chat.press("Share for 1 week")
    assert len(chat.person.share_links) == MAX_OPEN and "Stop one first" in chat.text
    for _ in range(DAILY_CAPS["share"] - MAX_OPEN + 1):
        chat.send("/share")
        chat.press("Stop page 1")
        chat.press("Share for 1 day")
    assert len(chat.person.share_links) == DAILY_CAPS["share"]  # stopped ones included
    assert "enough new pages for today" in chat.text


def test_a_warning_sign_is_answered_first_in_share(chat: Chat) -> None:
    sharing(chat).send("/share")
    chat.send("I can't feel my legs and can't control my bladder")
    assert "get medical help now" in chat.text and chat.person.share_links == []
