"""The main journeys in Spanish through the real bot (issue 17, point 5): a person whose
Telegram app is in Spanish onboards, does a whole guided session (holds on the injected
clock, sides, repetitions, sets), a check-in, saves and reviews questions, and exports
them (message, PDF and calendar entry), and every reply they get is Spanish."""

from __future__ import annotations

from datetime import UTC, datetime

from icalendar import Calendar

from bot.emulator import TestUser
from tests.e2e.conftest import TimedWorld
from tests.e2e.test_onboarding import kept
from tests.e2e.test_questions import pdf_text
from tests.e2e.test_session import HUMAN_PAUSE, most_in_one_second

# Words that only an English reply would have: none may reach a Spanish-speaking person.
ENGLISH = ("Please", "Saved", "Done", "Session finished", "your ", "Which ", "What ")


async def onboard_es(user: TestUser, country: str = "España") -> None:
    """Onboarding with buttons, in Spanish."""
    await user.send_and_wait("/start", contains="Entendido")
    await user.press_and_wait("Entendido", contains="¿En qué país estás?")
    await user.press_and_wait(country, contains="¿Qué ejercicios te indicó")
    await user.press_and_wait("Los 5", contains="¿Qué ejercicios te indicó")
    await user.press_and_wait("Listo", contains="Este es tu programa")
    await user.press_and_wait("Están bien así", contains="Cuatro reglas de seguridad")
    await user.press_and_wait("Entendido", contains="Todo listo")


def labels(user: TestUser) -> list[str]:
    message = user.last_message_with_buttons()
    return message.labels if message else []


def english_in(user: TestUser) -> list[str]:
    """Bot messages with an English-only word in them."""
    return [t for t in user.bot_texts if any(word in t for word in ENGLISH)]


async def begin_es(world: TimedWorld, user: TestUser, pain: str = "2") -> None:
    await user.send_and_wait("/exercise", contains="Antes de empezar")
    await world.advance(HUMAN_PAUSE)
    await user.press_and_wait("Empezamos", contains="¿Cuánto te duele la espalda ahora mismo?")
    await world.advance(HUMAN_PAUSE)
    await user.press_and_wait(pain, contains="Guardado: 2/10")


async def hold_es(world: TimedWorld, user: TestUser, seconds: int) -> None:
    label = next(b for b in labels(user) if b.startswith("▶ Empezar"))
    await user.press_and_wait(label, contains="Sigue respirando")
    for _ in range(seconds):
        await world.advance(1)
    await user.wait_for(lambda e: e.kind == "text" and "Suelta y relájate" in e.text,
                        what="the release message, in Spanish")


async def walk_until_es(world: TimedWorld, user: TestUser, stop: str) -> tuple[int, int]:
    """Press through the steps in Spanish until a message containing `stop`."""
    steps = holds = 0
    while stop not in (user.last_bot_message.text if user.last_bot_message else ""):
        await world.advance(HUMAN_PAUSE)
        start = [b for b in labels(user) if b.startswith("▶ Empezar")]
        if start:
            holds += 1
            steps += 1
            await hold_es(world, user, int(start[0].split("(")[1].split(" ")[0]))
        elif "✅ Estoy en posición" in labels(user):
            await user.press_and_wait("Estoy en posición")
        else:
            steps += 1
            await user.press_and_wait("Hecho, sigue")
    return steps, holds


async def test_onboarding_in_spanish(timed: TimedWorld) -> None:
    async with timed.bot():
        ana = timed.emulator.user("Ana", language_code="es-MX")
        await ana.send_and_wait("/start", contains="Hola, soy Backcoach")
        await ana.send_and_wait("vale", contains="¿En qué país estás?")  # typed consent
        await ana.send_and_wait("Mexico", contains="911")  # without its accent
        await ana.send_and_wait("2, 3 y 5", contains="Elegiste: 2.")
        await ana.press_and_wait("Listo", contains="Este es tu programa")
        await ana.press_and_wait("Están bien así", contains="Cuatro reglas de seguridad")
        await ana.press_and_wait("Entendido", contains="Todo listo")
        assert timed.deps is not None
        person = await kept(timed.deps, ana)
    assert person.language == "es" and person.country_code == "MX"
    assert sorted(e for e, p in person.program.items() if p.enabled) == [
        "bird_dog", "pec_stretch", "scapular_squeeze"]
    assert english_in(ana) == []
    commands = {c["command"]: c["description"]
                for c in timed.emulator.my_commands(language_code="es")}
    assert commands["language"] == "Elegir el idioma en que te escribo"
    assert commands["exercise"] == "Hacer tus ejercicios ahora, paso a paso"


async def test_a_whole_session_in_spanish(timed: TimedWorld) -> None:
    async with timed.bot():
        ana = timed.emulator.user("Ana", language_code="es")
        await onboard_es(ana)
        await timed.advance(HUMAN_PAUSE)
        session_start = timed.clock.now().timestamp()
        await begin_es(timed, ana)
        steps, holds = await walk_until_es(timed, ana, "después de la sesión")
        assert (steps, holds) == (12 + 6 + 9 + 6 + 40, 6 + 3 + 3 + 6 + 10)
        await ana.press_and_wait("1", contains="Sesión terminada")
    summary = ana.bot_texts[-1]
    assert "Hechos: 5" in summary and "Saltados: 0" in summary and "después: 1/10" in summary
    said = "\n".join(ana.bot_texts + [e.text for e in ana.transcript if e.kind == "edit"])
    # Sides, sets and repetitions are counted in Spanish, and the countdown too.
    assert "Serie 2 de 5" in said and "brazo derecho" in said and "Repetición" in said
    assert "Quedan 10 s" in said
    assert most_in_one_second(timed, ana, session_start, "editMessageText") == 1
    assert english_in(ana) == []


async def test_a_check_in_in_spanish(timed: TimedWorld) -> None:
    async with timed.bot():
        ben = timed.emulator.user("Ben", language_code="es")
        await onboard_es(ben)
        await ben.send_and_wait("/checkin", contains="¿Cómo está hoy tu espalda?")
        await ben.send_and_wait("como un cuatro", contains="Guardado: 4/10")
        assert "¿Tienes algún dolor nuevo" in ben.bot_texts[-1]
        await ben.press_and_wait("No", contains="¿Te duele más de lo habitual?")
        await ben.press_and_wait("No", contains="Ya está el control de hoy")
        assert timed.deps is not None
        async with timed.deps.unit_of_work() as uow:
            history = await uow.people.pain_history(ben.user_id)
    assert [(p.moment, p.rating) for p in history] == [("checkin", 4)]
    assert english_in(ben) == []


async def test_questions_and_the_export_in_spanish(timed: TimedWorld) -> None:
    async with timed.bot():
        eva = timed.emulator.user("Eva", language_code="es")
        await onboard_es(eva)
        await eva.send_and_wait("/ask ¿Puedo hacer el ejercicio de pájaro-perro dos veces al "
                                "día?", contains="Guardada")
        await eva.send_and_wait("/ask", contains="¿Qué quieres preguntar en tu próxima cita?")
        await eva.send_and_wait("¿Es normal que me cruja la espalda?", contains="número 2")
        await eva.send_and_wait("/questions", contains="2 por hacer, 0 respondidas")
        await eva.press_and_wait("Listo", contains="Tus preguntas están guardadas")
        await eva.send_and_wait("/appointment", contains="zona horaria")
        await eva.send_and_wait("Madrid", contains="¿Cuándo es tu próxima cita?")
        await eva.send_and_wait("12 de enero", contains="¿A qué hora?")
        await eva.send_and_wait("10:30", contains="¿Con quién es?")
        await eva.send_and_wait("Dra. Silva", contains="Guardado:")
        await eva.send_and_wait("/export", contains="Esto es lo que puedes llevar a tu cita")
        await eva.wait_for(lambda e: e.kind == "document" and e.file is not None
                           and (e.file.filename or "").endswith(".ics"), what="the .ics")
        files = {f.filename or "": f.data for f in eva.documents}
    assert "¿Es normal que me cruja la espalda?" in "\n".join(eva.bot_texts)
    (pdf,) = [data for name, data in files.items() if name.endswith(".pdf")]
    text = pdf_text(pdf)
    assert text.startswith("Preguntas para mi cita del lunes, 12 de enero de 2026 A las 10:30 "
                           "con Dra. Silva")
    assert "Mis preguntas 1. ¿Puedo hacer el ejercicio de pájaro-perro" in text
    assert "2. ¿Es normal que me cruja la espalda? anotada el 5 ene" in text
    assert "El programa que hago ahora Ejercicio Cantidad Giros de cabeza mantener 5 s" in text
    assert "Página 1 de 1" in text
    assert "Questions for my visit" not in text and "My questions" not in text
    (event,) = Calendar.from_ical(files["backcoach-visit.ics"]).walk("VEVENT")
    start = event.decoded("DTSTART")
    assert isinstance(start, datetime)
    assert start == datetime(2026, 1, 12, 9, 30, tzinfo=UTC)  # Madrid is UTC+1 in winter
    assert str(event.get("SUMMARY")) == "Cita con Dra. Silva"
    assert "¿Es normal que me cruja la espalda?" in str(event.get("DESCRIPTION"))
    assert english_in(eva) == []
