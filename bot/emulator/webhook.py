"""Delivers queued updates to a webhook URL as Telegram does: up to max_connections requests
at once, but one chat's updates one after another, in order (the next is sent only once the
previous one was answered); an update is retried a few times, then again later."""

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
        self.most_at_once = 0  # the most requests in flight at the same moment
        self.failure_pause = 1.0  # seconds before an update that failed is tried again
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
        flying: dict[int, asyncio.Task[None]] = {}
        done: set[int] = set()
        retry_at: dict[int, float] = {}
        loop = asyncio.get_running_loop()
        try:
            while True:
                blocked: set[object] = set()
                for update in self.queue.pending():
                    update_id = int(update["update_id"])
                    if update_id in done:
                        continue
                    key = _chat_of(update)
                    if key in blocked:
                        continue  # an earlier update of this chat is not answered yet
                    blocked.add(key)
                    if update_id in flying or retry_at.get(update_id, 0) > loop.time():
                        continue
                    if len(flying) >= self.max_connections:
                        break
                    flying[update_id] = asyncio.create_task(
                        self._one(update, flying, done, retry_at))
                    self.most_at_once = max(self.most_at_once, len(flying))
                waits = [at - loop.time() for at in retry_at.values()]
                await self.queue.changed.wait(max(0.01, min(waits)) if waits else None)
        finally:
            for task in flying.values():
                task.cancel()

    async def _one(self, update: dict[str, Any], flying: dict[int, asyncio.Task[None]],
                   done: set[int], retry_at: dict[int, float]) -> None:
        update_id = int(update["update_id"])
        try:
            if await self._deliver(update):
                done.add(update_id)
                retry_at.pop(update_id, None)
            else:
                # Like Telegram, keep the update (and the chat's later ones) and retry later.
                retry_at[update_id] = asyncio.get_running_loop().time() + self.failure_pause
        finally:
            flying.pop(update_id, None)
            self._confirm_answered(done)
            self.queue.changed.notify()

    def _confirm_answered(self, done: set[int]) -> None:
        """Confirm the oldest updates as far as every one of them was answered."""
        upto = None
        for update in self.queue.pending():
            update_id = int(update["update_id"])
            if update_id not in done:
                break
            upto = update_id
            done.discard(update_id)
        if upto is not None:
            self.queue.confirm(upto + 1)

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


def _chat_of(update: dict[str, Any]) -> object:
    """The chat (else the user) an update belongs to; updates of one go one at a time."""
    for value in update.values():
        if not isinstance(value, dict):
            continue
        message = value.get("message") if "message" in value and "chat" not in value else value
        chat = message.get("chat") if isinstance(message, dict) else None
        if isinstance(chat, dict) and "id" in chat:
            return ("chat", chat["id"])
        sender = value.get("from") or value.get("user")
        if isinstance(sender, dict) and "id" in sender:
            return ("user", sender["id"])
    return ("update", update.get("update_id"))

