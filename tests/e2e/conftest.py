"""End-to-end fixtures: the real Application talking HTTP to our emulator, on real databases."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app.clock import ManualClock
from bot.app.runner import running_bot
from bot.app.wiring import Deps, build_deps
from bot.config.settings import Settings
from bot.emulator import Emulator, FloodLimits
from bot.telegram.runtime import runtime_of
from storage.db import make_engine
from storage.migrate import upgrade_to_head
from tests.storage.databases import (
    drop_postgres_database,
    postgres_database_url,
    postgres_unavailable_reason,
    sqlite_database_url,
)

TOKEN = "987654321:TEST-token-for-the-emulator-abcdefghij"
# With a token the bot refuses to start without a person-reference key of its own.
SALT = "e2e-person-ref-salt-not-the-default-0123456789"
ROOT = Path(__file__).resolve().parents[2]
# Fast enough that scripted people are not slowed by our own limiter; the limiter and the
# emulator's flood control have tests of their own at Telegram's real rates.
FAST = {"rate_limit_per_chat": 50.0, "rate_limit_global": 500.0}


@pytest.fixture
async def emulator() -> AsyncIterator[Emulator]:
    emu = Emulator(limits=FloodLimits(per_chat_rate=50.0, per_chat_burst=50,
                                      global_rate=500.0, global_burst=500))
    await emu.start()
    try:
        yield emu
    finally:
        await emu.stop()


@pytest.fixture(params=["sqlite", "postgres"])
async def any_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A migrated, empty database of each kind."""
    if request.param == "sqlite":
        url = sqlite_database_url(tmp_path)
        await asyncio.to_thread(upgrade_to_head, url)
        yield url
        return
    async with migrated_postgres() as url:
        yield url


@asynccontextmanager
async def migrated_postgres() -> AsyncIterator[str]:
    """A migrated throwaway PostgreSQL database, dropped afterwards; skips without a server."""
    url = await postgres_database_url()
    if url is None:
        pytest.skip(postgres_unavailable_reason())
    try:
        await asyncio.to_thread(upgrade_to_head, url)
        yield url
    finally:
        await drop_postgres_database(url)


@pytest.fixture
async def database_url(tmp_path: Path) -> str:
    """A migrated SQLite file database."""
    url = sqlite_database_url(tmp_path)
    await asyncio.to_thread(upgrade_to_head, url)
    return url


# The url, then any Settings field by name: `async with start_bot(url, **settings) as deps:`.
StartBot = Callable[..., AbstractAsyncContextManager[Deps]]


@pytest.fixture
async def start_bot(emulator: Emulator) -> AsyncIterator[StartBot]:
    """Start the real bot in this process: `async with start_bot(url) as deps:`."""

    @asynccontextmanager
    async def start(url: str, **settings: Any) -> AsyncIterator[Deps]:
        deps = build_deps(Settings(database_url=url, **{**FAST, **settings}))
        try:
            async with running_bot(deps, TOKEN, emulator.base_url, poll_timeout=1):
                yield deps
        finally:
            await deps.close()

    yield start


@pytest.fixture
async def bot(start_bot: StartBot, database_url: str) -> AsyncIterator[Deps]:
    """The bot running on a fresh SQLite database."""
    async with start_bot(database_url) as deps:
        yield deps


def polls(emulator: Emulator) -> int:
    """How many times a bot began polling (PTB calls deleteWebhook right before it polls).

    getUpdates itself is recorded only when its long poll ends, so it cannot say "started".
    """
    return sum(1 for r in emulator.requests if r.method.lower() == "deletewebhook")


class TimedWorld:
    """An emulator and bots sharing one manual clock, so holds and deadlines take no time.

    The emulator stamps every request with the same clock, so per-chat request rates are
    measured in the bot's time, not in how fast the test happens to run.
    """

    def __init__(self, clock: ManualClock, emulator: Emulator, database_url: str) -> None:
        self.clock = clock
        self.emulator = emulator
        self.database_url = database_url
        self.deps: Deps | None = None
        self.application: Any = None

    @asynccontextmanager
    async def bot(self, **settings: Any) -> AsyncIterator[TimedWorld]:
        """Run a bot process-equivalent: fresh Application and connections, same database."""
        deps = build_deps(Settings(database_url=self.database_url, **{**FAST, **settings}),
                          clock=self.clock)
        try:
            async with running_bot(deps, TOKEN, self.emulator.base_url, poll_timeout=1) as app:
                self.deps, self.application = deps, app
                yield self
        finally:
            self.deps = self.application = None
            await deps.close()

    async def advance(self, seconds: float) -> None:
        """Let time pass, then run the scheduler's tick once, as the job queue would."""
        self.clock.advance(seconds=seconds)
        await self.tick()

    async def tick(self) -> None:
        """One tick of the hold scheduler, once the bot has finished what it was doing."""
        assert self.application is not None, "start the bot first"
        await self.settle()
        await runtime_of(self.application).ticker.tick(self.application.bot)

    async def settle(self) -> None:
        """Wait until every update sent so far is fetched and fully handled.

        A handler goes on after its reply reached the emulator (it records which message
        shows a hold); a tick must not overtake it, as a person's second would not either.
        """
        await self.emulator.wait_delivered()
        app = self.application
        for _ in range(1000):
            if app.update_queue.empty() and app.update_processor.current_concurrent_updates == 0:
                return
            await asyncio.sleep(0.005)
        raise AssertionError("the bot did not finish handling its updates within 5 s")


@pytest.fixture
async def timed(database_url: str) -> AsyncIterator[TimedWorld]:
    clock = ManualClock()
    emu = Emulator(clock=lambda: clock.now().timestamp(),
                   wall_clock=lambda: clock.now().timestamp(), limits=None)
    await emu.start()
    try:
        yield TimedWorld(clock, emu, database_url)
    finally:
        await emu.stop()


class BotProcess:
    """`backcoach run` as a real child process, so it can be killed like a crashing server."""

    def __init__(self, emulator: Emulator, database_url: str, tmp: Path) -> None:
        self.emulator = emulator
        self.env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "PERSON_REF_SALT": SALT,
                    "TELEGRAM_API_BASE_URL": emulator.base_url, "DATABASE_URL": database_url,
                    "RATE_LIMIT_PER_CHAT": "50", "RATE_LIMIT_GLOBAL": "500"}
        self.tmp = tmp
        self.database_url = database_url
        self.process: asyncio.subprocess.Process | None = None

    def engine(self) -> AsyncEngine:
        """An engine on the process's database, to check what it stored."""
        return make_engine(self.database_url)

    async def start(self) -> None:
        """Start the process and return once it is polling for updates."""
        polls_before = polls(self.emulator)
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.app.cli", "run", cwd=self.tmp, env=self.env,
            stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL,
            stderr=open(self.tmp / "bot.log", "ab"))  # noqa: SIM115, ASYNC230
        for _ in range(600):  # start-up takes a second or two; give up after a minute
            if polls(self.emulator) > polls_before:
                return
            if self.process.returncode is not None:
                break
            await asyncio.sleep(0.1)
        raise AssertionError(f"bot did not start:\n{(self.tmp / 'bot.log').read_text()}")

    async def kill(self) -> None:
        """SIGKILL: no shutdown code runs, exactly like a crash or a power cut."""
        assert self.process is not None
        self.process.kill()
        await self.process.wait()

    async def terminate(self) -> int:
        """SIGTERM, then wait for a clean exit."""
        assert self.process is not None
        if self.process.returncode is None:
            self.process.terminate()
        return await asyncio.wait_for(self.process.wait(), 20)


@pytest.fixture
async def bot_process(emulator: Emulator, database_url: str,
                      tmp_path: Path) -> AsyncIterator[BotProcess]:
    process = BotProcess(emulator, database_url, tmp_path)
    try:
        yield process
    finally:
        if process.process is not None and process.process.returncode is None:
            await process.kill()


@pytest.fixture
async def postgres_url() -> AsyncIterator[str]:
    """A migrated throwaway PostgreSQL database, dropped afterwards."""
    async with migrated_postgres() as url:
        yield url
