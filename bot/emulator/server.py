"""The emulator's HTTP face: Telegram's URL layout, envelopes and status codes on loopback."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Awaitable, Callable, Sequence
from types import TracebackType
from typing import Any

from aiohttp import web

from .apispec import SPEC
from .driver import TestUser
from .errors import ApiError, not_found, unauthorized
from .faults import FaultInjector, FaultRecord, Faults
from .flood import FloodLimits
from .groups import TestChannel, TestGroup
from .methods_bot import METHODS as BOT_METHODS
from .methods_bot import Described
from .methods_messages import METHODS as MESSAGE_METHODS
from .model import RequestRecord
from .params import Params, read_params
from .validate import check_call
from .world import Clock, World

Handler = Callable[[World, Params], Awaitable[Any]]
METHODS: dict[str, Handler] = {**BOT_METHODS, **MESSAGE_METHODS}
TOKEN = re.compile(r"^(\d{1,20}):([A-Za-z0-9_-]{30,50})$")
_DEFAULT_LIMITS = FloodLimits()


def _chat_id_of(params: Params) -> int | None:
    # Read directly: for the record only, whatever the method (getMe has no chat_id).
    value = params.values.get("chat_id")
    try:
        return int(value) if value is not None and not isinstance(value, bool) else None
    except (TypeError, ValueError):
        return None


# The bot's username in the emulator (offline runs print program links with it too).
BOT_USERNAME = "backcoach_bot"

class Emulator:
    """A local Telegram Bot API server plus the people who talk to the bot through it."""

    def __init__(
        self,
        clock: Clock = time.monotonic,
        limits: FloodLimits | None = _DEFAULT_LIMITS,
        bot_username: str = BOT_USERNAME,
        wall_clock: Clock = time.time,
        webhook_retry_delays: Sequence[float] = (0.0, 0.05, 0.2),
        faults: Faults | None = None,
        first_update_id: int = 1,
        edit_time_limit: float | None = None,
    ) -> None:
        """A fresh Telegram; first_update_id lets ids go on from an earlier emulator's.

        edit_time_limit (seconds by wall_clock) makes older messages "can't be edited";
        Telegram sets none for a bot's own messages, so by default there is none.
        """
        # A bot that remembers handled ids needs new ones above them, as Telegram's keep growing.
        self.world = World(clock, wall_clock, limits, bot_username, first_update_id)
        self.world.edit_time_limit = edit_time_limit
        self.world.webhook.retry_delays = tuple(webhook_retry_delays)
        self.world.webhook.on_reply = self._webhook_reply
        self.rejected_429 = 0  # flood control's own refusals; injected ones are in faults_log
        self._faults = FaultInjector(self.world, self.call, faults)
        self._runner: web.AppRunner | None = None
        self._port = 0
        self._host = "127.0.0.1"

    # lifecycle ------------------------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Listen on host:port (port 0 picks a free one); a running server moves there."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        self.world.queue.closed = False
        self._faults.reopen()
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_route("GET", "/file/bot{token}/{path:.+}", self._download)
        self._runner = web.AppRunner(app, handler_cancellation=True, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        self._host = host
        addresses = self._runner.addresses
        self._port = int(addresses[0][1]) if addresses else port

    async def stop(self) -> None:
        """Wake long polls, stop webhook delivery and close the server."""
        self.world.queue.closed = True
        self.world.queue.changed.notify()
        self._faults.close()
        await self.world.webhook.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Emulator:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        """What PTB's base_url takes: everything before the token."""
        return f"http://{self._host}:{self._port}/bot"

    @property
    def file_base_url(self) -> str:
        """What PTB's base_file_url takes for downloads."""
        return f"http://{self._host}:{self._port}/file/bot"

    # people ---------------------------------------------------------------------------------

    def user(
        self, name: str, language_code: str | None = "en", *, last_name: str | None = None,
        username: str | None = None, started: bool = True,
    ) -> TestUser:
        """A new person with a private chat; started=False: they never wrote to the bot yet."""
        return TestUser(self.world, name, language_code, last_name=last_name,
                        username=username, started=started)

    def group(self, title: str, members: Sequence[TestUser] = ()) -> TestGroup:
        """A new group containing the bot and members."""
        return TestGroup(self.world, title, list(members))

    def channel(self, name: str, username: str | None = None) -> TestChannel:
        """A new channel where the bot is an administrator."""
        return TestChannel(self.world, name, username)

    # faults ---------------------------------------------------------------------------------

    def inject(self, faults: Faults | None) -> None:
        """Inject faults from now on (fresh seed, no flood in progress); None switches off."""
        self._faults.configure(faults)

    @property
    def faults_log(self) -> list[FaultRecord]:
        """Every fault injected so far, oldest first; kept across inject() calls."""
        return list(self._faults.log)

    # records --------------------------------------------------------------------------------

    @property
    def requests(self) -> list[RequestRecord]:
        """Every request the bot made, oldest first."""
        return list(self.world.requests)

    def requests_for(self, chat_id: int, method: str | None = None) -> list[RequestRecord]:
        """Requests about one chat, optionally of one method (case-insensitive)."""
        wanted = method.lower() if method else None
        return [
            r for r in self.world.requests
            if r.chat_id == chat_id and (wanted is None or r.method.lower() == wanted)
        ]

    def max_requests_in_window(self, chat_id: int, window: float = 1.0) -> int:
        """Most successful requests to chat_id within any window seconds (by the clock)."""
        times = sorted(r.time for r in self.requests_for(chat_id) if r.status == 200)
        best, start = 0, 0
        for end, moment in enumerate(times):
            while moment - times[start] >= window:
                start += 1
            best = max(best, end - start + 1)
        return best

    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates produced but not yet confirmed by the bot."""
        return self.world.queue.pending()

    async def wait_delivered(self, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Return once every update produced so far was confirmed (or delivered by webhook)."""
        if not await self.world.queue.wait_delivered(timeout):
            raise AssertionError(
                f"bot did not fetch {len(self.pending_updates())} pending update(s) "
                f"within {timeout}s"
            )

    def my_commands(self, language_code: str = "", scope: dict[str, Any] | None = None) -> Any:
        """Commands the bot registered for a scope and language."""
        key = json.dumps(scope or {"type": "default"}, sort_keys=True) + "|" + language_code
        return self.world.commands.get(key, [])

    # HTTP -----------------------------------------------------------------------------------

    async def call(self, method: str, params: Params) -> tuple[int, dict[str, Any]]:
        """Run one Bot API method and record it; returns (HTTP status, envelope)."""
        handler = METHODS.get(method.lower())
        spec = SPEC.method(method)
        status, body = 200, {}
        try:
            if handler is None or spec is None:
                raise not_found()
            check_call(spec, params)
            params.declared = frozenset(spec.fields)
            result = await handler(self.world, params)
        except ApiError as error:
            status, body = error.code, error.envelope()
            if error.code == 429:
                self.rejected_429 += 1
        else:
            if isinstance(result, Described):
                body = {"ok": True, "result": result.result, "description": result.description}
            else:
                body = {"ok": True, "result": result}
        record = RequestRecord(method, _chat_id_of(params), self.world.clock(), status)
        self.world.requests.append(record)
        return status, body

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        match = TOKEN.match(request.match_info["token"])
        if match is None:
            return web.json_response(unauthorized().envelope(), status=401)
        self.world.bot_id = int(match.group(1))
        try:
            params = await read_params(request)
        except ApiError as error:
            return web.json_response(error.envelope(), status=error.code)
        return await self._faults.serve(
            request, request.match_info["method"], params, _chat_id_of(params)
        )

    async def _download(self, request: web.Request) -> web.StreamResponse:
        if TOKEN.match(request.match_info["token"]) is None:
            return web.json_response(unauthorized().envelope(), status=401)
        name = request.match_info["path"].rsplit("/", 1)[-1].removeprefix("file_")
        stored = self.world.files.get(name)
        if stored is None:
            return web.json_response(not_found().envelope(), status=404)
        return web.Response(body=stored.data, content_type=stored.mime_type)

    async def _webhook_reply(self, reply: dict[str, Any]) -> None:
        method = str(reply.pop("method"))
        await self.call(method, Params(values=reply))
