"""Fault injection: 500/502 answers, hung requests, dropped connections, 429 floods, blocks.

A seeded random.Random decides which calls fail, so a run is reproducible given the same
sequence of calls. Some faults strike after the method took effect: the message is in the
chat but the bot saw an error ("a timeout hid a success"); every fault is logged.

A 429 flood is per chat (calls without a chat share one bot-wide key): for retry_after
seconds every call for that chat, whatever its method, gets 429 with the seconds left; then
flood_length more times the first call after the window opens a new window.

A "400" is Telegram refusing the call (`refusal` says why): it never takes effect and would
be refused again, unlike the transient kinds. It is not among the default kinds.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import random
from collections.abc import Awaitable, Callable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, NamedTuple

from aiohttp import web

from .errors import ApiError, too_many_requests
from .model import RequestRecord
from .params import Params
from .world import World

TRANSIENT = ("500", "502", "hang", "drop", "flood")
KINDS = (*TRANSIENT, "400")
BLOCKED = "Forbidden: bot was blocked by the user"
# What nginx in front of api.telegram.org answers when the backend is down: HTML, not JSON.
BAD_GATEWAY_HTML = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)
# What the bot gets for a fault that struck before the effect; 0: no HTTP answer at all.
_STATUS = {"500": 500, "502": 502, "hang": 0, "drop": 0, "400": 400}
Call = Callable[[str, Params], Awaitable[tuple[int, dict[str, Any]]]]


def _all_kinds() -> Mapping[str, float]:
    return dict.fromkeys(TRANSIENT, 1.0)


@dataclass(frozen=True)
class Faults:
    """What to inject: how often, which kinds in which proportions, and the seed deciding."""

    rate: float = 0.10  # probability that an eligible call gets a random fault
    kinds: Mapping[str, float] = field(default_factory=_all_kinds)  # weights by kind
    seed: int = 0
    hang_seconds: float = 30.0  # a hung request is closed unanswered after this long
    flood_retry_after: int | tuple[int, int] = (1, 3)  # seconds, or an inclusive range
    flood_length: int = 1  # 429 rounds after the first, for a bot that waits as told
    blocked_users: AbstractSet[int] = frozenset()  # every send to their chat gets 403
    methods: AbstractSet[str] | None = None  # eligible methods; None: all, getUpdates too
    exempt: AbstractSet[str] = frozenset()  # never faulted at random, even if in methods
    after_effect_share: float = 0.5  # share of 500/502/drop/hang striking after the effect
    refusal: str = "Bad Request: wrong file identifier/HTTP URL specified"  # a 400's wording

    def __post_init__(self) -> None:
        """Check the numbers and freeze the collections (method names are case-insensitive)."""
        unknown = set(self.kinds) - set(KINDS)
        if unknown:
            raise ValueError(f"unknown fault kinds {sorted(unknown)}; known: {KINDS}")
        if any(w < 0 for w in self.kinds.values()) or not any(self.kinds.values()):
            raise ValueError("kind weights must be >= 0 and not all 0")
        if not (0.0 <= self.rate <= 1.0 and 0.0 <= self.after_effect_share <= 1.0):
            raise ValueError("rate and after_effect_share are probabilities")
        low, high = self.retry_after_range
        if not 1 <= low <= high or self.flood_length < 0 or self.hang_seconds < 0:
            raise ValueError("retry_after >= 1, flood_length >= 0, hang_seconds >= 0")
        fix = object.__setattr__  # the documented way to normalise fields of a frozen class
        fix(self, "kinds", MappingProxyType(dict(self.kinds)))
        fix(self, "blocked_users", frozenset(self.blocked_users))
        if self.methods is not None:
            fix(self, "methods", frozenset(m.lower() for m in self.methods))
        fix(self, "exempt", frozenset(m.lower() for m in self.exempt))

    @property
    def retry_after_range(self) -> tuple[int, int]:
        """flood_retry_after as an inclusive (low, high) range."""
        given = self.flood_retry_after
        return (given, given) if isinstance(given, int) else given

    def covers(self, method: str) -> bool:
        """Whether method may get a random fault."""
        name = method.lower()
        return name not in self.exempt and (self.methods is None or name in self.methods)


class FaultRecord(NamedTuple):
    """One injected fault; took_effect: the method did its work although the bot saw a fault."""

    time: float  # the emulator's clock
    method: str
    chat_id: int | None
    kind: str  # one of KINDS, or "403" for blocked_users
    took_effect: bool


@dataclass(frozen=True)
class _Plan:
    kind: str
    after: bool
    retry_after: int = 0


@dataclass
class _Flood:
    retry_after: int
    until: float
    rounds_left: int


class FaultInjector:
    """Stands between the HTTP handler and the Bot API methods, deciding each call's fate."""

    def __init__(self, world: World, call: Call, faults: Faults | None = None) -> None:
        self.world = world
        self.call = call
        self.log: list[FaultRecord] = []
        self.config: Faults | None = None
        self._rng = random.Random(0)
        self._floods: dict[int | None, _Flood] = {}
        self._closing = asyncio.Event()
        self.configure(faults)

    def configure(self, faults: Faults | None) -> None:
        """Switch to a new configuration (fresh seed, no floods in progress), or off."""
        self.config = faults
        self._rng = random.Random(faults.seed if faults else 0)
        self._floods.clear()

    def reopen(self) -> None:
        """Called on (re)start: a new event, since the old one may belong to another loop."""
        self._closing = asyncio.Event()

    def close(self) -> None:
        """Release every hung request now, so shutdown does not wait hang_seconds."""
        self._closing.set()

    async def serve(
        self, request: web.Request, method: str, params: Params, chat_id: int | None
    ) -> web.StreamResponse:
        """Answer one Bot API request, injecting whatever fault the configuration decides."""
        config = self.config
        if config is None:
            status, body = await self.call(method, params)
            return web.json_response(body, status=status)
        refusal = self._flood_refusal(chat_id)
        plan = None
        if refusal is None and config.covers(method):
            plan = self._draw(config)
            if plan is not None and plan.kind == "flood":
                refusal = self._start_flood(chat_id, plan.retry_after, config.flood_length)
        if refusal is not None:
            error = too_many_requests(refusal)
            self._note(method, chat_id, "flood", False, status=error.code)
            return web.json_response(error.envelope(), status=error.code)
        if plan is not None and not plan.after:
            self._note(method, chat_id, plan.kind, False, status=_STATUS[plan.kind])
            return await self._fail(request, plan.kind, config)
        return await self._effect(request, method, params, chat_id, plan, config)

    # decisions ------------------------------------------------------------------------------

    def _draw(self, config: Faults) -> _Plan | None:
        # Draws happen synchronously on arrival, so the same call sequence gives the same plan.
        rng = self._rng
        if rng.random() >= config.rate:
            return None
        names = [k for k in KINDS if config.kinds.get(k, 0.0) > 0]
        kind = rng.choices(names, [config.kinds[k] for k in names])[0]
        if kind == "flood":
            return _Plan(kind, after=False, retry_after=rng.randint(*config.retry_after_range))
        if kind == "400":
            return _Plan(kind, after=False)  # a refused call does nothing
        return _Plan(kind, after=rng.random() < config.after_effect_share)

    def _flood_refusal(self, key: int | None) -> int | None:
        """retry_after for a call refused by a flood on its chat (None: no chat), else None."""
        flood = self._floods.get(key)
        if flood is None:
            return None
        now = self.world.clock()
        if now < flood.until:
            return max(1, math.ceil(flood.until - now))
        if flood.rounds_left > 0:
            # The bot waited as told and retried; a sustained flood refuses it once more.
            flood.rounds_left -= 1
            flood.until = now + flood.retry_after
            return flood.retry_after
        del self._floods[key]
        return None

    def _start_flood(self, key: int | None, retry_after: int, rounds: int) -> int:
        self._floods[key] = _Flood(retry_after, self.world.clock() + retry_after, rounds)
        return retry_after

    # answers --------------------------------------------------------------------------------

    async def _effect(
        self, request: web.Request, method: str, params: Params, chat_id: int | None,
        plan: _Plan | None, config: Faults,
    ) -> web.StreamResponse:
        """Run the method (as blocked for blocked_users), then answer it or the planned fault."""
        took_effect, blocked_us = False, False
        try:
            status, body, blocked_us = await self._call_as_blocked(method, params, chat_id, config)
            took_effect = status == 200
        finally:
            # Logged even when the bot hung up mid-call (a long poll), and before any hang.
            if plan is not None:
                self._note(method, chat_id, plan.kind, took_effect)
            elif blocked_us:
                self._note(method, chat_id, "403", False)
        if plan is not None:
            return await self._fail(request, plan.kind, config)
        return web.json_response(body, status=status)

    async def _call_as_blocked(
        self, method: str, params: Params, chat_id: int | None, config: Faults
    ) -> tuple[int, dict[str, Any], bool]:
        """(status, envelope, whether blocked_users is why it was refused)."""
        chat = None
        if chat_id is not None and chat_id in config.blocked_users:
            chat = self.world.chats.get(chat_id)
        if chat is None or chat.blocked:
            return (*await self.call(method, params), False)
        # Reuse the emulator's own notion of a blocked chat, so exactly the methods Telegram
        # refuses get 403, after the same parameter checks. Sends never await inside, so no
        # other task sees the flag; the person can still write, unlike after TestUser.block().
        chat.blocked = True
        try:
            status, body = await self.call(method, params)
        finally:
            chat.blocked = False
        return status, body, status == 403 and body.get("description") == BLOCKED

    async def _fail(self, request: web.Request, kind: str, config: Faults) -> web.StreamResponse:
        if kind == "400":
            error = ApiError(400, config.refusal)
            return web.json_response(error.envelope(), status=400)
        if kind == "500":
            error = ApiError(500, "Internal Server Error")
            return web.json_response(error.envelope(), status=500)
        if kind == "502":
            return web.Response(status=502, text=BAD_GATEWAY_HTML, content_type="text/html")
        if kind == "hang":
            # Released early by close(): emulator shutdown must not wait for hung requests.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(config.hang_seconds):
                    await self._closing.wait()
        # "drop", and a hang that ran out: close the socket without an HTTP answer. aiohttp
        # still wants a response object; writing it to the closed transport is a no-op.
        if request.transport is not None:
            request.transport.close()
        return web.Response(status=500)

    def _note(
        self, method: str, chat_id: int | None, kind: str, took_effect: bool,
        status: int | None = None,
    ) -> None:
        now = self.world.clock()
        self.log.append(FaultRecord(now, method, chat_id, kind, took_effect))
        if status is not None:
            # The method never ran, so Emulator.call did not record the request; do it here.
            self.world.requests.append(RequestRecord(method, chat_id, now, status))

