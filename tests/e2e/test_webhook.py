"""Webhook mode in this process: the secret, bad requests, redelivery, health and metrics."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest
from sqlalchemy import event, func, select, text

from bot.app.clock import ManualClock
from bot.app.wiring import Deps
from bot.config.settings import Settings, SettingsError, load_settings
from bot.emulator import Emulator
from bot.web.health import READY_EVERY
from storage.models import ProcessedUpdateRow
from tests.e2e.conftest import StartBot
from tests.e2e.test_onboarding import onboard
from tests.e2e.webhooks import PATH, get, post, webhook_bot


def an_update(update_id: int, user_id: int, text_: str) -> dict[str, object]:
    """A private text message as Telegram posts it."""
    person = {"id": user_id, "is_bot": False, "first_name": "Zoe"}
    return {"update_id": update_id, "message": {
        "message_id": 1, "date": 1_767_600_000, "text": text_,
        "chat": {"id": user_id, "type": "private", "first_name": "Zoe"}, "from": person,
        **({"entities": [{"type": "bot_command", "offset": 0, "length": len(text_)}]}
           if text_.startswith("/") else {})}}


async def processed(bot_deps: Deps, update_id: int) -> int:
    async with bot_deps.engine.connect() as connection:
        return int((await connection.execute(select(func.count()).where(
            ProcessedUpdateRow.update_id == update_id))).scalar_one())


async def test_people_are_served_through_the_webhook(emulator: Emulator,
                                                     database_url: str) -> None:
    async with webhook_bot(emulator, database_url) as bot:
        assert emulator.world.webhook.url == f"{bot.base}{PATH}"
        assert emulator.world.webhook.secret == bot.secret and len(bot.secret) >= 32
        ana = emulator.user("Ana")
        await onboard(ana)
        await ana.send_and_wait("/ask Can I swim?", contains="Saved")
        assert emulator.world.webhook.deliveries >= 6  # the last answer may still be going
        assert emulator.world.webhook.last_error_message is None


async def test_the_secret_is_checked_before_anything_is_read(emulator: Emulator,
                                                             database_url: str) -> None:
    async with webhook_bot(emulator, database_url) as bot:
        url = bot.base + PATH
        zed = emulator.user("Zed")
        body = json.dumps(an_update(7001, zed.user_id, "/start"))
        assert (await post(url, body, None))[0] == 403
        assert (await post(url, body, "wrong-secret"))[0] == 403
        assert (await post(url, body, bot.secret[:-1]))[0] == 403
        assert await processed(bot.deps, 7001) == 0
        assert zed.bot_texts == []
        status, _ = await post(url, body, bot.secret)
        assert status == 200 and await processed(bot.deps, 7001) == 1
        assert any("Before we start" in t for t in zed.bot_texts)


async def test_malformed_and_oversized_bodies_are_refused(
        emulator: Emulator, database_url: str, caplog: pytest.LogCaptureFixture) -> None:
    async with webhook_bot(emulator, database_url, webhook_max_body_bytes=4096) as bot:
        url = bot.base + PATH
        for junk in ("{not json", "[1, 2]", '{"update_id": "x"}', '"secret text 123"'):
            assert (await post(url, junk, bot.secret))[0] == 400
        huge = json.dumps(an_update(7002, 556, "x" * 10_000))
        assert (await post(url, huge, bot.secret))[0] == 413
        assert await processed(bot.deps, 7002) == 0
        logged = "\n".join(r.getMessage() for r in caplog.records)
        assert "not a Telegram update" in logged and "secret text 123" not in logged


async def test_deep_nesting_and_bodies_that_are_not_json_are_refused(
        emulator: Emulator, database_url: str, caplog: pytest.LogCaptureFixture) -> None:
    async with webhook_bot(emulator, database_url) as bot:
        url = bot.base + PATH
        depth = 100_000  # far past Python's recursion limit: json.loads raised RecursionError
        deep = '{"update_id": 7003, "message": ' + "[" * depth + "]" * depth + "}"
        assert (await post(url, deep, bot.secret))[0] == 400
        body = json.dumps(an_update(7004, emulator.user("Yan").user_id, "/start"))
        for wrong in ("text/plain", "application/x-www-form-urlencoded",
                      "application/octet-stream"):
            assert (await post(url, body, bot.secret, content_type=wrong))[0] == 415, wrong
        assert await processed(bot.deps, 7004) == 0
        status, _ = await post(url, body, bot.secret,
                               content_type="application/json; charset=utf-8")
        assert status == 200 and await processed(bot.deps, 7004) == 1
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_a_redelivered_update_is_applied_once(emulator: Emulator,
                                                    database_url: str) -> None:
    async with webhook_bot(emulator, database_url) as bot:
        url = bot.base + PATH
        zoe = emulator.user("Zoe")
        body = json.dumps(an_update(7100, zoe.user_id, "/start"))
        answers = await asyncio.gather(*(post(url, body, bot.secret) for _ in range(3)))
        assert [status for status, _ in answers] == [200, 200, 200]
        assert (await post(url, body, bot.secret))[0] == 200  # a day later, say
        assert await processed(bot.deps, 7100) == 1
        welcomes = [t for t in zoe.bot_texts if "Before we start" in t]
        assert len(welcomes) == 1


async def test_health_readiness_and_metrics(emulator: Emulator, database_url: str) -> None:
    clock = ManualClock()
    async with webhook_bot(emulator, database_url, clock=clock) as bot:
        assert await get(bot.health + "/healthz") == (200, "ok\n")
        assert await get(bot.health + "/readyz") == (200, "ready\n")
        bea = emulator.user("Bea")
        await onboard(bea)
        await bea.send_and_wait("I have numbness in my arm since this morning", contains="today")
        await emulator.wait_delivered()  # every webhook request answered: handling is over
        status, metrics = await get(bot.health + "/metrics")
        assert status == 200
        lines = dict(line.rsplit(" ", 1) for line in metrics.splitlines()
                     if line and not line.startswith("#"))
        assert float(lines['backcoach_updates_total{kind="command"}']) >= 1
        assert float(lines['backcoach_updates_total{kind="press"}']) >= 5
        assert float(lines['backcoach_escalations_total{level="urgent"}']) == 1
        assert float(lines['backcoach_escalations_total{level="emergency"}']) == 0
        assert float(lines["backcoach_update_seconds_count"]) >= 7
        assert 'backcoach_reminders_total{outcome="sent"}' in lines
        assert "backcoach_telegram_429_total" in lines
        assert float(lines["backcoach_rate_limit_wait_seconds_total"]) >= 0
        assert "backcoach_errors_total" in lines
        for private in ("numbness", "Bea", str(bea.user_id)):
            assert private not in metrics

        # The schema behind: not ready (a replica started before `backcoach migrate`),
        # once the last answer (a few seconds old at most) is due to be asked again.
        async with bot.deps.engine.begin() as connection:
            await connection.execute(text("UPDATE alembic_version SET version_num = '0005'"))
        clock.advance(seconds=READY_EVERY.total_seconds())
        status, why = await get(bot.health + "/readyz")
        assert (status, why) == (503, "database schema not current\n")
        assert (await get(bot.health + "/healthz"))[0] == 200  # still alive


async def test_the_public_port_serves_only_the_webhook(emulator: Emulator,
                                                       database_url: str) -> None:
    """Health and metrics (warning signs counted by level) have a listener of their own."""
    async with webhook_bot(emulator, database_url) as bot:
        for path in ("/healthz", "/readyz", "/metrics"):
            assert (await get(bot.base + path))[0] == 404, path
            assert (await get(bot.health + path))[0] == 200, path
    assert Settings.model_fields["health_host"].default == "127.0.0.1"
    with pytest.raises(SettingsError, match="HEALTH_PORT: must differ from WEBHOOK_PORT"):
        load_settings(webhook_url="https://bot.example.org/tg", webhook_port=8080,
                      health_port=8080)


async def test_readiness_asks_the_database_at_most_every_few_seconds(
        emulator: Emulator, database_url: str) -> None:
    clock = ManualClock()
    async with webhook_bot(emulator, database_url, clock=clock) as bot:
        asked: list[str] = []

        def note(conn: object, cursor: object, statement: str, *args: object) -> None:
            if "alembic_version" in statement:
                asked.append(statement)

        event.listen(bot.deps.engine.sync_engine, "before_cursor_execute", note)
        try:
            answers = await asyncio.gather(*(get(bot.health + "/readyz") for _ in range(50)))
            assert answers == [(200, "ready\n")] * 50
            assert len(asked) == 1  # 50 requests at once: one question
            clock.advance(seconds=READY_EVERY.total_seconds() - 1)
            assert await get(bot.health + "/readyz") == (200, "ready\n")
            assert len(asked) == 1
            clock.advance(seconds=1)
            assert await get(bot.health + "/readyz") == (200, "ready\n")
            assert len(asked) == 2
        finally:
            event.remove(bot.deps.engine.sync_engine, "before_cursor_execute", note)


async def test_the_emulator_delivers_chats_in_parallel_and_each_chat_in_order() -> None:
    """Like Telegram: up to max_connections requests at once, one chat's one at a time."""
    from aiohttp import web
    from telegram import Bot

    from tests.e2e.conftest import TOKEN
    from tests.e2e.webhooks import free_port

    arrivals: list[tuple[str, int]] = []
    open_per_chat: dict[int, int] = {}
    overlap_in_a_chat = False
    most = 0

    async def slow(request: web.Request) -> web.Response:
        nonlocal overlap_in_a_chat, most
        update = await request.json()
        chat = update["message"]["chat"]["id"]
        open_per_chat[chat] = open_per_chat.get(chat, 0) + 1
        overlap_in_a_chat |= open_per_chat[chat] > 1
        most = max(most, sum(open_per_chat.values()))
        arrivals.append((update["message"]["text"], chat))
        await asyncio.sleep(0.05)  # a handler at work
        open_per_chat[chat] -= 1
        return web.Response()

    app = web.Application()
    app.router.add_post(PATH, slow)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        async with Emulator() as emulator:
            await emulator.start()
            people = [emulator.user(f"P{n}") for n in range(4)]
            async with Bot(TOKEN, base_url=emulator.base_url) as bot:
                await bot.set_webhook(f"http://127.0.0.1:{port}{PATH}", max_connections=3)
            for n in range(3):
                for person in people:
                    await person.send(f"{person.name} says {n}")
            await emulator.wait_delivered()
    finally:
        await runner.cleanup()
    assert not overlap_in_a_chat and most == 3
    for person in people:
        said = [text for text, chat in arrivals if chat == person.user_id]
        assert said == [f"{person.name} says {n}" for n in range(3)]


async def test_polling_serves_health_and_metrics_when_asked(
        start_bot: StartBot, database_url: str, emulator: Emulator) -> None:
    from tests.e2e.webhooks import free_port

    port = free_port()
    serve = start_bot(database_url, health_port=port, webhook_host="127.0.0.1")
    async with serve:
        assert emulator.world.webhook.url == ""  # still polling
        assert await get(f"http://127.0.0.1:{port}/healthz") == (200, "ok\n")
        assert await get(f"http://127.0.0.1:{port}/readyz") == (200, "ready\n")
        eve = emulator.user("Eve")
        await eve.send_and_wait("/start", contains="I understand")
        status, metrics = await get(f"http://127.0.0.1:{port}/metrics")
        assert status == 200 and 'backcoach_updates_total{kind="command"} 1.0' in metrics
        assert (await post(f"http://127.0.0.1:{port}{PATH}", "{}", None))[0] == 404  # no webhook
