"""The terminal chat client, fed scripted lines, with its output captured."""

from __future__ import annotations

import asyncio
import contextlib
import io
from collections.abc import AsyncIterator

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.emulator import Emulator, FakeClock, TestUser, TranscriptEntry, run_terminal_chat
from bot.emulator.terminal import human_size, render

TOKEN = "777888999:AAE_terminalTestToken_abcdefghijklm"


@contextlib.asynccontextmanager
async def little_bot(emu: Emulator) -> AsyncIterator[Bot]:
    """A bot that greets with buttons, confirms presses by editing, and sends a file on /file."""
    async with Bot(TOKEN, base_url=emu.base_url) as bot:

        async def handle(update: Update) -> None:
            message, query = update.message, update.callback_query
            if message and message.text == "/file":
                await bot.send_document(message.chat.id, b"x" * 12_300, filename="plan.pdf",
                                        caption="Your plan")
            elif message and message.text:
                markup = InlineKeyboardMarkup([[
                    InlineKeyboardButton("I understand", callback_data="yes"),
                    InlineKeyboardButton("Not now", callback_data="no"),
                ]])
                await bot.send_message(message.chat.id, "Hello <b>there</b>\nReady?",
                                       parse_mode="HTML", reply_markup=markup)
            elif query and query.message:
                await query.answer("Noted")
                await bot.edit_message_text(f"Great, {query.data}", query.message.chat.id,
                                            query.message.message_id)

        async def loop() -> None:
            offset = 0
            while True:
                for update in await bot.get_updates(offset=offset, timeout=10):
                    offset = update.update_id + 1
                    await handle(update)

        task = asyncio.create_task(loop())
        try:
            yield bot
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


async def test_scripted_chat_shows_messages_buttons_edits_and_files() -> None:
    async with Emulator(clock=FakeClock(), limits=None) as emu, little_bot(emu):
        ana: TestUser = emu.user("Ana")
        out = io.StringIO()

        async def script() -> AsyncIterator[str]:
            yield "hi\n"
            await ana.expect("ready?")
            yield "1\n"
            await ana.expect("great")
            yield "7\n"
            yield "/file\n"
            await ana.expect("your plan")
            yield "/quit\n"
            yield "never sent\n"

        await run_terminal_chat(emu, ana, script(), out)
        lines = out.getvalue().splitlines()
        assert lines[0].startswith("Chatting with @backcoach_bot as Ana")
        assert lines[1:] == [
            "you: hi",
            "bot: Hello there",
            "     Ready?",
            "     [1] I understand   [2] Not now",
            "you: 1",
            "bot: (notice) Noted",
            "bot: (edited) Great, yes",
            "you: 7",
            "(there are no buttons to press)",
            "you: /file",
            "bot: [plan.pdf, 12 kB] Your plan",
        ]
        assert "never sent" not in [e.text for e in ana.transcript]
        first = ana.transcript[0]
        assert first.kind == "text" and first.text == "hi"


async def test_out_of_range_numbers_and_end_of_input() -> None:
    async with Emulator(clock=FakeClock(), limits=None) as emu, little_bot(emu):
        ana = emu.user("Ana")
        out = io.StringIO()

        async def script() -> AsyncIterator[str]:
            yield "hello"
            await ana.expect("ready?")
            yield "3"

        await run_terminal_chat(emu, ana, script(), out)
        assert out.getvalue().splitlines()[-1] == "(choose a button from 1 to 2)"


async def test_reads_stdin_without_blocking_the_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    async with Emulator(clock=FakeClock(), limits=None) as emu, little_bot(emu):
        ana = emu.user("Ana")
        monkeypatch.setattr("sys.stdin", io.StringIO("/start\n\n/quit\n"))
        out = io.StringIO()
        await asyncio.wait_for(run_terminal_chat(emu, ana, None, out), 5)
        assert [e.text for e in ana.transcript if e.who == "user"] == ["/start"]
        assert ana.transcript[0].kind == "text"


def test_human_sizes() -> None:
    assert [human_size(n) for n in (900, 12_300, 3_500_000)] == ["900 B", "12 kB", "3.3 MB"]


def test_each_keyboard_row_gets_its_own_line() -> None:
    entry = TranscriptEntry(who="bot", kind="text", text="Pick\n\nnow", message_id=1,
                            buttons=(("A", "B"), ("C",)))
    assert render(entry) == ["bot: Pick", "", "     now", "     [1] A   [2] B", "     [3] C"]
    assert render(TranscriptEntry(who="user", kind="text", text="hi")) == []
