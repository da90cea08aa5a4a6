"""The Telegram webhook, and the pages (bot.web.pages, under /p): the only things served
on the public port (health and metrics have a listener of their own, bot.web.health).

A webhook request is answered only once its update is handled and stored, so an update
whose process dies mid-way is delivered again by Telegram (and applied once: the update log
deduplicates). A request without the right secret header is refused before anything is
read; a body that is not JSON (by its content type), too large, or not an update is
refused and logged by size or type only.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from typing import Any, Protocol

from aiohttp import web
from telegram import Update
from telegram.ext import Application

from bot.web.listener import Listener
from bot.web.pages import Pages
from bot.web.pressed import drop_pressed_keyboards

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class Arrivals(Protocol):
    """What the webhook shares with the handler (bot/telegram/arrivals.py implements it)."""

    def mark_received(self, update: object) -> None:
        """Note when an update arrived."""
        ...

    def take_failure(self, update_id: int) -> bool:
        """Whether the update's handling failed for a reason worth another try."""
        ...


class WebServer(Listener):
    """Serves the webhook at its path, and the pages under /p when given; every other
    path is 404."""

    def __init__(self, application: Application,  # type: ignore[type-arg]
                 webhook_path: str, secret: str | None = None, *,
                 max_body_bytes: int, arrivals: Arrivals, pages: Pages | None = None) -> None:
        app = web.Application(client_max_size=max_body_bytes)
        app.router.add_post(webhook_path, self._webhook)
        if pages is not None:
            pages.mount_on(app)
        super().__init__(app)
        self.max_body_bytes = max_body_bytes
        self.arrivals = arrivals  # shared with the handler, which notes failures there
        self.application = application
        self.secret = secret
        self.stopping = False
        self._in_flight = 0
        self._idle = asyncio.Event()
        self._idle.set()

    async def stop_taking_updates(self, grace: float) -> None:
        """New webhook requests get 503 (Telegram retries; a balancer tries another replica);
        wait up to `grace` seconds for the ones in progress."""
        self.stopping = True
        try:
            # asyncio.timeout: Python 3.11's wait_for can swallow a cancel at shutdown.
            async with asyncio.timeout(grace):
                await self._idle.wait()
        except TimeoutError:
            log.warning("%d webhook requests still running at shutdown", self._in_flight)

    async def _webhook(self, request: web.Request) -> web.Response:
        if not self._secret_ok(request.headers.get(SECRET_HEADER)):
            log.warning("webhook request refused: missing or wrong secret token")
            return web.Response(status=403, text="forbidden\n")
        if self.stopping:
            return web.Response(status=503, text="shutting down\n")
        self._in_flight += 1
        self._idle.clear()
        try:
            return await self._handle(request)
        finally:
            self._in_flight -= 1
            if self._in_flight == 0:
                self._idle.set()

    def _secret_ok(self, given: str | None) -> bool:
        if self.secret is None:
            return True
        return given is not None and hmac.compare_digest(given.encode(), self.secret.encode())

    async def _handle(self, request: web.Request) -> web.Response:
        if request.content_type != "application/json":
            # Telegram always posts JSON; anything else is someone else, refused unread.
            log.warning("webhook request refused: content type %.40s", request.content_type)
            return web.Response(status=415, text="application/json only\n")
        try:
            body = await request.read()
        except web.HTTPRequestEntityTooLarge:
            log.warning("webhook request refused: body over %d bytes",
                        self.max_body_bytes)
            return web.Response(status=413, text="too large\n")
        update = self._parse(body)
        if update is None:
            log.warning("webhook request refused: not a Telegram update (%d bytes)", len(body))
            return web.Response(status=400, text="bad request\n")
        application = self.application
        self.arrivals.mark_received(update)
        await application.update_processor.process_update(
            update, application.process_update(update))
        if self.arrivals.take_failure(update.update_id):
            return web.Response(status=500, text="failed; deliver again\n")
        return web.Response(text="")

    def _parse(self, body: bytes) -> Update | None:
        try:
            data: Any = json.loads(body)
            if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
                return None
            drop_pressed_keyboards(data)
            return Update.de_json(data, self.application.bot)
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
            # RecursionError: JSON nested deeper than the interpreter recurses (json.loads,
            # or reading the objects into an Update) is not an update either.
            return None
