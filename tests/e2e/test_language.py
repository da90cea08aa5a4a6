"""/language through the real bot (issue 17, point 4): the first message follows Telegram's
language_code, /language changes it from any state and it is stored with the person (never
overridden by a later language_code), /mydata shows it, /forget deletes it, and stale or
forged language buttons change nothing."""

from __future__ import annotations

import json

from bot.app.wiring import Deps
from bot.emulator import Emulator, TestUser
from bot.telegram import callback_data
from tests.e2e.conftest import StartBot, TimedWorld
from tests.e2e.test_onboarding import kept, onboard, stored
from tests.e2e.test_questions import pdf_text
from tests.e2e.test_reminders import set_daily_reminder
from tests.e2e.test_session import begin
from tests.e2e.test_spanish import labels, onboard_es


def language_message(user: TestUser) -> int:
    message = user.last_message_with_buttons()
    assert message is not None and message.labels == ["English", "Español"], message
    return message.message_id


async def test_language_changes_mid_session_and_the_session_keeps_its_place(
        timed: TimedWorld) -> None:
    async with timed.bot():
        ana = timed.emulator.user("Ana")  # Telegram in English
        await onboard(ana)
        await begin(timed, ana)
        await ana.press_and_wait("I'm in position", contains="Set 1 of 3")
        step = ana.last_message_with_buttons()
        assert step is not None
        await ana.send_and_wait("/language", contains="Language: English")
        language_message(ana)
        await ana.press_and_wait("Español", contains="A partir de ahora te escribo en español")
        # The step they were on, again, in Spanish; the session did not move.
        assert "Serie 1 de 3" in ana.bot_texts[-1]
        assert "✅ Hecho, sigue" in labels(ana)
        # The older English step's buttons still mean the same: the next step is Spanish.
        await ana.press_and_wait("Done, next", contains="Serie", message=step)
        assert "▶ Empezar (5 s)" in labels(ana)
        await ana.send_and_wait("/mydata", contains="Idioma: Español")
        assert "Para cambiarlo, envía /language" in ana.bot_texts[-1]
        await ana.wait_for(lambda e: e.kind == "document", what="the data file")
        assert timed.deps is not None
        person = await kept(timed.deps, ana)
    assert person.language == "es" and person.session is not None
    assert person.session.status == "active"
    exported = json.loads(next(f.data for f in ana.documents
                               if (f.filename or "").endswith(".json")))
    assert exported["person"]["language"] == "es"


async def test_reminders_and_documents_follow_the_choice(timed: TimedWorld) -> None:
    async with timed.bot():
        fer = timed.emulator.user("Fer")  # Telegram in English
        await onboard(fer)
        await set_daily_reminder(fer, "09:00")
        await fer.send_and_wait("/language")
        await fer.press_and_wait("Español", contains="te escribo en español")
        await timed.advance(3600)  # 09:00: the reminder is written when it is sent
        await fer.expect("Es hora de tus ejercicios")
        await fer.send_and_wait("/export", contains="Esto es lo que puedes llevar a tu cita")
        await fer.wait_for(lambda e: e.kind == "document", what="the PDF")
    assert pdf_text(fer.documents[-1].data).startswith("Preguntas para mi próxima cita")


async def test_a_stored_choice_outlives_telegrams_language_on_each_database(
        emulator: Emulator, start_bot: StartBot, any_database_url: str) -> None:
    ben = emulator.user("Ben", language_code="es")
    async with start_bot(any_database_url) as bot:
        await onboard_es(ben)
        await ben.send_and_wait("/language", contains="Idioma: Español")
        await ben.press_and_wait("English", contains="From now on I'll write to you in English")
        assert (await kept(bot, ben)).language == "en"
    async with start_bot(any_database_url) as bot:  # a new process: only the database is left
        # Telegram still says Spanish: the explicit choice wins, message after message.
        await ben.send_and_wait("/help", contains="What I can do")
        assert "/language: the language I write in (English, Español)" in ben.bot_texts[-1]
        await ben.send_and_wait("/exercise", contains="Before you start")
        assert (await kept(bot, ben)).language == "en"


async def test_stale_and_forged_language_buttons_change_nothing(emulator: Emulator,
                                                                bot: Deps) -> None:
    cara = emulator.user("Cara")
    await onboard(cara)
    await cara.send_and_wait("/language", contains="Language: English")
    old = language_message(cara)
    await cara.send_and_wait("/guided", contains="Guided mode is on")  # the person changed
    await cara.send_and_wait("/language", contains="Language: English")
    # Only the latest /language message's buttons work (once).
    await cara.press_and_wait("Español", contains="Here is where we are now", message=old)
    assert (await kept(bot, cara)).language == "en"
    revision = (await kept(bot, cara)).conversation.revision
    forged = callback_data.encode("language", "xx", revision)
    await cara.press_data(forged)
    await cara.expect("Here is where we are now")
    assert (await kept(bot, cara)).language == "en"
    await cara.press_and_wait("Español", contains="te escribo en español")
    # Pressed once: the same message's other button is answered, and changes nothing.
    await cara.press_and_wait("English", contains="Aquí es donde estamos ahora")
    assert (await kept(bot, cara)).language == "es"


async def test_a_choice_before_consent_is_kept_when_they_agree(emulator: Emulator,
                                                               bot: Deps) -> None:
    dan = emulator.user("Dan", language_code="es")
    await dan.send_and_wait("/language", contains="Idioma: Español")
    await dan.press_and_wait("English", contains="keep it once you press \"I understand\"")
    assert "✅ I understand" in labels(dan)
    assert await stored(bot, dan) is None  # nothing is kept before they agree
    await dan.press_and_wait("I understand", contains="Which country")
    assert (await kept(bot, dan)).language == "en"


async def test_forget_deletes_the_choice(emulator: Emulator, bot: Deps) -> None:
    eva = emulator.user("Eva", language_code="es")
    await onboard_es(eva)
    await eva.send_and_wait("/language")
    await eva.press_and_wait("English", contains="in English")
    await eva.send_and_wait("/forget", contains="Delete everything?")
    await eva.press_and_wait("Yes, delete everything", contains="deleted")
    assert await stored(bot, eva) is None
    # Starting again, they are new: Telegram's language decides, as on the first day.
    await eva.send_and_wait("/start", contains="Hola, soy Backcoach")
