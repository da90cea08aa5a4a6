"""getUpdates (offsets, long polling, filters) and webhook delivery against the emulator."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from aiohttp import web
from telegram import Bot
from telegram.error import Conflict

from bot.emulator import Emulator, FakeClock

TOKEN = "987654321:AAH3xYvVb_exampleTokenForEmulator01"


@pytest.fixture
async def emu() -> AsyncIterator[Emulator]:
    async with Emulator(clock=FakeClock(), limits=None, webhook_retry_delays=(0, 0, 0)) as e:
        yield e


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=30) as client:
        yield client


async def get_updates(http: httpx.AsyncClient, emu: Emulator, **params: Any) -> Any:
    response = await http.post(f"{emu.base_url}{TOKEN}/getUpdates", json=params)
    return response.status_code, response.json()


async def texts(http: httpx.AsyncClient, emu: Emulator, **params: Any) -> list[str]:
    status, body = await get_updates(http, emu, **params)
    assert status == 200, body
    return [u["message"]["text"] for u in body["result"]]


async def test_update_ids_can_go_on_from_an_earlier_emulator(http: httpx.AsyncClient) -> None:
    async with Emulator(clock=FakeClock(), limits=None, first_update_id=5001) as emu:
        await emu.user("Ana").send("hello again")
        _, body = await get_updates(http, emu)
    assert [u["update_id"] for u in body["result"]] == [5001]


async def test_offsets_confirm_like_telegram(emu: Emulator, http: httpx.AsyncClient) -> None:
    ana = emu.user("Ana")
    for word in ("a", "b", "c", "d"):
        await ana.send(word)
    _, body = await get_updates(http, emu)
    ids = [u["update_id"] for u in body["result"]]
    assert ids == sorted(ids) and len(ids) == 4
    # Without an offset nothing is confirmed: the same updates come again.
    assert await texts(http, emu) == ["a", "b", "c", "d"]
    assert await texts(http, emu, limit=2) == ["a", "b"]
    assert await texts(http, emu, offset=ids[1]) == ["b", "c", "d"]
    # The confirmed update is gone for good.
    assert await texts(http, emu) == ["b", "c", "d"]
    assert await texts(http, emu, offset=-1) == ["d"]
    assert await texts(http, emu) == ["d"]
    assert await texts(http, emu, offset=ids[3] + 1) == []
    assert emu.pending_updates() == []


async def test_long_poll_wakes_as_soon_as_an_update_arrives(
    emu: Emulator, http: httpx.AsyncClient
) -> None:
    ana = emu.user("Ana")
    loop = asyncio.get_running_loop()
    started = loop.time()
    poll = asyncio.create_task(texts(http, emu, timeout=30))
    queue = emu.world.queue
    assert await queue.changed.wait_until(lambda: queue.polling > 0, 5)
    assert not poll.done()
    await ana.send("wake up")
    assert await asyncio.wait_for(poll, 5) == ["wake up"]
    assert loop.time() - started < 5


async def test_long_poll_with_nothing_to_send_returns_empty_after_its_timeout(
    emu: Emulator, http: httpx.AsyncClient
) -> None:
    assert await texts(http, emu, timeout=0) == []


async def test_newer_poll_terminates_older_with_409(emu: Emulator, http: httpx.AsyncClient) -> None:
    older = asyncio.create_task(get_updates(http, emu, timeout=30))
    queue = emu.world.queue
    assert await queue.changed.wait_until(lambda: queue.polling > 0, 5)
    assert (await get_updates(http, emu, timeout=0))[1]["ok"] is True
    status, body = await asyncio.wait_for(older, 5)
    assert status == 409
    assert body["description"] == (
        "Conflict: terminated by other getUpdates request; make sure that only one bot "
        "instance is running"
    )


async def test_allowed_updates_filters_new_updates(emu: Emulator, http: httpx.AsyncClient) -> None:
    ana = emu.user("Ana")
    await ana.send("first")
    await get_updates(http, emu, allowed_updates=["callback_query"])
    await ana.send("filtered away")
    _, body = await get_updates(http, emu, allowed_updates=[])
    assert [u["message"]["text"] for u in body["result"]] == ["first"]
    await ana.send("default again")
    assert await texts(http, emu) == ["first", "default again"]


async def test_user_actions_produce_updates_ptb_understands(emu: Emulator) -> None:
    ana = emu.user("Ana", language_code="pt")
    group = emu.group("Back club", members=[ana])
    channel = emu.channel("News", username="backnews")
    message_id = await ana.send("/start now")
    await ana.edit(message_id, "/start later")
    await ana.send_sticker()
    await ana.send_photo(caption="my desk")
    await ana.send_voice()
    await ana.send_location(38.7, -9.1)
    await ana.send_contact("+351000")
    await group.send(ana, "hello group")
    await channel.post("news!")
    await ana.block()
    async with Bot(TOKEN, base_url=emu.base_url) as bot:
        updates = await bot.get_updates()
        assert updates[0].message is not None and updates[0].message.text == "/start now"
        assert updates[0].message.entities[0].type == "bot_command"
        assert updates[0].effective_user is not None
        assert updates[0].effective_user.language_code == "pt"
        assert updates[1].edited_message is not None
        assert updates[1].edited_message.text == "/start later"
        kinds = [u.message for u in updates[2:7]]
        assert all(m is not None for m in kinds)
        assert kinds[0] is not None and kinds[0].sticker is not None
        assert kinds[1] is not None and kinds[1].photo and kinds[1].caption == "my desk"
        assert kinds[2] is not None and kinds[2].voice is not None
        assert kinds[3] is not None and kinds[3].location is not None
        assert kinds[4] is not None and kinds[4].contact is not None
        assert updates[7].message is not None and updates[7].message.chat.type == "group"
        assert updates[8].channel_post is not None
        assert updates[8].channel_post.chat.username == "backnews"
        member = updates[9].my_chat_member
        assert member is not None and member.new_chat_member.status == "kicked"
        await bot.get_updates(offset=updates[-1].update_id + 1)
        await bot.send_message(group.chat_id, "hi all")
        await bot.send_message("@backnews", "to the channel")
    assert group.bot_texts == ["hi all"] and channel.bot_texts == ["to the channel"]


async def test_wait_delivered_returns_once_the_bot_confirmed(
    emu: Emulator, http: httpx.AsyncClient
) -> None:
    ana = emu.user("Ana")
    await ana.send("one")
    waiter = asyncio.create_task(emu.wait_delivered(timeout=5))
    _, body = await get_updates(http, emu)
    assert not waiter.done()
    await get_updates(http, emu, offset=body["result"][-1]["update_id"] + 1)
    await asyncio.wait_for(waiter, 5)
    with pytest.raises(AssertionError, match="did not fetch 1 pending"):
        await ana.send("two")
        await emu.wait_delivered(timeout=0.01)


class Receiver:
    """A tiny webhook endpoint that records what it gets and can fail on purpose."""

    def __init__(self, failures: int = 0, reply: dict[str, Any] | None = None) -> None:
        self.failures = failures
        self.reply = reply
        self.received: list[tuple[dict[str, Any], str | None]] = []
        self.arrived = asyncio.Event()
        self.attempts = 0

    async def handle(self, request: web.Request) -> web.Response:
        self.attempts += 1
        if self.failures:
            self.failures -= 1
            return web.Response(status=500)
        body = await request.json()
        self.received.append((body, request.headers.get("X-Telegram-Bot-Api-Secret-Token")))
        self.arrived.set()
        if self.reply is not None:
            return web.json_response(self.reply)
        return web.Response(text="ok")


@pytest.fixture
async def receiver() -> AsyncIterator[tuple[Receiver, str]]:
    target = Receiver()
    app = web.Application()
    app.router.add_post("/hook", target.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    port = runner.addresses[0][1]
    yield target, f"http://127.0.0.1:{port}/hook"
    await runner.cleanup()


async def test_webhook_blocks_get_updates_and_delivers_with_secret(
    emu: Emulator, http: httpx.AsyncClient, receiver: tuple[Receiver, str]
) -> None:
    target, url = receiver
    target.failures = 2
    ana = emu.user("Ana")
    await ana.send("queued before the webhook")
    async with Bot(TOKEN, base_url=emu.base_url) as bot:
        assert await bot.set_webhook(url, secret_token="s3cr3t_token")
        with pytest.raises(Conflict, match="can't use getUpdates method while webhook is active"):
            await bot.get_updates()
        status, body = await get_updates(http, emu)
        assert (status, body["description"]) == (
            409,
            "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook "
            "to delete the webhook first",
        )
        await ana.send("second")
        await emu.wait_delivered(timeout=5)
        got = [(u["message"]["text"], secret) for u, secret in target.received]
        assert got == [("queued before the webhook", "s3cr3t_token"), ("second", "s3cr3t_token")]
        assert target.attempts == 4
        info = await bot.get_webhook_info()
        assert info.url == url and info.pending_update_count == 0
        assert info.last_error_message is not None and "500" in info.last_error_message
        assert await bot.delete_webhook()
        await ana.send("polling again")
        assert [u.message.text for u in await bot.get_updates() if u.message] == ["polling again"]


async def test_webhook_answer_can_carry_a_method_call(
    emu: Emulator, receiver: tuple[Receiver, str]
) -> None:
    target, url = receiver
    ana = emu.user("Ana")
    target.reply = {"method": "sendMessage", "chat_id": ana.chat_id, "text": "from the hook"}
    async with Bot(TOKEN, base_url=emu.base_url) as bot:
        await bot.set_webhook(url)
        await ana.send("ping")
        reply = await ana.expect("from the hook", timeout=5)
        assert reply.who == "bot"


async def test_set_webhook_descriptions_and_drop_pending(
    emu: Emulator, http: httpx.AsyncClient
) -> None:
    ana = emu.user("Ana")
    await ana.send("old")
    url = f"{emu.base_url}{TOKEN}"
    response = await http.post(f"{url}/setWebhook", json={
        "url": "https://example.invalid/hook", "drop_pending_updates": True,
    })
    assert response.json() == {"ok": True, "result": True, "description": "Webhook was set"}
    assert emu.pending_updates() == []
    response = await http.post(f"{url}/deleteWebhook")
    assert response.json()["description"] == "Webhook was deleted"
    response = await http.post(f"{url}/deleteWebhook")
    assert response.json()["description"] == "Webhook is already deleted"
    response = await http.post(f"{url}/setWebhook", json={"url": "ftp://nope"})
    assert response.status_code == 400
