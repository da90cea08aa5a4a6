"""Our aiohttp networking for PTB (bot/telegram/http.py) against the emulator over real HTTP:
what arrives, and what PTB raises when Telegram answers badly or not at all."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Message
from telegram.error import BadRequest, Forbidden, NetworkError, TimedOut

from bot.emulator import Emulator
from bot.emulator.faults import Faults
from bot.telegram.http import AiohttpRequest, SendRequest, UpdatesRequest
from tests.e2e.conftest import TOKEN


@pytest.fixture
async def bot_on() -> AsyncIterator[tuple[Bot, Emulator]]:
    async with Emulator(limits=None) as emu:
        bot = Bot(TOKEN, base_url=emu.base_url, request=AiohttpRequest())
        async with bot:
            yield bot, emu


async def test_messages_with_buttons_and_any_text_arrive_as_sent(
        bot_on: tuple[Bot, Emulator]) -> None:
    bot, emu = bot_on
    ana = emu.user("Ana")
    await ana.send("/start")
    text = "Rücken <b>ok</b> 👍 — 背中 & more"
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Weiter ➡", callback_data="n1")]])
    sent = await bot.send_message(ana.chat_id, text, parse_mode="HTML", reply_markup=keyboard)
    assert sent.text == "Rücken ok 👍 — 背中 & more"
    last = ana.last_bot_message
    assert last is not None and last.text == sent.text and last.labels == ["Weiter ➡"]
    assert (await bot.get_me()).username == "backcoach_bot"


async def test_a_file_upload_arrives_byte_for_byte_with_its_name_and_caption(
        bot_on: tuple[Bot, Emulator]) -> None:
    bot, emu = bot_on
    ana = emu.user("Ana")
    await ana.send("/start")
    data = bytes(range(256)) * 40  # binary, not text
    await bot.send_document(ana.chat_id, InputFile(data, filename="visit-ä.pdf"),
                            caption="Für den Termin")
    (document,) = ana.documents
    assert (document.filename, document.data) == ("visit-ä.pdf", data)
    last = ana.last_bot_message
    assert last is not None and last.text == "Für den Termin"


async def test_telegram_refusals_become_ptb_errors_with_their_wording(
        bot_on: tuple[Bot, Emulator]) -> None:
    bot, _ = bot_on
    with pytest.raises(BadRequest, match=r"[Cc]hat not found"):
        await bot.send_message(424242, "nobody there")


async def test_a_hung_call_times_out_when_the_call_says(bot_on: tuple[Bot, Emulator]) -> None:
    bot, emu = bot_on
    ana = emu.user("Ana")
    await ana.send("/start")
    emu.inject(Faults(rate=1.0, kinds={"hang": 1.0}, hang_seconds=5, methods={"sendMessage"}))
    started = time.monotonic()
    with pytest.raises(TimedOut):
        await bot.send_message(ana.chat_id, "hello", read_timeout=0.3)
    assert time.monotonic() - started < 3  # not the 5 s the server would hang


async def test_a_dropped_connection_is_a_network_error(bot_on: tuple[Bot, Emulator]) -> None:
    bot, emu = bot_on
    ana = emu.user("Ana")
    await ana.send("/start")
    emu.inject(Faults(rate=1.0, kinds={"drop": 1.0}, methods={"sendMessage"}))
    with pytest.raises(NetworkError) as caught:
        await bot.send_message(ana.chat_id, "hello")
    assert not isinstance(caught.value, TimedOut)
    assert (await bot.get_me()).is_bot  # the session goes on working after the drop


async def test_a_blocked_chat_is_forbidden(bot_on: tuple[Bot, Emulator]) -> None:
    bot, emu = bot_on
    ana = emu.user("Ana")
    await ana.send("/start")
    emu.inject(Faults(rate=0.0, blocked_users=frozenset({ana.user_id})))
    with pytest.raises(Forbidden, match="blocked"):
        await bot.send_message(ana.chat_id, "hello")


async def test_unusable_before_initialize_and_after_shutdown() -> None:
    request = AiohttpRequest()
    with pytest.raises(RuntimeError, match="not initialized"):
        await request.do_request("http://127.0.0.1:9/", "POST")
    await request.initialize()
    await request.shutdown()
    with pytest.raises(RuntimeError, match="not initialized"):
        await request.do_request("http://127.0.0.1:9/", "POST")
    await request.shutdown()  # twice is fine


async def test_a_press_is_read_without_the_pressed_messages_keyboard() -> None:
    async with Emulator(limits=None) as emu:
        bot = Bot(TOKEN, base_url=emu.base_url, request=AiohttpRequest(),
                  get_updates_request=UpdatesRequest(pool_size=1))
        async with bot:
            ana = emu.user("Ana")
            await ana.send("/start")
            keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Next", callback_data="n1")]])
            sent = await bot.send_message(ana.chat_id, "Ready?", reply_markup=keyboard)
            await ana.press("Next")
            *_, update = await bot.get_updates()
    query = update.callback_query
    assert query is not None and query.data == "n1" and isinstance(query.message, Message)
    assert (query.message.message_id, query.message.text) == (sent.message_id, "Ready?")
    assert query.message.reply_markup is None
    assert sent.reply_markup is not None  # other calls keep theirs


async def test_a_sent_message_is_read_back_without_its_keyboard_and_formatting() -> None:
    async with Emulator(limits=None) as emu:
        bot = Bot(TOKEN, base_url=emu.base_url, request=SendRequest())
        async with bot:
            ana = emu.user("Ana")
            await ana.send("/start")
            keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Next", callback_data="n1")]])
            sent = await bot.send_message(ana.chat_id, "<b>Ready?</b>", parse_mode="HTML",
                                          reply_markup=keyboard)
            edited = await bot.edit_message_text("<i>Set?</i>", chat_id=ana.chat_id,
                                                 message_id=sent.message_id,
                                                 parse_mode="HTML", reply_markup=keyboard)
            last = ana.last_bot_message
    assert isinstance(edited, Message) and edited.message_id == sent.message_id
    assert (sent.text, edited.text) == ("Ready?", "Set?")
    assert sent.reply_markup is None and edited.reply_markup is None
    assert sent.entities == () and edited.entities == ()
    # Only reading back is lighter: Telegram got the keyboard.
    assert last is not None and last.text == "Set?" and last.labels == ["Next"]
