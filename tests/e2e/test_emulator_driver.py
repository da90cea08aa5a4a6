"""The test driver: people pressing, forging, waiting, and reading transcripts."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest

from bot.emulator import Emulator, FakeClock
from bot.emulator.driver import TINY_PNG

TOKEN = "555000111:AAF_driverTestTokenABCDEFGHIJKLMNOP"
QUERY_TOO_OLD = "Query is too old and response timeout expired or query id is invalid"


def keyboard(*labels: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=f"cb:{label}") for label in labels]]
    )


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def emu(clock: FakeClock) -> AsyncIterator[Emulator]:
    async with Emulator(clock=clock, limits=None) as emulator:
        yield emulator


@pytest.fixture
async def bot(emu: Emulator) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=emu.base_url, base_file_url=emu.file_base_url) as ptb:
        yield ptb


@contextlib.asynccontextmanager
async def responding(
    bot: Bot, handle: Callable[[Update], Awaitable[None]]
) -> AsyncIterator[None]:
    """A minimal polling bot running alongside the test."""

    async def loop() -> None:
        offset = 0
        while True:
            for update in await bot.get_updates(offset=offset, timeout=10):
                offset = update.update_id + 1
                await handle(update)

    task = asyncio.create_task(loop())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def updates_of(bot: Bot) -> list[Update]:
    updates = list(await bot.get_updates())
    if updates:
        await bot.get_updates(offset=updates[-1].update_id + 1)
    return list(updates)


async def test_transcript_records_both_sides_with_edits(emu: Emulator, bot: Bot) -> None:
    ana = emu.user("Ana")
    await ana.send("hello")
    sent = await bot.send_message(ana.chat_id, "<i>Working</i>…", parse_mode="HTML",
                                  reply_markup=keyboard("Stop"))
    await bot.edit_message_text("Done", ana.chat_id, sent.message_id)
    doc = await bot.send_document(ana.chat_id, b"%PDF-1.4 report", filename="report.pdf",
                                  caption="Your <b>report</b>", parse_mode="HTML")
    photo = await bot.send_photo(ana.chat_id, TINY_PNG, caption="chart")
    await bot.delete_message(ana.chat_id, doc.message_id)
    summary = [(e.who, e.kind, e.text, e.message_id) for e in ana.transcript]
    assert summary == [
        ("user", "text", "hello", 1),
        ("bot", "text", "Working…", 2),
        ("bot", "edit", "Done", 2),
        ("bot", "document", "Your report", 3),
        ("bot", "photo", "chart", 4),
        ("bot", "delete", "", 3),
    ]
    assert ana.transcript[1].labels == ["Stop"] and ana.transcript[2].labels == []
    assert ana.transcript[1].raw == "<i>Working</i>…"
    assert ana.messages[2].text == "Done" and ana.messages[2].edited
    assert 3 not in ana.messages
    assert ana.documents == []
    assert photo.photo[-1].width == 1 and ana.photos[0].data == TINY_PNG
    assert ana.last_bot_message is not None and ana.last_bot_message.message_id == 4


async def test_documents_keep_bytes_name_type_and_can_be_downloaded(
    emu: Emulator, bot: Bot
) -> None:
    ana = emu.user("Ana")
    sent = await bot.send_document(ana.chat_id, b"a,b\n1,2\n", filename="data.csv",
                                   caption="numbers")
    stored = ana.documents[0]
    assert (stored.filename, stored.data, stored.caption) == ("data.csv", b"a,b\n1,2\n", "numbers")
    assert stored.mime_type == "text/csv"
    assert sent.document is not None
    remote = await bot.get_file(sent.document.file_id)
    assert bytes(await remote.download_as_bytearray()) == b"a,b\n1,2\n"
    again = await bot.send_document(ana.chat_id, sent.document.file_id)
    assert again.document is not None and again.document.file_name == "data.csv"
    with pytest.raises(BadRequest, match="Image_process_failed"):
        await bot.send_photo(ana.chat_id, b"not an image")
    with pytest.raises(BadRequest, match="Wrong file identifier"):
        await bot.send_document(ana.chat_id, "no-such-file-id")


async def test_press_matches_labels_and_reports_problems(emu: Emulator, bot: Bot) -> None:
    ana = emu.user("Ana")
    old = await bot.send_message(ana.chat_id, "old", reply_markup=keyboard("Yes", "No"))
    await bot.send_message(ana.chat_id, "new", reply_markup=keyboard(
        "I understand", "Not now", "Not ever"
    ))
    await bot.send_message(ana.chat_id, "plain, no buttons")
    await ana.press("understand")
    await ana.press("Not now")
    await ana.press("Yes", message=old.message_id)
    with pytest.raises(AssertionError, match="more than one button matching 'not'"):
        await ana.press("not")
    with pytest.raises(AssertionError, match="'I understand', 'Not now', 'Not ever'"):
        await ana.press("Maybe")
    forged = await ana.press_data("cb:admin-only", message=old.message_id)
    updates = await updates_of(bot)
    queries = [u.callback_query for u in updates]
    assert [(q.data, q.message.message_id) for q in queries if q and q.message] == [
        ("cb:I understand", 2), ("cb:Not now", 2), ("cb:Yes", 1), ("cb:admin-only", 1)
    ]
    assert queries[-1] is not None and queries[-1].id == forged


async def test_url_buttons_and_deleted_messages_cannot_be_pressed(emu: Emulator, bot: Bot) -> None:
    ana = emu.user("Ana")
    link = InlineKeyboardMarkup([[InlineKeyboardButton("Site", url="https://example.org")]])
    sent = await bot.send_message(ana.chat_id, "see", reply_markup=link)
    with pytest.raises(AssertionError, match="no callback data"):
        await ana.press("Site")
    await bot.delete_message(ana.chat_id, sent.message_id)
    with pytest.raises(AssertionError, match="no bot message with buttons"):
        await ana.press("Site")


async def test_callback_queries_expire_after_15_seconds(
    emu: Emulator, bot: Bot, clock: FakeClock
) -> None:
    ana = emu.user("Ana")
    await bot.send_message(ana.chat_id, "choose", reply_markup=keyboard("A", "B"))
    fresh = await ana.press("A")
    stale = await ana.press("B")
    clock.advance(15)
    assert await bot.answer_callback_query(fresh, text="Got A")
    with pytest.raises(BadRequest) as twice:
        await bot.answer_callback_query(fresh)
    assert twice.value.message == QUERY_TOO_OLD
    clock.advance(0.5)
    with pytest.raises(BadRequest) as late:
        await bot.answer_callback_query(stale)
    assert late.value.message == QUERY_TOO_OLD
    with pytest.raises(BadRequest):
        await bot.answer_callback_query("12345")
    assert [(a.query_id, a.text) for a in ana.callback_answers] == [(fresh, "Got A")]
    assert ana.transcript[-1].kind == "callback_answer"


async def test_raw_wording_of_an_expired_query(emu: Emulator, clock: FakeClock) -> None:
    ana = emu.user("Ana")
    async with Bot(TOKEN, base_url=emu.base_url) as bot:
        await bot.send_message(ana.chat_id, "choose", reply_markup=keyboard("A"))
    query_id = await ana.press("A")
    clock.advance(16)
    async with httpx.AsyncClient() as http:
        response = await http.post(f"{emu.base_url}{TOKEN}/answerCallbackQuery",
                                   data={"callback_query_id": query_id})
    assert response.status_code == 400
    assert response.json()["description"] == (
        "Bad Request: query is too old and response timeout expired or query ID is invalid"
    )


async def test_wait_for_resumes_on_arrival_and_explains_timeouts(emu: Emulator, bot: Bot) -> None:
    ana = emu.user("Ana")
    await ana.send("ping")
    waiting = asyncio.create_task(ana.expect("PONG"))
    await bot.send_message(ana.chat_id, "not yet")
    await asyncio.sleep(0)
    assert not waiting.done()
    await bot.send_message(ana.chat_id, "pong!")
    entry = await asyncio.wait_for(waiting, 5)
    assert entry.text == "pong!"
    # expect() only looks after the person's latest action.
    await ana.send("again")
    with pytest.raises(AssertionError) as caught:
        await ana.expect("pong", timeout=0.01)
    message = str(caught.value)
    assert "'pong'" in message and "Transcript tail" in message and "again" in message


async def test_send_and_press_and_wait_with_a_live_bot(emu: Emulator, bot: Bot) -> None:
    ana = emu.user("Ana")

    async def handle(update: Update) -> None:
        if update.message and update.message.text:
            await bot.send_message(update.message.chat.id, f"echo {update.message.text}",
                                   reply_markup=keyboard("Again", "Stop"))
        elif update.callback_query and update.callback_query.message:
            query, pressed = update.callback_query, update.callback_query.message
            await query.answer(f"pressed {query.data}")
            await bot.edit_message_text(f"you chose {query.data}",
                                        pressed.chat.id, pressed.message_id)

    async with responding(bot, handle):
        reply = await ana.send_and_wait("hi there", contains="echo")
        assert reply.text == "echo hi there" and reply.labels == ["Again", "Stop"]
        edit = await ana.press_and_wait("Stop", contains="chose")
        assert (edit.kind, edit.text) == ("edit", "you chose cb:Stop")
        assert ana.callback_answers[-1].text == "pressed cb:Stop"
        await emu.wait_delivered()
