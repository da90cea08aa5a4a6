"""/language in the domain: from any state, once per message, stored with the person, and
kept through consent when chosen before it."""

from __future__ import annotations

from bot.domain.engine.events import Press
from bot.domain.engine.replies import Say
from bot.loaders.content import Content
from tests.unit.conftest import Chat
from tests.unit.test_onboarding import onboard_to


def test_every_language_is_named_in_its_own_words(content: Content) -> None:
    assert dict(content.catalog.languages) == {"en": "English", "es": "Español"}


def test_choosing_a_language_mid_flow_keeps_the_place(chat: Chat) -> None:
    onboard_to(chat, "country")
    revision = chat.person.conversation.revision
    chat.send("/language")
    assert "Language: <b>English</b>" in chat.text and chat.labels() == ["English", "Español"]
    chat.press("Español")
    assert chat.person.language == "es"
    assert chat.person.conversation.state == "country"  # nothing else moved
    # The language is not what a button means: older buttons stay good.
    assert chat.person.conversation.revision == revision
    (said,) = [r for r in chat.replies if isinstance(r, Say)]  # one message, on a phone
    assert [line.key for line in said.lines][:2] == ["language.changed", "onboarding.country"]


def test_at_home_only_the_change_is_said(chat: Chat) -> None:
    onboard_to(chat, "idle")
    chat.send("/language")
    chat.press("Español")
    assert [r.lines[0].key for r in chat.replies if isinstance(r, Say)] == ["language.changed"]


def test_a_forged_language_or_a_second_press_changes_nothing(chat: Chat) -> None:
    onboard_to(chat, "idle")
    chat.send("/language")
    revision = chat.person.conversation.revision
    chat.do(Press("language", "xx", revision))
    assert chat.toasts == ["That button is from an earlier message."]
    assert chat.person.language == "en"
    chat.do(Press("language", "es", revision))
    assert chat.person.language == "es"
    chat.do(Press("language", "en", revision))  # the same message, already answered
    assert chat.toasts == ["That button is from an earlier message."]
    assert chat.person.language == "es"


def test_a_choice_before_consent_rides_on_the_disclaimer_button(chat: Chat) -> None:
    chat.send("/language")
    chat.press("Español")
    assert chat.person.consented_at is None
    disclaimer = chat.keyboard
    assert disclaimer is not None and disclaimer.lines[-1].key == "onboarding.disclaimer"
    agree = disclaimer.buttons[0][0]
    assert (agree.action, agree.arg) == ("agree", "es")
    chat.person.language = "en"  # the next update rebuilds an unstored person from Telegram's
    chat.do(Press(agree.action, agree.arg, 0))
    assert chat.person.consented_at is not None and chat.person.language == "es"
