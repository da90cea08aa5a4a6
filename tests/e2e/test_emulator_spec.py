"""The emulator and its Bot API spec file agree: methods, parameters read, limits enforced."""

from __future__ import annotations

import ast
import json
import re
import tomllib
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    Update,
)

from bot.emulator import Emulator, FakeClock, methods_bot, methods_messages
from bot.emulator.apispec import SPEC, SPEC_FILE
from bot.emulator.driver import TINY_PNG
from bot.emulator.limits import Length, Limits, exclusive_fields, field_limits
from bot.emulator.params import Params, UploadedFile
from bot.emulator.server import METHODS
from bot.emulator.spec.extract import subset

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123456789:AAEhBOweik6ad9r_QXMENQjcrGbqCr4K-ZM"
ACCESSORS = {"has", "raw", "text", "integer", "flag", "obj", "upload"}


def _data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SPEC_FILE.read_text(encoding="utf-8"))
    return data


def test_the_spec_file_names_its_source_and_version() -> None:
    data = _data()
    assert data["version"] == "Bot API 10.1" and data["release_date"] == "June 11, 2026"
    assert re.fullmatch(r"[0-9a-f]{40}", data["commit"])
    assert data["source"] == (
        "https://github.com/PaulSonOfLars/telegram-bot-api-spec/blob/"
        f"{data['commit']}/api.json"
    )


def test_every_method_served_is_in_the_spec_and_the_spec_has_no_other() -> None:
    assert set(METHODS) == set(SPEC.methods)
    assert {name.lower() for name in _data()["methods"]} == set(METHODS)


def test_the_subset_holds_every_type_its_methods_take() -> None:
    # Extracting again from the file itself keeps all of it: no type it names is missing.
    data = _data()
    again = subset(data, set(METHODS), data["commit"])
    assert again["methods"] == data["methods"] and again["types"] == data["types"]


def _literal_reads(module: ModuleType) -> set[str]:
    assert module.__file__ is not None
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in ACCESSORS and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "p" and node.args
                and isinstance(node.args[0], ast.Constant)):
            names.add(str(node.args[0].value))
    return names


@pytest.mark.parametrize("module", [methods_bot, methods_messages])
def test_every_parameter_named_in_a_handler_is_declared(module: ModuleType) -> None:
    declared = {f for name in module.METHODS for f in SPEC.methods[name].fields}
    assert _literal_reads(module) <= declared


def test_a_handler_reading_an_undeclared_parameter_is_stopped() -> None:
    params = Params(values={"chat_id": 1}, declared=frozenset({"chat_id"}))
    assert params.integer("chat_id") == 1
    with pytest.raises(LookupError, match="reply_to_message_id"):
        params.has("reply_to_message_id")


async def test_every_method_runs_reading_only_declared_parameters() -> None:
    # emu.call() raises UndeclaredParameter itself, so each handler's reads are checked.
    async with Emulator(clock=FakeClock(), limits=None) as emu:
        ana = emu.user("Ana")
        chat = ana.chat_id
        keyboard = {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}

        async def ok(method: str, files: dict[str, UploadedFile] | None = None,
                     **values: Any) -> Any:
            status, body = await emu.call(method, Params(values=values, files=files or {}))
            assert status == 200, (method, body)
            return body["result"]

        sent = await ok("sendMessage", chat_id=chat, text="<b>hi</b>", parse_mode="HTML",
                        reply_markup=keyboard, reply_parameters={"message_id": 1},
                        link_preview_options={"is_disabled": True})
        await ok("editMessageText", chat_id=chat, message_id=sent["message_id"], text="x",
                 entities=[{"type": "bold", "offset": 0, "length": 1}])
        await ok("editMessageReplyMarkup", chat_id=chat, message_id=sent["message_id"],
                 reply_markup=keyboard)
        query = await ana.press("A")
        await ok("answerCallbackQuery", callback_query_id=query, text="t", show_alert=True,
                 url="https://t.me/backcoach_bot?start=x", cache_time=5)
        await ok("sendChatAction", chat_id=chat, action="typing")
        document = await ok("sendDocument", {"document": UploadedFile(b"x", "a.txt", "text/plain")},
                            chat_id=chat, caption="<i>c</i>", parse_mode="HTML")
        await ok("sendPhoto", {"photo": UploadedFile(TINY_PNG, "p.png", "image/png")},
                 chat_id=chat, caption="c", caption_entities=[], reply_markup=keyboard)
        await ok("sendDocument", chat_id=chat, document=document["document"]["file_id"])
        await ok("getFile", file_id=document["document"]["file_id"])
        await ok("deleteMessage", chat_id=chat, message_id=sent["message_id"])
        await ok("setMyCommands", commands=[{"command": "go", "description": "Go"}],
                 scope={"type": "chat", "chat_id": chat}, language_code="en")
        await ok("getMyCommands", scope={"type": "default"}, language_code="")
        await ok("deleteMyCommands", language_code="en")
        await ok("setWebhook", url="https://example.org/hook", secret_token="s3cret",
                 max_connections=5, allowed_updates=["message"], drop_pending_updates=True)
        await ok("getWebhookInfo")
        await ok("deleteWebhook", drop_pending_updates=True)
        await ok("getUpdates", offset=1, limit=5, timeout=0, allowed_updates=[])
        await ok("getMe")
        await ok("logOut")
        await ok("close")


async def test_the_bots_kind_of_calls_are_accepted() -> None:
    # What Backcoach sends through PTB (bot/telegram, bot/runner.py), made the same way.
    async with Emulator(clock=FakeClock(), limits=None) as emu:
        ana = emu.user("Ana")
        async with Bot(TOKEN, base_url=emu.base_url) as bot:
            assert await bot.set_my_commands([BotCommand("start", "Begin")], language_code=None)
            assert await bot.set_my_commands([BotCommand("start", "Começar")], language_code="pt")
            assert await bot.set_webhook("https://example.org/telegram", secret_token="abc_-1",
                                         allowed_updates=Update.ALL_TYPES, max_connections=40)
            assert await bot.delete_webhook()
            assert await bot.get_updates(offset=0, timeout=0, limit=1,
                                         allowed_updates=Update.ALL_TYPES) == ()
            markup = InlineKeyboardMarkup([[InlineKeyboardButton("Done", callback_data="1|d")]])
            sent = await bot.send_message(ana.chat_id, "<b>Step</b> 😀" * 500, parse_mode="HTML",
                                          reply_markup=markup)
            await bot.edit_message_text("Held", chat_id=ana.chat_id,
                                        message_id=sent.message_id, parse_mode="HTML",
                                        reply_markup=markup)
            await bot.send_photo(ana.chat_id, InputFile(TINY_PNG, filename="pain.png"),
                                 caption="Pain over time")
            await bot.send_document(ana.chat_id, InputFile(b"{}", filename="mydata.json"))
            query = await ana.press("Done")
            assert await bot.answer_callback_query(query, text="Saved")


def test_limits_are_read_from_the_descriptions() -> None:
    def limits(method: str, name: str) -> Limits:
        return SPEC.methods[method.lower()].fields[name].limits

    assert limits("sendMessage", "text").length == Length(1, 4096, "characters", True)
    assert limits("sendPhoto", "caption").length == Length(0, 1024, "characters", True)
    assert limits("answerCallbackQuery", "text").length == Length(0, 200, "characters", False)
    assert limits("setWebhook", "secret_token").length == Length(1, 256, "characters", False)
    assert limits("setWebhook", "max_connections").range == (1, 100)
    assert limits("getUpdates", "limit").range == (1, 100)
    assert limits("setMyCommands", "commands").max_items == 100
    assert limits("setMyCommands", "language_code").language_code
    assert limits("getUpdates", "allowed_updates").update_types
    assert limits("sendChatAction", "action").one_of == frozenset({
        "typing", "upload_photo", "record_video", "upload_video", "record_voice",
        "upload_voice", "upload_document", "choose_sticker", "find_location",
        "record_video_note", "upload_video_note",
    })
    photo = limits("sendPhoto", "photo")
    assert (photo.max_file_bytes, photo.max_width_plus_height, photo.max_ratio) == (
        10 << 20, 10000, 20)
    assert SPEC.upload_limit == 50 << 20
    button = SPEC.types["InlineKeyboardButton"]
    assert button.fields["callback_data"].limits.length == Length(1, 64, "bytes", False)
    assert button.fields["style"].limits.one_of == frozenset({"danger", "success", "primary"})
    assert button.exclusive is not None and button.exclusive.exactly
    assert "url" in button.exclusive.fields and "text" not in button.exclusive.fields
    assert SPEC.types["BotCommandScopeChat"].constant_type == "chat"
    assert "callback_query" in SPEC.update_types and "update_id" not in SPEC.update_types


def test_the_description_reader_on_its_own() -> None:
    assert field_limits("Anything at all").one_of is None
    assert field_limits("Links tg://user?id=<id> can be used to mention").one_of is None
    assert field_limits("Optional. Must be one of \"a\" (x), \"b\" or \"c\". Else.").one_of == (
        frozenset({"a", "b", "c"}))
    assert field_limits("Size, 2-9. Defaults to 3").range == (2, 9)
    rule = exclusive_fields("Exactly one of the fields html or markdown must be used.",
                            ["html", "markdown", "is_rtl"])
    assert rule is not None and rule.fields == ("html", "markdown")


def test_the_spec_file_ships_with_the_package() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    data = pyproject["tool"]["setuptools"]["package-data"]
    assert "*.json" in data["bot.emulator.spec"]
    assert SPEC_FILE.parent == ROOT / "bot" / "emulator" / "spec"
