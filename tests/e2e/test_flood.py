"""One person flooding the bot (issue 14, point 5): the real bot polling the emulator over
HTTP. Their queued updates take none of the slots everyone shares, the poller goes on
fetching other people's messages, the excess beyond their line's cap is let go with one
notice, and a warning sign inside the flood is still answered."""

from __future__ import annotations

from bot.emulator import Emulator, TestUser
from tests.e2e.conftest import StartBot

FLOOD = 400  # 300 messages and 100 button presses, as in the issue
WARNING = "crushing chest pain spreading to my left arm"
WARNING_AT = 390  # well past the line's cap of 10
NOTICE = "That's a lot at once"
EMERGENCY = "Please get medical help now"


async def flood(flo: TestUser) -> None:
    """Flo's 400 updates, put in at once: every fourth a press on the welcome's button."""
    buttons = flo.last_message_with_buttons()
    assert buttons is not None and buttons.buttons
    data = buttons.buttons[0][0].callback_data
    assert data is not None
    for n in range(FLOOD):
        if n == WARNING_AT:
            await flo.send(WARNING)
        elif n % 4 == 3:
            await flo.press_data(data, buttons.message_id)
        else:
            await flo.send(f"hello {n}")


async def test_a_flood_slows_nobody_else_and_its_warning_sign_is_answered(
        start_bot: StartBot, database_url: str, emulator: Emulator) -> None:
    # Telegram's real pace per chat (1 message a second): Flo's line takes many seconds to
    # work through, while Bo's /help needs none of it.
    async with start_bot(database_url, rate_limit_per_chat=1.0) as deps:
        flo, bo = emulator.user("Flo"), emulator.user("Bo")
        await flo.send_and_wait("/start", contains="I understand")
        before = len(flo.bot_texts)
        await flood(flo)

        await bo.send_and_wait("/help", contains="What I can do", timeout=60)
        # Bo was answered long before Flo's backlog was worked through: before the
        # warning sign, which waits behind the ten updates of Flo's line, was answered.
        flo_replies_then = flo.bot_texts[before:]
        assert not any(EMERGENCY in text for text in flo_replies_then)
        assert len(flo_replies_then) < 20

        await flo.wait_for(lambda e: EMERGENCY in e.text, timeout=60, since=0,
                           what="the answer to the warning sign in the flood")
        let_go = deps.metrics.registry.get_sample_value("backcoach_updates_let_go_total")
        assert let_go is not None and 300 <= let_go < FLOOD
        await emulator.wait_delivered(timeout=60)
        # One notice for the whole burst, however many were let go.
        assert sum(NOTICE in text for text in flo.bot_texts) == 1
