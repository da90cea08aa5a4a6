"""What the emulator refuses because Telegram (or the Bot API spec) does, over real HTTP.

Each case was accepted before the emulator checked calls against spec/bot_api.json.
"""

from __future__ import annotations

import json
import struct
import zlib
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from telegram import Bot, Update
from telegram.error import ChatMigrated, Forbidden

from bot.emulator import Emulator, FakeClock, TestUser

TOKEN = "123456789:AAEhBOweik6ad9r_QXMENQjcrGbqCr4K-ZM"
MB = 1 << 20


@pytest.fixture
async def emu() -> AsyncIterator[Emulator]:
    async with Emulator(clock=FakeClock(), limits=None) as emulator:
        yield emulator


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def call(
    http: aiohttp.ClientSession, emu: Emulator, method: str, **params: Any
) -> tuple[int, dict[str, Any]]:
    """POST params as JSON; (status, envelope)."""
    async with http.post(f"{emu.base_url}{TOKEN}/{method}", json=params) as response:
        return response.status, await response.json()


async def upload(
    http: aiohttp.ClientSession, emu: Emulator, method: str, field: str, data: bytes,
    **params: Any,
) -> tuple[int, dict[str, Any]]:
    """POST a file part named field (multipart, as PTB uploads); (status, envelope)."""
    form = aiohttp.FormData()
    for key, value in params.items():
        form.add_field(key, str(value))
    form.add_field(field, data, filename="file.png", content_type="image/png")
    async with http.post(f"{emu.base_url}{TOKEN}/{method}", data=form) as response:
        return response.status, await response.json()


def refusal(status: int, description: str, **parameters: Any) -> tuple[int, dict[str, Any]]:
    """The (status, envelope) Telegram answers a refused call with."""
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return status, body


def png(width: int, height: int, size: int = 0) -> bytes:
    """A PNG header of the given dimensions, padded to size bytes (only the header is read)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    chunk = b"IHDR" + header
    data = b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + chunk
    data += struct.pack(">I", zlib.crc32(chunk))
    return data + b"\0" * max(0, size - len(data))


def inline(*buttons: dict[str, Any]) -> dict[str, Any]:
    """An inline keyboard of one row."""
    return {"inline_keyboard": [list(buttons)]}


# -- keyboards ----------------------------------------------------------------------------------


async def test_a_button_label_must_not_be_empty(
    emu: Emulator, http: aiohttp.ClientSession
) -> None:
    chat = emu.user("Ana").chat_id
    assert await call(http, emu, "sendMessage", chat_id=chat, text="t",
                      reply_markup=inline({"text": "", "callback_data": "x"})) == refusal(
        400, "Bad Request: inline keyboard button text must be non-empty")
    assert await call(http, emu, "sendMessage", chat_id=chat, text="t",
                      reply_markup={"keyboard": [[{"text": ""}]]}) == refusal(
        400, "Bad Request: keyboard button text must be non-empty")


async def test_a_button_has_exactly_one_action(emu: Emulator, http: aiohttp.ClientSession) -> None:
    chat = emu.user("Ana").chat_id
    both = {"text": "Go", "callback_data": "go", "url": "https://example.org"}
    assert await call(http, emu, "sendMessage", chat_id=chat, text="t",
                      reply_markup=inline(both)) == refusal(
        400, "Bad Request: can't parse inline keyboard button: Fields \"url\" and "
             "\"callback_data\" can't be used together")
    # A reply keyboard button may have at most one request of its own.
    asks = {"text": "Where?", "request_location": True, "request_contact": True}
    status, body = await call(http, emu, "sendMessage", chat_id=chat, text="t",
                              reply_markup={"keyboard": [[asks]]})
    assert status == 400 and "can't be used together" in body["description"]


async def test_only_an_inline_keyboard_can_be_edited_in(
    emu: Emulator, http: aiohttp.ClientSession
) -> None:
    ana = emu.user("Ana")
    chat = ana.chat_id
    _, sent = await call(http, emu, "sendMessage", chat_id=chat, text="pick",
                         reply_markup=inline({"text": "A", "callback_data": "a"}))
    message_id = sent["result"]["message_id"]
    expected = refusal(400, "Bad Request: inline keyboard expected")
    keyboard = {"keyboard": [["Yes", "No"]]}
    assert await call(http, emu, "editMessageText", chat_id=chat, message_id=message_id,
                      text="new", reply_markup=keyboard) == expected
    assert await call(http, emu, "editMessageReplyMarkup", chat_id=chat, message_id=message_id,
                      reply_markup={"remove_keyboard": True}) == expected
    assert ana.messages[message_id].labels == ["A"] and ana.messages[message_id].text == "pick"
    status, _ = await call(http, emu, "editMessageText", chat_id=chat, message_id=message_id,
                           text="new", reply_markup=inline({"text": "B", "callback_data": "b"}))
    assert status == 200


# -- commands, updates, webhooks, queries -------------------------------------------------------


async def test_command_scope_and_language_must_be_known(
    emu: Emulator, http: aiohttp.ClientSession
) -> None:
    commands = [{"command": "start", "description": "Begin"}]
    assert await call(http, emu, "setMyCommands", commands=commands,
                      scope={"type": "everyone"}) == refusal(
        400, "Bad Request: can't parse BotCommandScope: Unsupported type specified")
    for code in ("en-US", "english", "EN", "e"):
        assert await call(http, emu, "setMyCommands", commands=commands,
                          language_code=code) == refusal(
            400, "Bad Request: invalid language code specified"), code
    assert await call(http, emu, "getMyCommands", language_code="eng") == refusal(
        400, "Bad Request: invalid language code specified")
    ok, _ = await call(http, emu, "setMyCommands", commands=commands, language_code="pt",
                       scope={"type": "all_private_chats"})
    assert ok == 200
    assert emu.my_commands("pt", {"type": "all_private_chats"}) == commands


async def test_command_fields_are_checked(emu: Emulator, http: aiohttp.ClientSession) -> None:
    assert await call(http, emu, "setMyCommands", commands=[{"command": "start"}]) == refusal(
        400, "Bad Request: can't parse BotCommand: Can't find field \"description\"")
    assert await call(http, emu, "setMyCommands",
                      commands=[{"command": "x" * 33, "description": "d"}]) == refusal(
        400, "Bad Request: command length must not exceed 32")
    assert await call(http, emu, "setMyCommands",
                      commands=[{"command": "go", "description": ""}]) == refusal(
        400, "Bad Request: command description must be non-empty")


async def test_allowed_updates_must_name_update_types(
    emu: Emulator, http: aiohttp.ClientSession
) -> None:
    expected = refusal(400, "Bad Request: field \"allowed_updates\" can't be \"messages\"")
    assert await call(http, emu, "getUpdates", allowed_updates=["messages"]) == expected
    assert await call(http, emu, "setWebhook", url="https://example.org/hook",
                      allowed_updates=["callback_query", "messages"]) == expected
    ok, _ = await call(http, emu, "getUpdates", allowed_updates=list(Update.ALL_TYPES))
    assert ok == 200


async def test_webhook_connections_are_1_to_100(
    emu: Emulator, http: aiohttp.ClientSession
) -> None:
    for count in (0, 101, -5):
        assert await call(http, emu, "setWebhook", url="https://example.org/hook",
                          max_connections=count) == refusal(
            400, "Bad Request: field \"max_connections\" must be between 1 and 100"), count
    for count in (1, 100):
        status, _ = await call(http, emu, "setWebhook", url="https://example.org/hook",
                               max_connections=count)
        assert status == 200
    assert emu.world.webhook.max_connections == 100
    await call(http, emu, "deleteWebhook")


async def test_get_updates_limit_is_1_to_100(emu: Emulator, http: aiohttp.ClientSession) -> None:
    assert await call(http, emu, "getUpdates", limit=0) == refusal(
        400, "Bad Request: field \"limit\" must be between 1 and 100")


async def test_cache_time_must_be_an_integer(emu: Emulator, http: aiohttp.ClientSession) -> None:
    ana = emu.user("Ana")
    await call(http, emu, "sendMessage", chat_id=ana.chat_id, text="pick",
               reply_markup=inline({"text": "A", "callback_data": "a"}))
    query = await ana.press("A")
    for bad in ("soon", 1.5, "2.5", True):
        assert await call(http, emu, "answerCallbackQuery", callback_query_id=query,
                          cache_time=bad) == refusal(
            400, "Bad Request: field \"cache_time\" must be of type Integer"), bad
    status, _ = await call(http, emu, "answerCallbackQuery", callback_query_id=query,
                           cache_time="30")
    assert status == 200


async def test_parameters_outside_the_spec_are_refused(
    emu: Emulator, http: aiohttp.ClientSession
) -> None:
    chat = emu.user("Ana").chat_id
    assert await call(http, emu, "sendMessage", chat_id=chat, text="x",
                      parse_mod="HTML") == refusal(
        400, "Bad Request: parameter \"parse_mod\" is not in Bot API 10.1")
    assert await call(http, emu, "sendMessage", chat_id=chat, text="x",
                      reply_parameters={"message_id": 1, "quote_text": "x"}) == refusal(
        400, "Bad Request: field \"quote_text\" is not in Bot API 10.1")
    assert await call(http, emu, "sendMessage", chat_id=chat, text="x",
                      disable_notification="maybe") == refusal(
        400, "Bad Request: field \"disable_notification\" must be of type Boolean")


# -- files ---------------------------------------------------------------------------------------


async def test_photos_within_size_and_shape(emu: Emulator, http: aiohttp.ClientSession) -> None:
    chat = emu.user("Ana").chat_id
    too_big = png(100, 100, size=10 * MB + 1)
    assert await upload(http, emu, "sendPhoto", "photo", too_big, chat_id=chat) == refusal(
        400, "Bad Request: file of size 10485761 bytes is too big for a photo; the maximum "
             "size is 10485760 bytes")
    shape = refusal(400, "Bad Request: PHOTO_INVALID_DIMENSIONS")
    for width, height in ((2100, 100), (100, 2100), (5001, 5000), (10001, 1)):
        assert await upload(http, emu, "sendPhoto", "photo", png(width, height),
                            chat_id=chat) == shape, (width, height)
    for width, height in ((2000, 100), (5000, 5000)):
        status, body = await upload(http, emu, "sendPhoto", "photo", png(width, height),
                                    chat_id=chat)
        assert status == 200 and body["result"]["photo"][0]["width"] == width


async def test_uploads_over_50_mb_are_too_large(
    emu: Emulator, http: aiohttp.ClientSession
) -> None:
    chat = emu.user("Ana").chat_id
    assert await upload(http, emu, "sendDocument", "document", b"x" * (50 * MB + 1),
                        chat_id=chat) == refusal(413, "Request Entity Too Large")


async def test_captions_count_characters(emu: Emulator, http: aiohttp.ClientSession) -> None:
    chat = emu.user("Ana").chat_id
    status, _ = await upload(http, emu, "sendDocument", "document", b"x", chat_id=chat,
                             caption="😀" * 1024)
    assert status == 200
    assert await upload(http, emu, "sendDocument", "document", b"x", chat_id=chat,
                        caption="😀" * 1025) == refusal(
        400, "Bad Request: message caption is too long")


# -- Telegram's errors about chats and messages ---------------------------------------------------


async def test_a_group_that_became_a_supergroup(emu: Emulator, http: aiohttp.ClientSession) -> None:
    ana = emu.user("Ana")
    group = emu.group("Back club", [ana])
    supergroup = await group.upgrade(by=ana)
    assert supergroup.chat_id < -1_000_000_000_000 and supergroup.chat.chat["type"] == "supergroup"
    updates = [u["message"] for u in emu.pending_updates()]
    assert updates[-2]["migrate_to_chat_id"] == supergroup.chat_id
    assert updates[-1]["migrate_from_chat_id"] == group.chat_id
    assert await call(http, emu, "sendMessage", chat_id=group.chat_id, text="hi") == refusal(
        400, "Bad Request: group chat was upgraded to a supergroup chat",
        migrate_to_chat_id=supergroup.chat_id)
    assert (await call(http, emu, "sendChatAction", chat_id=group.chat_id,
                       action="typing"))[0] == 400
    assert (await call(http, emu, "sendMessage", chat_id=supergroup.chat_id, text="hi"))[0] == 200
    async with Bot(TOKEN, base_url=emu.base_url) as bot:
        with pytest.raises(ChatMigrated) as caught:
            await bot.send_message(group.chat_id, "hello?")
        assert caught.value.new_chat_id == supergroup.chat_id


async def test_a_deleted_account(emu: Emulator, http: aiohttp.ClientSession) -> None:
    ana: TestUser = emu.user("Ana")
    _, sent = await call(http, emu, "sendMessage", chat_id=ana.chat_id, text="before")
    message_id = sent["result"]["message_id"]
    await ana.deactivate()
    deactivated = refusal(403, "Forbidden: user is deactivated")
    assert await call(http, emu, "sendMessage", chat_id=ana.chat_id, text="x") == deactivated
    assert await call(http, emu, "editMessageText", chat_id=ana.chat_id, message_id=message_id,
                      text="after") == deactivated
    assert await call(http, emu, "sendChatAction", chat_id=ana.chat_id,
                      action="typing") == deactivated
    assert await call(http, emu, "deleteMessage", chat_id=ana.chat_id,
                      message_id=message_id) == deactivated
    async with Bot(TOKEN, base_url=emu.base_url) as bot:
        with pytest.raises(Forbidden, match="user is deactivated"):
            await bot.send_message(ana.chat_id, "hello?")
    with pytest.raises(AssertionError, match="deleted their account"):
        await ana.send("I'm back")


async def test_messages_with_a_reply_keyboard_cannot_be_edited(
    emu: Emulator, http: aiohttp.ClientSession
) -> None:
    chat = emu.user("Ana").chat_id
    _, sent = await call(http, emu, "sendMessage", chat_id=chat, text="Share where you are",
                         reply_markup={"keyboard": [[{"text": "Here", "request_location": True}]]})
    message_id = sent["result"]["message_id"]
    assert await call(http, emu, "editMessageText", chat_id=chat, message_id=message_id,
                      text="Thanks") == refusal(400, "Bad Request: message can't be edited")


async def test_messages_older_than_an_edit_limit_cannot_be_edited(
    http: aiohttp.ClientSession,
) -> None:
    now = [1_800_000_000.0]
    async with Emulator(limits=None, wall_clock=lambda: now[0],
                        edit_time_limit=48 * 3600) as emu:
        chat = emu.user("Ana").chat_id
        _, sent = await call(http, emu, "sendMessage", chat_id=chat, text="old")
        message_id = sent["result"]["message_id"]
        now[0] += 48 * 3600 - 1
        assert (await call(http, emu, "editMessageText", chat_id=chat, message_id=message_id,
                           text="still fine"))[0] == 200
        now[0] += 1
        assert await call(http, emu, "editMessageText", chat_id=chat, message_id=message_id,
                          text="too late") == refusal(400, "Bad Request: message can't be edited")


async def test_form_encoded_calls_are_checked_the_same(
    emu: Emulator, http: aiohttp.ClientSession
) -> None:
    # PTB sends form fields: numbers and JSON as text, which Telegram reads the same way.
    chat = emu.user("Ana").chat_id
    form = {"chat_id": str(chat), "text": "t",
            "reply_markup": json.dumps(inline({"text": "", "callback_data": "x"}))}
    async with http.post(f"{emu.base_url}{TOKEN}/sendMessage", data=form) as response:
        assert (response.status, await response.json()) == refusal(
            400, "Bad Request: inline keyboard button text must be non-empty")
    async with http.post(f"{emu.base_url}{TOKEN}/setWebhook",
                         data={"url": "https://example.org/h", "max_connections": "500"}) as r:
        assert r.status == 400
