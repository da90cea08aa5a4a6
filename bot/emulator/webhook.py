"""Delivers queued updates to a webhook URL in order, retrying a few times on failure."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import aiohttp

from .updates import UpdateQueue

ReplyHandler = Callable[[dict[str, Any]], Awaitable[None]]


class WebhookDelivery:
    """One delivery task per webhook; an update is confirmed only once the bot answered 2xx."""

    def __init__(
        self,
        queue: UpdateQueue,
        wall_clock: Callable[[], float],
        on_reply: ReplyHandler | None = None,
        retry_delays: Sequence[float] = (0.0, 0.05, 0.2),
    ) -> None:
        self.queue = queue
        self.wall_clock = wall_clock
        self.on_reply = on_reply
        self.retry_delays = tuple(retry_delays)
        self.url = ""
        self.secret: str | None = None
        self.max_connections = 40
        self.allowed_updates: list[str] | None = None
        self.last_error_date: int | None = None
        self.last_error_message: str | None = None
        self.deliveries = 0
        self._task: asyncio.Task[None] | None = None
        self._session: aiohttp.ClientSession | None = None

    @property
    def active(self) -> bool:
        """Whether a webhook URL is set."""
        return bool(self.url)

    async def configure(self, url: str, secret: str | None) -> None:
        """Set (or with an empty url remove) the webhook and (re)start delivery."""
        await self._halt()
        self.url = url
        self.secret = secret
        self.queue.webhook_active = bool(url)
        self.queue.changed.notify()
        if url:
            self._task = asyncio.create_task(self._run(), name="emulator-webhook")

    async def close(self) -> None:
        """Stop delivering and release the HTTP session."""
        await self._halt()
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def _halt(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def info(self) -> dict[str, Any]:
        """The WebhookInfo object for getWebhookInfo."""
        result: dict[str, Any] = {
            "url": self.url,
            "has_custom_certificate": False,
            "pending_update_count": len(self.queue.pending()),
        }
        if self.url:
            result["max_connections"] = self.max_connections
            result["ip_address"] = "127.0.0.1"
            if self.allowed_updates is not None:
                result["allowed_updates"] = self.allowed_updates
        if self.last_error_date is not None:
            result["last_error_date"] = self.last_error_date
            result["last_error_message"] = self.last_error_message
        return result

    async def _run(self) -> None:
        while True:
            pending = self.queue.pending()
            if not pending:
                await self.queue.changed.wait(None)
                continue
            update = pending[0]
            if await self._deliver(update):
                self.queue.confirm(int(update["update_id"]) + 1)
            else:
                # Like Telegram, keep the update and try again later, here on the next change.
                await self.queue.changed.wait(None)

    async def _deliver(self, update: dict[str, Any]) -> bool:
        if self._session is None:
            self._session = aiohttp.ClientSession()
        headers = {"Content-Type": "application/json"}
        if self.secret:
            headers["X-Telegram-Bot-Api-Secret-Token"] = self.secret
        for delay in self.retry_delays:
            if delay:
                await asyncio.sleep(delay)
            try:
                async with self._session.post(
                    self.url, data=json.dumps(update), headers=headers,
                    timeout=aiohttp.ClientTimeout(total=10),
                ) as response:
                    body = await response.read()
                    if 200 <= response.status < 300:
                        self.deliveries += 1
                        await self._handle_reply(body)
                        return True
                    self._fail(f"Wrong response from the webhook: {response.status} "
                               f"{response.reason or ''}".strip())
            except (aiohttp.ClientError, TimeoutError) as exc:
                self._fail(f"Connection error: {exc.__class__.__name__}")
        return False

    def _fail(self, message: str) -> None:
        self.last_error_date = int(self.wall_clock())
        self.last_error_message = message

    async def _handle_reply(self, body: bytes) -> None:
        # Telegram lets a webhook answer with one method call in the response body.
        if self.on_reply is None or not body.strip():
            return
        try:
            reply = json.loads(body)
        except ValueError:
            return
        if isinstance(reply, dict) and isinstance(reply.get("method"), str):
            await self.on_reply(reply)
