"""Helpers for webhook-mode tests: a free port, a bot serving a webhook in this process, a
round-robin load balancer, and `backcoach run` in webhook mode as a child process."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from telegram.ext import Application

from bot.app.clock import Clock
from bot.app.runner import running_bot
from bot.app.wiring import Deps, build_deps
from bot.config.settings import Settings
from bot.emulator import Emulator
from bot.telegram.runtime import runtime_of
from bot.web.server import SECRET_HEADER
from tests.balancer import PATH as PATH  # the webhook path, re-exported for the tests
from tests.e2e.conftest import FAST, SALT, TOKEN


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    return free_ports(1)[0]


def free_ports(count: int) -> list[int]:
    """Ports nobody listens on right now, all different (held open together while found)."""
    probes = [socket.socket() for _ in range(count)]
    try:
        for probe in probes:
            probe.bind(("127.0.0.1", 0))
        return [int(probe.getsockname()[1]) for probe in probes]
    finally:
        for probe in probes:
            probe.close()


@dataclass
class WebhookBot:
    """A bot serving its webhook in this process."""

    deps: Deps
    application: Application  # type: ignore[type-arg]
    port: int
    health_port: int

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def health(self) -> str:
        """The health and metrics listener, apart from the webhook."""
        return f"http://127.0.0.1:{self.health_port}"

    @property
    def secret(self) -> str:
        server = runtime_of(self.application).web
        assert server is not None
        return str(server.secret)


@asynccontextmanager
async def webhook_bot(emulator: Emulator, database_url: str, url: str | None = None,
                      clock: Clock | None = None, **settings: Any) -> AsyncIterator[WebhookBot]:
    """`backcoach run` with WEBHOOK_URL set, in this process (the emulator posts to it),
    with its health listener on a port of its own."""
    port, health_port = free_ports(2)
    url = url or f"http://127.0.0.1:{port}{PATH}"
    deps = build_deps(Settings(database_url=database_url, webhook_url=url,
                               webhook_host="127.0.0.1", webhook_port=port,
                               health_port=health_port, **{**FAST, **settings}), clock=clock)
    try:
        async with running_bot(deps, TOKEN, emulator.base_url) as application:
            yield WebhookBot(deps, application, port, health_port)
    finally:
        await deps.close()


async def post(url: str, body: bytes | str, secret: str | None,
               content_type: str = "application/json") -> tuple[int, str]:
    """POST as Telegram would (or as someone pretending to be Telegram)."""
    headers = {"Content-Type": content_type}
    if secret is not None:
        headers[SECRET_HEADER] = secret
    async with aiohttp.ClientSession() as session, session.post(
            url, data=body, headers=headers) as response:
        return response.status, await response.text()


async def get(url: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, await response.text()


class WebhookProcess:
    """`backcoach run` in webhook mode as a real child process."""

    def __init__(self, emulator: Emulator, database_url: str, tmp: Path,
                 public_url: str | None = None, **env: str) -> None:
        self.port, self.health_port = free_ports(2)
        self.emulator = emulator
        self.tmp = tmp
        self.env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "PERSON_REF_SALT": SALT,
                    "TELEGRAM_API_BASE_URL": emulator.base_url, "DATABASE_URL": database_url,
                    "RATE_LIMIT_PER_CHAT": "50", "RATE_LIMIT_GLOBAL": "500",
                    "WEBHOOK_URL": public_url or f"http://127.0.0.1:{self.port}{PATH}",
                    "WEBHOOK_HOST": "127.0.0.1", "WEBHOOK_PORT": str(self.port),
                    "HEALTH_PORT": str(self.health_port), **env}
        self.process: asyncio.subprocess.Process | None = None
        self.log = tmp / f"bot-{self.port}.log"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def health(self) -> str:
        return f"http://127.0.0.1:{self.health_port}"

    async def start(self) -> None:
        """Start it and return once it is ready and has set the webhook."""
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.app.cli", "run", cwd=self.tmp, env=self.env,
            stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL,
            stderr=open(self.log, "ab"))  # noqa: SIM115, ASYNC230
        for _ in range(600):  # start-up takes a second or two; give up after a minute
            if self.process.returncode is not None:
                break
            if self.emulator.world.webhook.url == self.env["WEBHOOK_URL"]:
                try:
                    if (await get(self.health + "/readyz"))[0] == 200:
                        return
                except aiohttp.ClientError:
                    pass
            await asyncio.sleep(0.1)
        raise AssertionError(f"bot did not start:\n{self.log.read_text()}")

    async def terminate(self) -> tuple[int, float]:
        """SIGTERM; the exit code and how long it took to exit."""
        assert self.process is not None
        started = asyncio.get_running_loop().time()
        self.process.terminate()
        code = await asyncio.wait_for(self.process.wait(), 30)
        return code, asyncio.get_running_loop().time() - started

    async def kill(self) -> None:
        """SIGKILL, for clean-up."""
        if self.process is not None and self.process.returncode is None:
            self.process.kill()
            await self.process.wait()
