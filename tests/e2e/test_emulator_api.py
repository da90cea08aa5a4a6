"""The emulator's HTTP API over real HTTP: envelopes, encodings, and Telegram's refusals."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, RetryAfter

from bot.emulator import Emulator, FakeClock, FloodLimits, TestUser

TOKEN = "123456789:AAEhBOweik6ad9r_QXMENQjcrGbqCr4K-ZM"
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)


@pytest.fixture
async def emu() -> AsyncIterator[Emulator]:
    async with Emulator(clock=FakeClock(), limits=None) as emulator:
        yield emulator


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=10) as client:
        yield client


@pytest.fixture
async def bot(emu: Emulator) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=emu.base_url) as ptb_bot:
        yield ptb_bot


async def call(
    http: httpx.AsyncClient, emu: Emulator, method: str, **params: Any
) -> tuple[int, dict[str, Any]]:
    """POST params as JSON and return (status, envelope)."""
    response = await http.post(f"{emu.base_url}{TOKEN}/{method}", json=params)
    return response.status_code, response.json()


async def refused(
    http: httpx.AsyncClient, emu: Emulator, method: str, status: int, description: str,
    **params: Any,
) -> None:
    """Assert the call is refused with exactly Telegram's status and wording."""
    code, body = await call(http, emu, method, **params)
    assert (code, body) == (
        status, {"ok": False, "error_code": status, "description": description}
    )


# -- envelope, tokens, encodings ---------------------------------------------------------------


async def test_bad_token_is_401_and_unknown_method_404(
    emu: Emulator, http: httpx.AsyncClient
) -> None:
    response = await http.post(f"{emu.base_url}12345/getMe")
    assert response.status_code == 401
    assert response.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}
    response = await http.post(f"{emu.base_url}{TOKEN}/sendMessagez")
    assert response.status_code == 404
    assert response.json() == {"ok": False, "error_code": 404, "description": "Not Found"}


async def test_get_me_uses_token_id_and_method_names_ignore_case(
    emu: Emulator, http: httpx.AsyncClient
) -> None:
    response = await http.get(f"{emu.base_url}{TOKEN}/GETME")
    body = response.json()
    assert body["ok"] is True
    assert body["result"]["id"] == 123456789
    assert body["result"]["is_bot"] is True
    assert body["result"]["username"] == "backcoach_bot"


async def test_all_four_encodings_are_understood(emu: Emulator, http: httpx.AsyncClient) -> None:
    ana = emu.user("Ana")
    markup = {"inline_keyboard": [[{"text": "Go", "callback_data": "go"}]]}
    url = f"{emu.base_url}{TOKEN}/sendMessage"
    as_json = await http.post(
        url, json={"chat_id": ana.chat_id, "text": "j", "reply_markup": markup}
    )
    as_form = await http.post(url, data={
        "chat_id": str(ana.chat_id), "text": "123", "reply_markup": json.dumps(markup),
        "disable_notification": "true",
    })
    as_query = await http.get(url, params={"chat_id": ana.chat_id, "text": "q"})
    as_multipart = await http.post(
        f"{emu.base_url}{TOKEN}/sendDocument",
        data={"chat_id": str(ana.chat_id), "caption": "true"},
        files={"document": ("notes.txt", b"hello", "text/plain")},
    )
    results = [r.json()["result"] for r in (as_json, as_form, as_query, as_multipart)]
    assert [r.get("text", r.get("caption")) for r in results] == ["j", "123", "q", "true"]
    assert results[0]["reply_markup"] == markup and results[1]["reply_markup"] == markup
    assert [r["message_id"] for r in results] == [1, 2, 3, 4]
    assert results[3]["document"]["file_name"] == "notes.txt"
    assert ana.documents[0].data == b"hello"


async def test_message_ids_are_per_chat_and_messages_parse_in_ptb(emu: Emulator, bot: Bot) -> None:
    ana, ben = emu.user("Ana"), emu.user("Ben")
    first = await bot.send_message(ana.chat_id, "one")
    await ana.send("hi")
    second = await bot.send_message(ana.chat_id, "two")
    other = await bot.send_message(ben.chat_id, "elsewhere")
    assert (first.message_id, second.message_id, other.message_id) == (1, 3, 1)
    assert second.from_user is not None and second.from_user.is_bot
    assert second.chat.id == ana.chat_id and second.text == "two"


async def test_html_becomes_plain_text_with_utf16_entities(emu: Emulator, bot: Bot) -> None:
    ana = emu.user("Ana")
    sent = await bot.send_message(
        ana.chat_id, "😀 <b>Bold</b> &amp; <a href='https://example.org'>link</a>",
        parse_mode="HTML",
    )
    assert sent.text == "😀 Bold & link"
    kinds = [(e.type, e.offset, e.length) for e in sent.entities]
    assert kinds == [("bold", 3, 4), ("text_link", 10, 4)]
    assert ana.last_bot_message is not None
    assert ana.last_bot_message.raw is not None and "<b>" in ana.last_bot_message.raw


# -- refusals ----------------------------------------------------------------------------------


async def test_text_refusals(emu: Emulator, http: httpx.AsyncClient) -> None:
    ana = emu.user("Ana")
    chat = ana.chat_id
    await refused(http, emu, "sendMessage", 400, "Bad Request: message text is empty", chat_id=chat)
    await refused(http, emu, "sendMessage", 400, "Bad Request: message text is empty",
                  chat_id=chat, text="  \n ")
    await refused(http, emu, "sendMessage", 400, "Bad Request: message text is empty",
                  chat_id=chat, text="<b> </b>", parse_mode="HTML")
    await refused(http, emu, "sendMessage", 400, "Bad Request: chat_id is empty", text="x")
    await refused(http, emu, "sendMessage", 400, "Bad Request: chat not found",
                  chat_id=42, text="x")
    await refused(http, emu, "sendMessage", 400, "Bad Request: unsupported parse_mode",
                  chat_id=chat, text="x", parse_mode="BBCode")


async def test_length_is_counted_in_characters_after_parsing(
    emu: Emulator, http: httpx.AsyncClient
) -> None:
    # Telegram (tdlib's utf8_length) counts characters, not UTF-16 units: 4,096 emoji pass.
    chat = emu.user("Ana").chat_id
    ok, _ = await call(http, emu, "sendMessage", chat_id=chat, text="😀" * 4096)
    assert ok == 200
    await refused(http, emu, "sendMessage", 400, "Bad Request: message is too long",
                  chat_id=chat, text="😀" * 4097)
    ok, _ = await call(http, emu, "sendMessage", chat_id=chat, text="<b>" + "a" * 4096 + "</b>",
                       parse_mode="HTML")
    assert ok == 200
    response = await http.post(
        f"{emu.base_url}{TOKEN}/sendDocument",
        data={"chat_id": str(chat), "caption": "c" * 1025},
        files={"document": ("a.txt", b"x", "text/plain")},
    )
    assert response.status_code == 400
    assert response.json()["description"] == "Bad Request: message caption is too long"


@pytest.mark.parametrize(
    ("html", "detail"),
    [
        ("Hi <foo>x</foo>", 'Unsupported start tag "foo" at byte offset 3'),
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        ("one</b>", "Unexpected end tag at byte offset 3"),
        ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
        ("ends with <", "Unclosed start tag at byte offset 10"),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("é<br>", 'Unsupported start tag "br" at byte offset 2'),
    ],
)
async def test_malformed_html_is_refused_like_telegram(
    emu: Emulator, http: httpx.AsyncClient, html: str, detail: str
) -> None:
    chat = emu.user("Ana").chat_id
    await refused(http, emu, "sendMessage", 400, f"Bad Request: can't parse entities: {detail}",
                  chat_id=chat, text=html, parse_mode="HTML")


async def test_markdown_v2_reserved_characters(emu: Emulator, http: httpx.AsyncClient) -> None:
    chat = emu.user("Ana").chat_id
    await refused(
        http, emu, "sendMessage", 400,
        "Bad Request: can't parse entities: Character '.' is reserved and must be escaped "
        "with the preceding '\\'",
        chat_id=chat, text="Done.", parse_mode="MarkdownV2",
    )
    code, body = await call(http, emu, "sendMessage", chat_id=chat, text="*Done*\\.",
                            parse_mode="MarkdownV2")
    assert code == 200 and body["result"]["text"] == "Done."


async def test_keyboard_refusals(emu: Emulator, http: httpx.AsyncClient) -> None:
    chat = emu.user("Ana").chat_id

    def keyboard(button: dict[str, Any]) -> dict[str, Any]:
        return {"inline_keyboard": [[button]]}

    for data in ("x" * 65, "", "é" * 33):
        markup = keyboard({"text": "B", "callback_data": data})
        await refused(http, emu, "sendMessage", 400, "Bad Request: BUTTON_DATA_INVALID",
                      chat_id=chat, text="t", reply_markup=markup)
    await refused(
        http, emu, "sendMessage", 400,
        "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the "
        "inline keyboard",
        chat_id=chat, text="t", reply_markup=keyboard({"text": "B"}),
    )
    code, _ = await call(http, emu, "sendMessage", chat_id=chat, text="t",
                         reply_markup=keyboard({"text": "B", "callback_data": "x" * 64}))
    assert code == 200


async def test_edit_and_delete_refusals(emu: Emulator, bot: Bot) -> None:
    ana = emu.user("Ana")
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Go", callback_data="go")]])
    sent = await bot.send_message(ana.chat_id, "<b>Hello</b>", parse_mode="HTML",
                                  reply_markup=markup)
    with pytest.raises(BadRequest) as caught:
        await bot.edit_message_text("<b>Hello</b>", ana.chat_id, sent.message_id,
                                    parse_mode="HTML", reply_markup=markup)
    assert caught.value.message == NOT_MODIFIED.removeprefix("Bad Request: ").capitalize()
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", ana.chat_id, 999)
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(ana.chat_id, 999)
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_reply_markup(ana.chat_id, sent.message_id, reply_markup=markup)
    # Same text but no keyboard is a real change.
    edited = await bot.edit_message_text("<b>Hello</b>", ana.chat_id, sent.message_id,
                                         parse_mode="HTML")
    assert not isinstance(edited, bool) and edited.edit_date is not None
    assert await bot.delete_message(ana.chat_id, sent.message_id)
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(ana.chat_id, sent.message_id)


async def test_exact_wording_of_edit_refusals(emu: Emulator, http: httpx.AsyncClient) -> None:
    chat = emu.user("Ana").chat_id
    _, body = await call(http, emu, "sendMessage", chat_id=chat, text="same")
    message_id = body["result"]["message_id"]
    await refused(http, emu, "editMessageText", 400, NOT_MODIFIED,
                  chat_id=chat, message_id=message_id, text="same")
    await refused(http, emu, "editMessageText", 400, "Bad Request: message to edit not found",
                  chat_id=chat, message_id=77, text="x")
    await refused(http, emu, "deleteMessage", 400, "Bad Request: message to delete not found",
                  chat_id=chat, message_id=77)


async def test_blocked_user_gets_403_for_sends_and_edits(emu: Emulator, bot: Bot) -> None:
    ana: TestUser = emu.user("Ana")
    sent = await bot.send_message(ana.chat_id, "before")
    await ana.block()
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(ana.chat_id, "after")
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.edit_message_text("changed", ana.chat_id, sent.message_id)
    status = [r.status for r in emu.requests_for(ana.chat_id)]
    assert status == [200, 403, 403]
    await ana.unblock()
    assert (await bot.send_message(ana.chat_id, "again")).text == "again"


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_flood_limits_per_chat_and_global() -> None:
    clock = FakeClock()
    limits = FloodLimits(per_chat_rate=0.5, per_chat_burst=3, global_rate=2.0, global_burst=5)
    async with (
        Emulator(clock=clock, limits=limits) as emu,
        Bot(TOKEN, base_url=emu.base_url) as bot,
    ):
        ana, ben, cid = emu.user("Ana"), emu.user("Ben"), emu.user("Cid")
        for _ in range(3):
            await bot.send_message(ana.chat_id, "x")
        with pytest.raises(RetryAfter) as caught:
            await bot.send_message(ana.chat_id, "x")
        assert caught.value.message == "Flood control exceeded. Retry in 2 seconds"
        clock.advance(2)
        await bot.send_message(ana.chat_id, "x")
        await bot.send_message(ben.chat_id, "x")
        # The global bucket (5, refilled by 4 over 2 s) is now at 4 tokens... spend them.
        await bot.send_message(ben.chat_id, "x")
        await bot.send_message(ben.chat_id, "x")
        await bot.send_message(cid.chat_id, "x")
        with pytest.raises(RetryAfter):
            await bot.send_message(cid.chat_id, "x")
        assert emu.rejected_429 == 2
        assert emu.max_requests_in_window(ana.chat_id, window=2.0) == 3


async def test_429_envelope_has_retry_after(http: httpx.AsyncClient) -> None:
    limits = FloodLimits(per_chat_rate=1.0, per_chat_burst=1, global_rate=30, global_burst=30)
    async with Emulator(clock=FakeClock(), limits=limits) as emu:
        chat = emu.user("Ana").chat_id
        assert (await call(http, emu, "sendMessage", chat_id=chat, text="a"))[0] == 200
        code, body = await call(http, emu, "sendMessage", chat_id=chat, text="b")
        assert code == 429
        assert body == {
            "ok": False, "error_code": 429, "description": "Too Many Requests: retry after 1",
            "parameters": {"retry_after": 1},
        }


async def test_chat_action_commands_and_requests_are_recorded(emu: Emulator, bot: Bot) -> None:
    ana = emu.user("Ana")
    assert await bot.send_chat_action(ana.chat_id, "typing")
    with pytest.raises(BadRequest, match="Wrong parameter action"):
        await bot.send_chat_action(ana.chat_id, "dancing")
    assert await bot.set_my_commands([("start", "Begin"), ("help", "Help")])
    commands = await bot.get_my_commands()
    assert [(c.command, c.description) for c in commands] == [("start", "Begin"), ("help", "Help")]
    assert emu.my_commands() == [
        {"command": "start", "description": "Begin"}, {"command": "help", "description": "Help"}
    ]
    with pytest.raises(BadRequest, match="Bot_command_invalid"):
        await bot.set_my_commands([("Start Now", "x")])
    assert await bot.delete_my_commands()
    assert await bot.get_my_commands() == ()
    methods = [r.method for r in emu.requests]
    assert methods[0] == "getMe" and "sendChatAction" in methods


async def test_reply_parameters_link_previews_and_markup_edits(
    emu: Emulator, bot: Bot, http: httpx.AsyncClient
) -> None:
    ana = emu.user("Ana")
    question = await ana.send("question?")
    code, body = await call(
        http, emu, "sendMessage", chat_id=ana.chat_id, text="answer https://example.org",
        reply_parameters={"message_id": question}, link_preview_options={"is_disabled": True},
        disable_notification=True,
    )
    assert code == 200 and body["result"]["reply_to_message"]["text"] == "question?"
    code, body = await call(http, emu, "sendMessage", chat_id=ana.chat_id, text="x",
                            reply_parameters={"message_id": 999})
    assert code == 200 and "reply_to_message" not in body["result"]
    with pytest.raises(BadRequest, match="Message can't be edited"):
        await bot.edit_message_text("mine now", ana.chat_id, question)
    sent = await bot.send_message(ana.chat_id, "pick",
                                  reply_markup=InlineKeyboardMarkup.from_button(
                                      InlineKeyboardButton("A", callback_data="a")))
    edited = await bot.edit_message_reply_markup(ana.chat_id, sent.message_id)
    assert not isinstance(edited, bool) and edited.reply_markup is None
    assert ana.messages[sent.message_id].buttons == ()
    assert [e.kind for e in ana.transcript][-2:] == ["text", "edit"]


async def test_start_again_moves_the_server() -> None:
    async with Emulator(limits=None) as emu, httpx.AsyncClient() as http:
        first = emu.base_url
        await emu.start(port=0)
        assert (await http.get(f"{emu.base_url}{TOKEN}/getMe")).status_code == 200
        if emu.base_url != first:  # the OS may hand out the same free port again
            with pytest.raises(httpx.ConnectError):
                await http.get(f"{first}{TOKEN}/getMe")


async def test_bot_cannot_write_first_to_someone_who_never_started_it(
    emu: Emulator, bot: Bot
) -> None:
    ana = emu.user("Ana", started=False)
    with pytest.raises(Forbidden, match="bot can't initiate conversation with a user"):
        await bot.send_message(ana.chat_id, "hello?")
    await ana.send("/start")
    assert (await bot.send_message(ana.chat_id, "hello!")).text == "hello!"
