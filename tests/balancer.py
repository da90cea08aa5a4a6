"""Any HTTP load balancer in front of webhook replicas: each request to the next in turn.

Shared by the replicas e2e test and the replicas benchmark.
"""

from __future__ import annotations

import itertools
import socket

import aiohttp
from aiohttp import web

from bot.web.server import SECRET_HEADER

PATH = "/telegram/hook"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class RoundRobin:
    """Forwards each POST to PATH to the next backend; `backends` may be filled later."""

    def __init__(self, backends: list[str] | None = None) -> None:
        self.backends = backends if backends is not None else []
        self._next = itertools.count()
        self.sent_to: list[int] = []
        self.port = _free_port()
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None

    @property
    def url(self) -> str:
        """Where Telegram (the emulator) posts."""
        return f"http://127.0.0.1:{self.port}{PATH}"

    async def __aenter__(self) -> RoundRobin:
        app = web.Application()
        app.router.add_post(PATH, self._forward)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()
        # No cap on connections: the benchmark sends as many at once as Telegram would.
        self._session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=0), timeout=aiohttp.ClientTimeout(total=120))
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._runner is not None and self._session is not None
        await self._session.close()
        await self._runner.cleanup()

    async def _forward(self, request: web.Request) -> web.Response:
        assert self._session is not None
        number = next(self._next) % len(self.backends)
        self.sent_to.append(number)
        headers = {k: v for k, v in request.headers.items()
                   if k.lower() in ("content-type", SECRET_HEADER.lower())}
        try:
            async with self._session.post(self.backends[number] + PATH,
                                          data=await request.read(), headers=headers) as answer:
                return web.Response(status=answer.status, body=await answer.read())
        except aiohttp.ClientError:
            return web.Response(status=502)  # as a balancer answers for a dead backend
