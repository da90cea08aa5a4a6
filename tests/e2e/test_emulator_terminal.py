"""The terminal chat client, fed scripted lines, with its output captured."""

from __future__ import annotations

import asyncio
import contextlib
import io
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.app.wiring import Deps
from bot.emulator import Emulator, FakeClock, TestUser, TranscriptEntry, run_terminal_chat
from bot.emulator.terminal import button_keys, human_size, render
from tests.e2e.test_onboarding import kept, onboard

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


async def test_scripted_chat_shows_messages_buttons_edits_and_saves_files(
        tmp_path: Path) -> None:
    async with Emulator(clock=FakeClock(), limits=None) as emu, little_bot(emu):
        ana: TestUser = emu.user("Ana")
        out = io.StringIO()
        folder = tmp_path / "received"

        async def script() -> AsyncIterator[str]:
            yield "hi\n"
            await ana.expect("ready?")
            yield "a\n"
            await ana.expect("great")
            yield "/file\n"
            await ana.expect("your plan")
            yield "/file\n"
            await ana.expect("your plan")
            yield "/quit\n"
            yield "never sent\n"

        await run_terminal_chat(emu, ana, script(), out, files=folder)
        lines = out.getvalue().splitlines()
        assert lines[:3] == [
            "Chatting with @backcoach_bot as Ana.",
            "Type a message, or what is in [brackets] to press that button. "
            '/say 3 sends "3" as a message; /quit leaves.',
            f"Files the bot sends are saved in {folder}/.",
        ]
        assert lines[3:] == [
            "you: hi",
            "bot: Hello there",
            "     Ready?",
            "     [a] I understand   [b] Not now",
            "you: a",
            "bot: (notice) Noted",
            "bot: (edited) Great, yes",
            "you: /file",
            "bot: [plan.pdf, 12 kB] Your plan",
            f"     (saved as {folder / 'plan.pdf'})",
            "you: /file",
            "bot: [plan.pdf, 12 kB] Your plan",
            f"     (saved as {folder / 'plan-2.pdf'})",  # the first one is kept
        ]
        assert (folder / "plan.pdf").read_bytes() == b"x" * 12_300
        assert (folder / "plan-2.pdf").read_bytes() == b"x" * 12_300
        assert "never sent" not in [e.text for e in ana.transcript]
        first = ana.transcript[0]
        assert first.kind == "text" and first.text == "hi"


async def test_numbers_that_are_no_button_key_and_say_are_sent_as_text() -> None:
    async with Emulator(clock=FakeClock(), limits=None) as emu, little_bot(emu):
        ana = emu.user("Ana")
        out = io.StringIO()

        async def script() -> AsyncIterator[str]:
            yield "hello"
            await ana.expect("ready?")
            yield "1"  # the buttons are [a] and [b]: 1 is a message, not the first button
            yield "/say a"
            yield "/say"

        await run_terminal_chat(emu, ana, script(), out)
        assert [(e.kind, e.text) for e in ana.transcript if e.who == "user"] == [
            ("text", "hello"), ("text", "1"), ("text", "a")]
        assert out.getvalue().splitlines()[-1] == \
            "(type /say and the words to send, for example: /say 3)"


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
    assert render(entry) == ["bot: Pick", "", "     now", "     [a] A   [b] B", "     [c] C"]
    assert render(TranscriptEntry(who="user", kind="text", text="hi")) == []


def test_number_labels_are_their_own_keys_and_the_rest_get_letters() -> None:
    labels = [str(n) for n in range(11)] + ["Skip", "3", "Not now"]
    assert button_keys(labels) == [str(n) for n in range(11)] + ["a", "b", "c"]
    assert button_keys([f"x{n}" for n in range(28)])[25:] == ["z", "aa", "ab"]
    entry = TranscriptEntry(who="bot", kind="text", text="Pain?", message_id=1,
                            buttons=(("0", "1"), ("Skip",)))
    assert render(entry) == ["bot: Pain?", "     [0]   [1]", "     [a] Skip"]


async def test_in_the_real_bot_typing_3_on_the_pain_scale_records_3(
        emulator: Emulator, bot: Deps) -> None:
    """The scale's buttons were numbered from 1 by their place: [4] was "3", typing 3 gave 2."""
    ana = emulator.user("Ana")
    await onboard(ana)
    out = io.StringIO()

    async def script() -> AsyncIterator[str]:
        yield "/checkin"
        await ana.expect("0 is no pain")
        yield "3"
        await ana.expect("new pain")

    await run_terminal_chat(emulator, ana, script(), out)
    assert "     [0]   [1]   [2]   [3]   [4]   [5]\n     [6]   [7]   [8]   [9]   [10]\n" \
        in out.getvalue()
    person = await kept(bot, ana)
    assert [r.rating for r in person.recent_pain] == [3]
