"""/healthz, /readyz and /metrics on a listener of their own (HEALTH_HOST, 127.0.0.1 by
default), never on the public webhook port: the metrics count warning signs by level, and
a readiness check anyone can call as often as they like was a way to slow everyone down.

Readiness asks the database one cheap question (its schema version) at most every
READY_EVERY seconds; every request in between, and every request while one is asked, gets
that answer. The schema head is read from the migration scripts once per process.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from aiohttp import web

from bot.services.ports import Clock
from bot.web.listener import Listener
from bot.web.metrics import CONTENT_TYPE, Metrics

log = logging.getLogger(__name__)

READY_TIMEOUT = 3.0
READY_EVERY = timedelta(seconds=5)


class Readiness:
    """Whether the database answers with the current schema, asked at most every `every`."""

    def __init__(self, versions: Callable[[], Awaitable[set[str]]], head: str, clock: Clock,
                 every: timedelta = READY_EVERY) -> None:
        # versions: the revisions the database is stamped with (storage asks it); head: the
        # scripts' newest, read once by the caller.
        self.versions = versions
        self.head = head
        self.clock = clock
        self.every = every
        self._lock = asyncio.Lock()
        self._answer: tuple[bool, str] = (False, "not checked yet")
        self._asked_at: datetime | None = None

    async def check(self) -> tuple[bool, str]:
        """(ready, why): the last answer while fresh, else the database's, asked once."""
        if self._fresh():
            return self._answer
        async with self._lock:  # requests arriving meanwhile wait for this one answer
            if not self._fresh():
                self._answer = await self._ask()
                self._asked_at = self.clock.now()
        return self._answer

    def _fresh(self) -> bool:
        asked = self._asked_at
        return asked is not None and self.clock.now() - asked < self.every

    async def _ask(self) -> tuple[bool, str]:
        try:
            versions = await asyncio.wait_for(self.versions(), READY_TIMEOUT)
        except Exception as exc:  # any failure to reach the database means not ready
            log.warning("readiness: database not reachable (%s)", type(exc).__name__)
            return False, "database not reachable"
        if versions != {self.head}:
            return False, "database schema not current"
        return True, "ready"


class HealthServer(Listener):
    """Liveness, readiness and metrics, for the operator's own network only."""

    def __init__(self, metrics: Metrics, readiness: Readiness) -> None:
        app = web.Application()
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/readyz", self._readyz)
        app.router.add_get("/metrics", self._metrics)
        super().__init__(app)
        self.metrics = metrics
        self.readiness = readiness
        self.stopping = False

    async def _healthz(self, request: web.Request) -> web.Response:
        return web.Response(text="ok\n")

    async def _readyz(self, request: web.Request) -> web.Response:
        if self.stopping:
            return web.Response(status=503, text="shutting down\n")
        ready, why = await self.readiness.check()
        return web.Response(status=200 if ready else 503, text=why + "\n")

    async def _metrics(self, request: web.Request) -> web.Response:
        return web.Response(body=self.metrics.render(), headers={"Content-Type": CONTENT_TYPE})
