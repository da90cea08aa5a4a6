"""Spanish typed answers through the real bot (issue 17, point 2): a person whose Telegram is
in Spanish sets up by typing their country, then types their reminder's time zone, time,
days and quiet hours as a Spanish speaker does, and what is saved is what they meant.

The bot and the emulator share a manual clock that starts on Monday 2026-01-05 08:00 UTC;
Madrid is UTC+1 in January.
"""

from __future__ import annotations

from bot.emulator import TestUser
from tests.e2e.conftest import TimedWorld
from tests.e2e.test_reminders import reminders_of


async def onboard_in_spanish(user: TestUser, country: str, read_as: str) -> None:
    """Set up with the Spanish buttons, typing the country (which must be read as read_as)."""
    await user.send_and_wait("/start", contains="Entendido")
    await user.press_and_wait("Entendido", contains="¿En qué país")
    await user.press_and_wait("Otro país", contains="país")
    await user.send_and_wait(country, contains=f"En {read_as}, el número de emergencias")
    await user.press_and_wait("Los 5", contains="ejercicios")
    await user.press_and_wait("Listo", contains="Este es tu programa")
    await user.press_and_wait("Están bien así", contains="reglas")
    await user.press_and_wait("Entendido", contains="Todo listo")


async def test_reminders_typed_in_spanish(timed: TimedWorld) -> None:
    async with timed.bot():
        ana = timed.emulator.user("Ana", "es")
        await onboard_in_spanish(ana, "CDMX", "🇲🇽 México")
        await ana.send_and_wait("/reminders", contains="desactivados")
        await ana.press_and_wait("⏰ Hora", contains="zona horaria")
        await ana.send_and_wait("hora de Madrid", contains="Zona horaria: Europe/Madrid")
        await ana.send_and_wait("a las 7 y media de la tarde", contains="a las 19:30")
        await ana.press_and_wait("Días", contains="¿Qué días?")
        await ana.send_and_wait("L M X J V", contains="de lunes a viernes a las 19:30")
        await ana.press_and_wait("Horas de silencio", contains="rango")
        await ana.send_and_wait("de 10 de la noche a 7 de la mañana",
                                contains="de 22:00 a 07:00")
        await ana.press_and_wait("⏰ Hora", contains="¿A qué hora")
        await ana.send_and_wait("las 8 menos cuarto de la tarde", contains="a las 19:45")
        await ana.press_and_wait("Listo", contains="Te aviso de lunes a viernes a las 19:45")
        # 19:45 in Madrid is 18:45 UTC, on Monday the 5th.
        assert [r for r in await reminders_of(timed, ana) if r[1] == "pending"] == [
            ("session", "pending", "05 18:45")]


async def test_a_time_that_reads_two_ways_is_asked_again(timed: TimedWorld) -> None:
    async with timed.bot():
        bea = timed.emulator.user("Bea", "es")
        await onboard_in_spanish(bea, "Bs As", "🇦🇷 Argentina")
        await bea.send_and_wait("/reminders", contains="desactivados")
        await bea.press_and_wait("Horas de silencio", contains="rango")
        # 10 to 7:15, or 10:07 to 15:00: the bot asks again rather than pick one.
        await bea.send_and_wait("entre 10 y 7 y 15", contains="Escribe un rango")
        await bea.send_and_wait("entre las 22 y las 7", contains="de 22:00 a 07:00")
