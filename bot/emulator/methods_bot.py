"""Bot API methods about the bot itself: identity, updates, webhooks, commands, queries."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from .errors import QUERY_TOO_OLD, bad_request
from .model import CallbackAnswer, TranscriptEntry
from .params import Params
from .updates import MAX_POLL_TIMEOUT
from .world import World

QUERY_LIFETIME = 15.0
_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


@dataclass(frozen=True)
class Described:
    """A result that Telegram sends together with a human-readable description."""

    result: Any
    description: str


async def get_me(world: World, p: Params) -> Any:
    """getMe."""
    return {
        **world.bot_user(),
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


async def get_updates(world: World, p: Params) -> Any:
    """getUpdates with offset, limit, timeout (long polling) and allowed_updates."""
    allowed = p.obj("allowed_updates")
    if isinstance(allowed, list):
        world.queue.set_allowed([str(kind) for kind in allowed])
    # limit was held to the spec's 1-100 with the call (Telegram would clamp it); the spec
    # states no bound for timeout, so it is clamped as Telegram does.
    timeout = max(0, min(MAX_POLL_TIMEOUT, p.integer("timeout", 0) or 0))
    return await world.queue.long_poll(p.integer("offset"), p.integer("limit", 100) or 100,
                                       timeout)


async def answer_callback_query(world: World, p: Params) -> Any:
    """answerCallbackQuery: only once per query and within 15 s of the press."""
    query_id = p.text("callback_query_id") or ""
    query = world.queries.get(query_id)
    if query is None or query.answered or world.clock() - query.created > QUERY_LIFETIME:
        raise bad_request(QUERY_TOO_OLD.removeprefix("Bad Request: "))
    text = p.text("text") or ""  # its 0-200 characters were checked with the call
    query.answered = True
    answer = CallbackAnswer(query_id, text, p.flag("show_alert"), p.text("url"))
    chat = world.chats[query.chat_id]
    chat.callback_answers.append(answer)
    world.log(chat, TranscriptEntry(who="bot", kind="callback_answer", text=text, data=query_id))
    return True


def _commands_key(p: Params) -> str:
    scope = p.obj("scope")
    if not isinstance(scope, dict):
        scope = {"type": "default"}
    return json.dumps(scope, sort_keys=True) + "|" + (p.text("language_code") or "")


async def set_my_commands(world: World, p: Params) -> Any:
    """setMyCommands; shapes, lengths, scope and language were checked with the call."""
    commands = p.obj("commands")
    checked: list[dict[str, str]] = []
    for item in commands:
        command, description = str(item["command"]), str(item["description"])
        # "Can contain only lowercase English letters, digits and underscores": the servers'.
        if not _COMMAND.match(command):
            raise bad_request("BOT_COMMAND_INVALID")
        checked.append({"command": command, "description": description})
    world.commands[_commands_key(p)] = checked
    return True


async def get_my_commands(world: World, p: Params) -> Any:
    """getMyCommands."""
    return world.commands.get(_commands_key(p), [])


async def delete_my_commands(world: World, p: Params) -> Any:
    """deleteMyCommands."""
    world.commands.pop(_commands_key(p), None)
    return True


async def set_webhook(world: World, p: Params) -> Any:
    """setWebhook; an empty url removes the webhook as Telegram allows."""
    url = p.text("url") or ""
    if not url:
        return await delete_webhook(world, p)
    # Real Telegram insists on HTTPS; plain HTTP is allowed here so tests can use loopback.
    if not re.match(r"^https?://[^\s/]+", url, re.IGNORECASE):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    secret = p.text("secret_token")
    if secret is not None and not _SECRET.match(secret):
        raise bad_request("secret token contains unallowed characters")
    if p.flag("drop_pending_updates"):
        world.queue.drop_all()
    allowed = p.obj("allowed_updates")
    if isinstance(allowed, list):
        world.queue.set_allowed([str(kind) for kind in allowed])
        world.webhook.allowed_updates = [str(kind) for kind in allowed]
    world.webhook.max_connections = p.integer("max_connections", 40) or 40
    already = world.webhook.url == url and world.webhook.secret == secret
    await world.webhook.configure(url, secret)
    return Described(True, "Webhook is already set" if already else "Webhook was set")


async def delete_webhook(world: World, p: Params) -> Any:
    """deleteWebhook."""
    if p.flag("drop_pending_updates"):
        world.queue.drop_all()
    was_set = world.webhook.active
    await world.webhook.configure("", None)
    return Described(True, "Webhook was deleted" if was_set else "Webhook is already deleted")


async def get_webhook_info(world: World, p: Params) -> Any:
    """getWebhookInfo."""
    return world.webhook.info()


async def close(world: World, p: Params) -> Any:
    """close: nothing to hand over locally, so it just succeeds."""
    return True


async def log_out(world: World, p: Params) -> Any:
    """logOut: remembered so tests can see the bot did it."""
    world.logged_out = True
    return True


async def get_file(world: World, p: Params) -> Any:
    """getFile: a path under file_base_url from which the bytes can be downloaded."""
    stored = world.files.get(p.text("file_id") or "")
    if stored is None:
        raise bad_request("invalid file_id")
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": stored.size,
        "file_path": f"{stored.kind}s/file_{stored.file_id}",
    }


METHODS = {
    "getme": get_me,
    "getupdates": get_updates,
    "answercallbackquery": answer_callback_query,
    "setmycommands": set_my_commands,
    "getmycommands": get_my_commands,
    "deletemycommands": delete_my_commands,
    "setwebhook": set_webhook,
    "deletewebhook": delete_webhook,
    "getwebhookinfo": get_webhook_info,
    "close": close,
    "logout": log_out,
    "getfile": get_file,
}
