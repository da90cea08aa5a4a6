"""`backcoach run` in webhook mode as real processes: SIGTERM in the middle of a session,
readiness with the database down, and two replicas behind a load balancer."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.emulator import Emulator, TestUser
from storage.db import make_engine
from tests.balancer import RoundRobin
from tests.e2e.conftest import TOKEN, migrated_postgres
from tests.e2e.test_onboarding import onboard
from tests.e2e.webhooks import WebhookProcess, get
from tests.storage.databases import postgres_server_url

pytestmark = pytest.mark.postgres


async def a_session(user: TestUser) -> None:
    """Into a session and a few steps on, with buttons only (no timed holds)."""
    await user.send_and_wait("/exercise", contains="Before you start")
    await user.press_and_wait("I'm ready", contains="How much does your back hurt")
    await user.press_and_wait("3", contains="Exercise 1 of")
    await user.press_and_wait("I'm in position")
    await user.press_and_wait("Skip exercise", contains="Exercise 2 of")


async def test_sigterm_mid_session_loses_nothing_and_the_session_resumes(
        emulator: Emulator, postgres_url: str, tmp_path: Path) -> None:
    bot = WebhookProcess(emulator, postgres_url, tmp_path)
    try:
        await bot.start()
        cai = emulator.user("Cai")
        await onboard(cai)
        await a_session(cai)
        code, took = await bot.terminate()
        assert code == 0 and took < 10, (code, took, bot.log.read_text()[-2000:])
        assert "Traceback" not in bot.log.read_text()
        # While it is down, Cai goes on; Telegram keeps the update until a bot answers.
        await cai.press("I'm in position")
        await bot.start()
        await cai.expect("Repetition 1 of")  # the press made while it was down, applied
        await cai.send_and_wait("/exercise", contains="carry on")
    finally:
        await bot.kill()


async def readiness_becomes(bot: WebhookProcess, status: int) -> str:
    """What /readyz says once it answers `status` (within twice its caching interval)."""
    for _ in range(100):
        answer, why = await get(bot.health + "/readyz")
        if answer == status:
            return why
        await asyncio.sleep(0.1)
    raise AssertionError(f"/readyz never answered {status}")


async def test_readiness_follows_the_database(emulator: Emulator, postgres_url: str,
                                              tmp_path: Path) -> None:
    bot = WebhookProcess(emulator, postgres_url, tmp_path)
    name = make_url(postgres_url).database
    admin = make_engine(postgres_server_url())
    try:
        await bot.start()
        assert await get(bot.health + "/readyz") == (200, "ready\n")
        async with admin.connect() as connection:
            await connection.execute(text("COMMIT"))
            await connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
            await connection.execute(text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                f"WHERE datname = '{name}' AND pid <> pg_backend_pid()"))
        # The database is asked at most every few seconds: the last "ready" stands until then.
        assert await readiness_becomes(bot, 503) == "database not reachable\n"
        assert await get(bot.health + "/healthz") == (200, "ok\n")  # the process is fine
        async with admin.connect() as connection:
            await connection.execute(text("COMMIT"))
            await connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
        assert await readiness_becomes(bot, 200) == "ready\n"
    finally:
        await admin.dispose()
        await bot.kill()


async def test_webhook_logs_are_json_with_update_ids_and_no_secrets(
        emulator: Emulator, postgres_url: str, tmp_path: Path) -> None:
    bot = WebhookProcess(emulator, postgres_url, tmp_path, LOG_FORMAT="json", LOG_LEVEL="DEBUG")
    try:
        await bot.start()
        secret = emulator.world.webhook.secret
        assert secret
        dee = emulator.user("Dee")
        note = "Wombat-private-note-4411"
        await onboard(dee)
        await dee.send_and_wait(f"/ask {note}", contains="Saved")
        await dee.send_and_wait("I have numbness in my arm since this morning", contains="today")
        code, _ = await bot.terminate()
        assert code == 0
    finally:
        await bot.kill()
    log = bot.log.read_text()
    lines = [line for line in log.splitlines() if line]
    assert all(line.startswith("{") for line in lines), lines[:3]
    entries = [json.loads(line) for line in lines]
    handled = [e for e in entries if e["message"] == "update handled"]
    assert len(handled) == 9  # onboarding took seven updates, then /ask and the warning sign
    assert all(isinstance(e["update_id"], int) and len(e["person_ref"]) == 12 for e in handled)
    for private in (secret, TOKEN, TOKEN.partition(":")[2], note, "numbness",
                    str(dee.user_id)):
        assert private not in log


PEOPLE = 12


async def run_people(emulator: Emulator) -> dict[str, list[str]]:
    """Many people at once through onboarding and a session; each one's transcript."""
    users = [emulator.user(f"R{n:02d}") for n in range(PEOPLE)]

    async def one(user: TestUser) -> None:
        await onboard(user)
        await a_session(user)
        await user.send_and_wait("/ask Is it fine to skip one?", contains="Saved")

    await asyncio.gather(*(one(user) for user in users))
    return {user.name: [f"{e.who}: {e.kind}: {e.text}" for e in user.transcript
                        if e.kind != "callback_answer"] for user in users}


async def replicas_run(emulator: Emulator, url: str, tmp: Path,
                       count: int) -> tuple[dict[str, list[str]], list[int]]:
    processes = [WebhookProcess(emulator, url, tmp) for _ in range(count)]
    async with RoundRobin([p.base for p in processes]) as balancer:
        for process in processes:
            process.env["WEBHOOK_URL"] = balancer.url
        try:
            for process in processes:
                await process.start()
            transcripts = await run_people(emulator)
        finally:
            for process in processes:
                await process.kill()
        return transcripts, balancer.sent_to


async def test_two_replicas_give_the_same_transcripts_as_one(tmp_path: Path) -> None:
    runs = []
    for count in (1, 2):
        folder = tmp_path / str(count)
        folder.mkdir()
        async with migrated_postgres() as url, Emulator() as emulator:
            await emulator.start()
            runs.append(await replicas_run(emulator, url, folder, count))
            # Telegram's way: several chats at once, each chat one update at a time.
            assert emulator.world.webhook.most_at_once > 1
    (one, _), (two, sent_to) = runs
    assert set(sent_to) == {0, 1}, "the balancer used both replicas"
    assert min(sent_to.count(0), sent_to.count(1)) > len(sent_to) // 3
    assert two == one
