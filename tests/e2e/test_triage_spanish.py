"""Warning signs written in Spanish, end to end (issue 17): the real Application over HTTP
against the emulator, SQLite, a manual clock. A Spanish-speaking person (Telegram
language_code "es") gets each level's answer in Spanish with their country's number, the
crisis answer with their country's crisis line, the number to call for someone else; and a
message typed in Spanish by an English-speaking person is read in Spanish too."""

from __future__ import annotations

from bot.emulator import TestUser
from tests.e2e.conftest import TimedWorld
from tests.e2e.test_onboarding import onboard
from tests.e2e.test_session import stored

CRISIS = "Siento mucho que te sientas así"
# Anything that would lead back to exercise after a crisis, in Spanish or English.
BACK_TO_EXERCISE = ("/exercise", "sesión", "Volvamos", "ejercicio", "session", "Resume")


async def onboard_in_spanish(user: TestUser, country: str = "México") -> None:
    """Go through onboarding in Spanish, typing a country that has no button."""
    await user.send_and_wait("/start", contains="Entendido")
    await user.press_and_wait("Entendido", contains="En qué país")
    await user.send_and_wait(country, contains="Qué ejercicios")
    await user.press_and_wait("Los 5", contains="Qué ejercicios")
    await user.press_and_wait("Listo", contains="Este es tu programa")
    await user.press_and_wait("Están bien así", contains="reglas de seguridad")
    await user.press_and_wait("Entendido", contains="Todo listo")


async def levels(world: TimedWorld, user: TestUser) -> list[tuple[str, str | None, str]]:
    """(level, rule, source) of every warning-sign record of the person, oldest first."""
    assert world.deps is not None
    async with world.deps.unit_of_work() as uow:
        history = await uow.people.triage_history(user.user_id)
    return [(r.level, r.rule, r.source) for r in history]


async def test_a_spanish_warning_at_each_level_is_answered_in_spanish(
        timed: TimedWorld) -> None:
    async with timed.bot():
        lucia = timed.emulator.user("Lucía", language_code="es")
        await onboard_in_spanish(lucia)
        await lucia.send_and_wait(
            "me duele mucho el pecho, como si me aplastaran, y estoy sudando frío",
            contains="Busca ayuda médica ahora")
        assert "Llama al 911" in lucia.bot_texts[-1]
        await lucia.press_and_wait("Lo vi", contains="Aquí estoy")
        await lucia.send_and_wait("tengo fiebre y me duele mucho la espalda",
                                  contains="Busca atención médica hoy")
        await lucia.press_and_wait("Entendido", contains="Aquí estoy")
        await lucia.send_and_wait("el dolor de espalda va cada vez peor",
                                  contains="Llama a tu médico")
        assert not any("I can only read" in text for text in lucia.bot_texts)
        assert [(level, rule) for level, rule, _ in await levels(timed, lucia)] == [
            ("emergency", "chest_pain"), ("urgent", "fever"), ("call_doctor", "pain_worse")]


async def test_a_spanish_crisis_gets_the_countrys_crisis_line_and_no_way_back_to_exercise(
        timed: TimedWorld) -> None:
    async with timed.bot():
        mateo = timed.emulator.user("Mateo", language_code="es")
        await onboard_in_spanish(mateo)
        await mateo.send_and_wait("ya no puedo más, quiero morirme", contains=CRISIS)
        answer = mateo.bot_texts[-1]
        assert "Línea de la Vida" in answer and "800 911 2000" in answer and "911" in answer
        seen = len(mateo.bot_texts)
        await mateo.press_and_wait("Lo leí", contains="Yo también estoy aquí")
        after = mateo.bot_texts[seen:]
        assert not any(word in text for text in after for word in BACK_TO_EXERCISE), after
        person = await stored(timed, mateo)
        assert person is not None and person.session is None
        assert [(level, rule) for level, rule, _ in await levels(timed, mateo)] == [
            ("emergency", "suicidal_thoughts")]


async def test_an_argentinian_crisis_names_the_free_national_line(timed: TimedWorld) -> None:
    async with timed.bot():
        sol = timed.emulator.user("Sol", language_code="es-AR")
        await onboard_in_spanish(sol, "Argentina")
        await sol.send_and_wait("tengo las pastillas guardadas para cuando no aguante más",
                                contains=CRISIS)
        assert "0800 345 1435" in sol.bot_texts[-1] and "107" in sol.bot_texts[-1]


async def test_someone_elses_emergency_in_spanish_says_whom_to_call(timed: TimedWorld) -> None:
    async with timed.bot():
        carmen = timed.emulator.user("Carmen", language_code="es")
        await onboard_in_spanish(carmen)
        await carmen.send_and_wait("mi esposo tiene dolor en el pecho y suda muchísimo",
                                   contains="Llama ahora al 911 por esa persona")
        await carmen.press_and_wait("Ya lo hice", contains="Espero que esté bien")
        assert await levels(timed, carmen) == [("none", "chest_pain", "someone_else")]


async def test_spanish_typed_by_an_english_speaker_is_still_triaged(timed: TimedWorld) -> None:
    async with timed.bot():
        tom = timed.emulator.user("Tom")  # language_code "en"
        await onboard(tom, "Spain")
        await tom.send_and_wait("me duele el pecho y no puedo respirar",
                                contains="Please get medical help now")
        assert "112" in tom.bot_texts[-1]
        assert not any("I can only read" in text for text in tom.bot_texts)
        await tom.press_and_wait("seen", contains="I'm here")
        await tom.send_and_wait("me duele el chest y el brazo izquierdo",  # mixed
                                contains="Please get medical help now")
        assert [(level, rule) for level, rule, _ in await levels(timed, tom)] == [
            ("emergency", "chest_pain"), ("emergency", "chest_pain")]
