"""Saving, reviewing, editing, answering and deleting questions, through the domain."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.domain.engine.events import Press, ReminderDue
from bot.domain.engine.replies import Say
from bot.domain.model import Appointment, Question
from bot.domain.questions import book as question_book
from bot.telegram import callback_data
from tests.unit.conftest import NOW, Chat, said
from tests.unit.test_onboarding import onboard_to
from tests.unit.test_session import started


def ready(chat: Chat, *texts: str) -> None:
    onboard_to(chat, "idle")
    for text in texts:
        chat.send(f"/ask {text}")


def texts_of(chat: Chat) -> list[str]:
    return [q.text for q in chat.person.questions]


# capture ---------------------------------------------------------------------------------


def test_ask_with_text_saves_it_where_they_are(chat: Chat) -> None:
    ready(chat)
    chat.send("/ask Can I do the wall angel twice a day?")
    assert texts_of(chat) == ["Can I do the wall angel twice a day?"]
    assert "Saved" in chat.text and "number 1 on your list" in chat.text
    assert chat.state == "home/idle"
    assert chat.person.questions[0].asked_at == NOW


def test_ask_alone_asks_then_saves_and_goes_back(chat: Chat) -> None:
    ready(chat)
    chat.send("/ask")
    assert chat.state == "questions/ask" and "What would you like to ask" in chat.text
    chat.send("   Is the clicking normal?  ")
    assert texts_of(chat) == ["Is the clicking normal?"]
    assert chat.state == "home/idle"


def test_ask_alone_in_a_session_pauses_it_and_comes_back(chat: Chat) -> None:
    started(chat)
    chat.send("/ask")
    assert chat.person.session is not None and chat.person.session.status == "paused"
    chat.press("Cancel")
    assert "not saved" in chat.text
    assert chat.state == "session/paused" and "Resume" in " ".join(chat.labels())
    assert texts_of(chat) == []


def test_ask_in_a_session_with_text_keeps_the_session_going(chat: Chat) -> None:
    started(chat, pain="6")
    state = chat.state
    chat.send("/ask should the stretch pull this much?")
    assert chat.state == state
    question = chat.person.questions[0]
    assert question.context is not None and "pain=6" in question.context
    assert "during=" in question.context


def test_a_question_keeps_the_context_in_words(chat: Chat) -> None:
    started(chat, pain="6")
    chat.send("/ask should the stretch pull this much?")
    line = question_book.context_line(chat.person.questions[0].context, chat.content.catalog)
    assert line is not None
    from bot.telegram.rendering import render_plain
    words = render_plain(line, chat.texts)
    assert words.startswith("during ") and words.endswith(", pain 6/10"), words


def test_control_characters_are_dropped_and_empty_is_refused(chat: Chat) -> None:
    ready(chat)
    chat.send("/ask Why\x00 does it\x07 click?\u200b")
    assert texts_of(chat) == ["Why does it click?\u200b"]
    chat.send("/ask")
    chat.send("\x01\x02")
    assert "no question in that" in chat.text and chat.state == "questions/ask"


def test_a_question_too_long_is_refused_with_the_limit(chat: Chat) -> None:
    ready(chat)
    chat.send("/ask " + "x" * (question_book.MAX_LENGTH + 1))
    assert texts_of(chat) == []
    assert f"{question_book.MAX_LENGTH + 1} characters" in chat.text
    assert str(question_book.MAX_LENGTH) in chat.text


def test_the_list_has_a_limit_and_says_so(chat: Chat) -> None:
    ready(chat)
    chat.person.questions = [Question(f"q{n}", NOW, id=n + 1)
                             for n in range(question_book.MAX_QUESTIONS)]
    chat.send("/ask one more?")
    assert len(chat.person.questions) == question_book.MAX_QUESTIONS
    assert "most I can keep" in chat.text and "/questions" in chat.text


# the offer to save what the bot did not understand ---------------------------------------


def test_text_not_understood_offers_to_save_it(chat: Chat) -> None:
    ready(chat)
    chat.send("why does my shoulder blade click when I reach up")
    assert "save it as a question" in chat.text
    chat.press("Yes, save it")
    assert texts_of(chat) == ["why does my shoulder blade click when I reach up"]
    assert chat.toasts == ["Saved"]
    chat.do(Press("offer_save", "0", chat.person.conversation.revision))
    assert "no longer have that message" in chat.text
    assert len(chat.person.questions) == 1


def test_a_word_or_two_is_not_offered(chat: Chat) -> None:
    ready(chat)
    chat.send("ok thanks")
    assert "save" not in chat.text.lower() and chat.labels() == []


def test_an_older_offer_never_saves_a_newer_message(chat: Chat) -> None:
    ready(chat)
    chat.send("first thing I wanted to mention today")
    old = chat.keyboard
    chat.send("second thing I wanted to mention today")
    chat.keyboard = old
    chat.press("Yes, save it")
    assert texts_of(chat) == [] and "no longer have that message" in chat.text
    chat.send("second thing I wanted to mention today")
    chat.press("No, thanks")
    assert texts_of(chat) == [] and chat.toasts == ["OK, not saved."]


def test_text_a_session_cannot_use_is_offered_and_the_session_goes_on(chat: Chat) -> None:
    started(chat)
    state = chat.state
    chat.send("is it fine if my neck feels tight after this?")
    assert chat.state == state
    assert "save what you wrote" in chat.text
    offer, prompt = [r for r in chat.replies if isinstance(r, Say) and r.buttons]
    assert "session.btn_in_position" in [b.label.key for row in prompt.buttons for b in row]
    chat.keyboard = offer
    chat.press("Yes, save it")
    assert texts_of(chat) == ["is it fine if my neck feels tight after this?"]
    assert chat.state == state


# review ----------------------------------------------------------------------------------


def test_the_list_pages_five_at_a_time(chat: Chat) -> None:
    ready(chat, *(f"question number {n}?" for n in range(1, 13)))
    chat.send("/questions")
    assert "12 to ask, 0 answered (page 1 of 3)" in chat.text
    assert "question number 1?" in chat.text and "question number 6?" not in chat.text
    chat.press("Next")
    assert "page 2 of 3" in chat.text and "question number 6?" in chat.text
    assert said(chat.replies[-1]).edit
    chat.press("Next")
    assert "question number 12?" in chat.text and "Next ›" not in chat.labels()
    chat.press("Previous")
    assert "page 2 of 3" in chat.text


def test_an_empty_list_says_how_to_add(chat: Chat) -> None:
    ready(chat)
    chat.send("/questions")
    assert "haven't saved any questions" in chat.text
    chat.press("Add a question")
    chat.send("Can I swim?")
    assert texts_of(chat) == ["Can I swim?"]


def test_typing_in_the_list_adds_a_question(chat: Chat) -> None:
    ready(chat, "first?")
    chat.send("/questions")
    replies = chat.send("what about heat packs?")
    # The new question has no id yet in this answer: its button names it by position, and
    # every button must still fit Telegram's callback data.
    for reply in replies:
        for row in getattr(reply, "buttons", ()):
            for button in row:
                callback_data.encode(button.action, button.arg, 1)
    assert texts_of(chat) == ["first?", "what about heat packs?"]
    assert chat.state == "questions/list" and "2 to ask" in chat.text


def test_edit_a_question(chat: Chat) -> None:
    ready(chat, "Can I run?")
    chat.send("/questions")
    chat.press("1. Can I run?")
    assert chat.state == "questions/item"
    chat.press("Change")
    assert "At the moment it says" in chat.text and "Can I run?" in chat.text
    chat.send("Can I run 5 km?")
    assert texts_of(chat) == ["Can I run 5 km?"] and chat.state == "questions/item"
    assert chat.person.questions[0].asked_at == NOW  # the date stays


def test_mark_answered_with_a_note_and_reopen(chat: Chat) -> None:
    ready(chat, "Can I run?", "Heat or ice?")
    chat.send("/questions")
    chat.press("2. Heat or ice?")
    chat.press("Answered")
    chat.send("Heat for stiffness, she said")
    question = chat.person.questions[1]
    assert (question.answered_at, question.answer) == (NOW, "Heat for stiffness, she said")
    assert "1 to ask, 1 answered" in chat.text and "✓ Heat or ice?" in chat.text
    chat.press("Heat or ice?")
    assert "Answer you noted" in chat.text
    chat.press("Not answered yet")
    assert (question.answered_at, question.answer) == (None, None)


def test_mark_answered_without_a_note(chat: Chat) -> None:
    ready(chat, "Can I run?")
    chat.send("/questions")
    chat.press("Can I run?")
    chat.press("Answered")
    chat.press("No note")
    assert chat.person.questions[0].answered_at == NOW
    assert chat.person.questions[0].answer is None


def test_delete_asks_first(chat: Chat) -> None:
    ready(chat, "Can I run?", "Heat or ice?")
    chat.send("/questions")
    chat.press("Can I run?")
    chat.press("Delete")
    assert "Delete this question for good?" in chat.text
    chat.press("No, keep it")
    assert len(chat.person.questions) == 2 and chat.state == "questions/item"
    chat.press("Delete")
    chat.press("Yes, delete it")
    assert texts_of(chat) == ["Heat or ice?"] and chat.state == "questions/list"
    chat.press("Done")
    assert chat.state == "home/idle"


@pytest.mark.parametrize("action", ["q_open", "q_edit", "q_delete", "q_answered", "q_reopen",
                                    "q_delete_yes", "q_no_note"])
def test_a_forged_question_id_changes_nothing(chat: Chat, action: str) -> None:
    ready(chat, "mine?")
    chat.send("/questions")
    if action != "q_open":
        chat.press("mine?")
    if action in ("q_delete_yes", "q_no_note"):
        chat.press("Delete" if action == "q_delete_yes" else "Answered")
    before = [(q.id, q.text, q.answered_at) for q in chat.person.questions]
    state = chat.state
    chat.do(Press(action, "9999", chat.person.conversation.revision))
    assert chat.toasts == ["That question isn't in your list any more."]
    assert [(q.id, q.text, q.answered_at) for q in chat.person.questions] == before
    assert chat.state == state


def test_a_stale_list_button_changes_nothing(chat: Chat) -> None:
    ready(chat, "Can I run?")
    chat.send("/questions")
    assert chat.keyboard is not None
    (first,) = chat.keyboard.buttons[0]
    drawn_for = chat.person.conversation.revision
    chat.send("/ask another one?")
    chat.do(Press(first.action, first.arg, drawn_for))
    assert chat.toasts == ["That button is from an earlier message."]
    assert chat.state == "questions/list"


# elsewhere -------------------------------------------------------------------------------


def test_after_the_visit_every_open_question_is_marked_answered(chat: Chat) -> None:
    ready(chat, "one?", "two?")
    chat.person.questions[0].answered_at = NOW - timedelta(days=9)
    chat.person.appointment = Appointment(NOW - timedelta(hours=2), "")
    chat.do(ReminderDue(7, "visit_done", NOW))  # its buttons are live until answered
    chat.do(Press("rem_answered", "", chat.person.conversation.revision))
    assert [q.answered_at for q in chat.person.questions] == [NOW - timedelta(days=9), NOW]


def test_the_call_doctor_offer_keeps_where_it_came_from(chat: Chat) -> None:
    started(chat, pain="3")
    chat.send("my pain is getting worse every day")
    chat.press("Save it as a question")
    context = chat.person.questions[-1].context or ""
    assert "from=message" in context and "pain=3" in context


def test_the_call_doctor_offer_keeps_a_long_message_whole(chat: Chat) -> None:
    """3,634 characters were cut to 2,000: a question keeps all a Telegram message holds."""
    onboard_to(chat, "idle")
    message = "my pain is getting worse every day " + "and more " * 400
    chat.send(message)
    chat.press("Save it as a question")
    assert chat.person.questions[-1].text == message.strip()
    assert "kept the first" not in chat.text

