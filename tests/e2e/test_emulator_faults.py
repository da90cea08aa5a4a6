"""Fault injection in the emulator, seen through a real telegram.Bot: what PTB raises for
each fault, which faults hide a success, floods, blocked people, seeds and shutdown."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import httpx
import pytest
from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.request import HTTPXRequest

from bot.emulator import Emulator, FakeClock, FaultRecord, Faults

TOKEN = "123456789:AAEhBOweik6ad9r_QXMENQjcrGbqCr4K-ZM"
BLOCKED = "Forbidden: bot was blocked by the user"


@asynccontextmanager
async def emulator(clock: FakeClock | None = None) -> AsyncIterator[Emulator]:
    """An emulator without flood control; faults are injected by each test."""
    async with Emulator(clock=clock or FakeClock(), limits=None) as emu:
        yield emu


@asynccontextmanager
async def ptb(emu: Emulator, read_timeout: float = 2.0) -> AsyncIterator[Bot]:
    """A real Bot; opening it calls getMe, so inject faults only after this."""
    request = HTTPXRequest(read_timeout=read_timeout, write_timeout=2.0, connect_timeout=2.0,
                           pool_timeout=2.0)
    async with Bot(TOKEN, base_url=emu.base_url, request=request) as bot:
        yield bot


def only(kind: str, after: bool, **more: Any) -> Faults:
    """Every call gets this one kind of fault, always before or always after the effect."""
    return Faults(rate=1.0, kinds={kind: 1.0}, after_effect_share=1.0 if after else 0.0, **more)


async def outcome(call: Awaitable[object]) -> str:
    """'ok' or the exception class PTB raised, so runs can be compared."""
    try:
        await call
    except Exception as error:
        return type(error).__name__
    return "ok"


# -- what PTB sees, and whether the message was sent ------------------------------------------

@pytest.mark.parametrize("after", [False, True], ids=["before-effect", "after-effect"])
@pytest.mark.parametrize(("kind", "says"), [
    ("500", "Internal Server Error"),
    ("502", "Bad Gateway (502)"),
    ("drop", "RemoteProtocolError"),
])
async def test_server_faults_are_network_errors_and_may_hide_a_success(
    kind: str, says: str, after: bool
) -> None:
    async with emulator() as emu, ptb(emu) as bot:
        ana = emu.user("Ana")
        emu.inject(only(kind, after))
        with pytest.raises(NetworkError) as caught:
            await bot.send_message(ana.user_id, "take your walk")
        assert type(caught.value) is NetworkError  # not TimedOut, a subclass
        assert says in str(caught.value)
        assert ana.bot_texts == (["take your walk"] if after else [])
        assert emu.faults_log == [
            FaultRecord(emu.world.clock(), "sendMessage", ana.user_id, kind, after)
        ]


@pytest.mark.parametrize("after", [False, True], ids=["before-effect", "after-effect"])
async def test_a_hung_request_times_out_in_ptb(after: bool) -> None:
    async with emulator() as emu, ptb(emu, read_timeout=0.3) as bot:
        ana = emu.user("Ana")
        emu.inject(only("hang", after, hang_seconds=5.0))
        started = time.monotonic()
        with pytest.raises(TimedOut):
            await bot.send_message(ana.user_id, "take your walk")
        assert time.monotonic() - started < 2.0
        assert ana.bot_texts == (["take your walk"] if after else [])
        assert [(r.kind, r.took_effect) for r in emu.faults_log] == [("hang", after)]


async def test_a_refusal_is_a_bad_request_that_did_nothing() -> None:
    async with emulator() as emu, ptb(emu) as bot:
        ana = emu.user("Ana")
        emu.inject(Faults(rate=1.0, kinds={"400": 1.0}, methods={"sendDocument"},
                          refusal="Bad Request: file must be non-empty"))
        with pytest.raises(BadRequest, match="File must be non-empty"):
            await bot.send_document(ana.user_id, b"%PDF-1.4", filename="visit.pdf")
        await bot.send_message(ana.user_id, "still here")  # other methods go through
        assert ana.documents == [] and ana.bot_texts == ["still here"]
        assert emu.faults_log == [
            FaultRecord(emu.world.clock(), "sendDocument", ana.user_id, "400", False)]
        assert [r.status for r in emu.requests_for(ana.user_id)] == [400, 200]
        assert "400" not in Faults().kinds  # never among the default, transient kinds


async def test_wire_format_of_500_and_502() -> None:
    async with emulator() as emu, httpx.AsyncClient(timeout=5) as http:
        ana = emu.user("Ana")
        url = f"{emu.base_url}{TOKEN}/sendMessage"
        emu.inject(only("500", after=False))
        answer = await http.post(url, json={"chat_id": ana.user_id, "text": "hi"})
        assert (answer.status_code, answer.json()) == (
            500, {"ok": False, "error_code": 500, "description": "Internal Server Error"}
        )
        emu.inject(only("502", after=False))
        answer = await http.post(url, json={"chat_id": ana.user_id, "text": "hi"})
        assert answer.status_code == 502
        assert answer.headers["content-type"].startswith("text/html")
        assert "502 Bad Gateway" in answer.text
        assert [r.status for r in emu.requests_for(ana.user_id)] == [500, 502]


# -- floods -------------------------------------------------------------------------------------

@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_a_flood_refuses_the_chat_until_retry_after_then_once_more() -> None:
    clock = FakeClock()
    async with emulator(clock) as emu, ptb(emu) as bot:
        ana, bob = emu.user("Ana"), emu.user("Bob")
        # Only sendMessage draws; sendChatAction shows the window, which covers every method.
        emu.inject(Faults(rate=1.0, kinds={"flood": 1.0}, methods={"sendMessage"},
                          flood_retry_after=2, flood_length=1))

        async def retry_after() -> int:
            with pytest.raises(RetryAfter) as caught:
                await bot.send_chat_action(ana.user_id, "typing")
            after = caught.value.retry_after  # PTB 22: int, or timedelta with PTB_TIMEDELTA
            return int(after.total_seconds()) if isinstance(after, timedelta) else after

        with pytest.raises(RetryAfter) as first:
            await bot.send_message(ana.user_id, "hello")
        assert first.value.retry_after == 2
        assert await retry_after() == 2
        clock.advance(1.5)
        assert await retry_after() == 1  # the seconds left, rounded up
        assert await bot.send_chat_action(bob.user_id, "typing")  # other chats are free
        clock.advance(0.5)
        assert await retry_after() == 2  # waited as told; flood_length=1: one more round
        clock.advance(2)
        assert await bot.send_chat_action(ana.user_id, "typing")
        assert ana.bot_texts == []
        assert [r.kind for r in emu.faults_log] == ["flood"] * 4
        assert not any(r.took_effect for r in emu.faults_log)
        assert emu.rejected_429 == 0  # the emulator's own flood control refused nothing


# -- blocked people -----------------------------------------------------------------------------

async def test_blocked_users_get_403_on_every_send_and_can_still_write() -> None:
    async with emulator() as emu, ptb(emu) as bot:
        ana, bob = emu.user("Ana"), emu.user("Bob")
        earlier = await bot.send_message(ana.user_id, "before the block")
        emu.inject(Faults(rate=0.0, blocked_users={ana.user_id}))
        for send in (
            bot.send_message(ana.user_id, "hello"),
            bot.send_chat_action(ana.user_id, "typing"),
            bot.edit_message_text("edited", ana.user_id, earlier.message_id),
        ):
            with pytest.raises(Forbidden, match=BLOCKED):
                await send
        await bot.send_message(bob.user_id, "hello")
        await ana.send("still here")  # unlike TestUser.block(), only the bot side is refused
        assert [(r.method, r.kind) for r in emu.faults_log] == [
            ("sendMessage", "403"), ("sendChatAction", "403"), ("editMessageText", "403"),
        ]
        emu.inject(None)
        await bot.send_message(ana.user_id, "after")
        assert ana.bot_texts == ["before the block", "after"]
        assert not ana.chat.blocked


async def test_a_real_block_is_not_logged_as_a_fault() -> None:
    async with emulator() as emu, ptb(emu) as bot:
        ana = emu.user("Ana")
        emu.inject(Faults(rate=0.0, blocked_users={ana.user_id}))
        await ana.block()
        with pytest.raises(Forbidden, match=BLOCKED):
            await bot.send_message(ana.user_id, "hello")
        assert emu.faults_log == []
        assert ana.chat.blocked


# -- choosing calls ------------------------------------------------------------------------------

async def test_methods_and_exempt_choose_which_calls_may_fail() -> None:
    async with emulator() as emu, ptb(emu) as bot:
        ana = emu.user("Ana")
        emu.inject(only("502", after=False, methods={"getUpdates"}))
        with pytest.raises(NetworkError, match="Bad Gateway"):
            await bot.get_updates(timeout=0)
        await bot.send_message(ana.user_id, "sent")
        emu.inject(only("500", after=False, exempt={"GETME"}))
        await bot.get_me()
        with pytest.raises(NetworkError):
            await bot.send_message(ana.user_id, "lost")
        emu.inject(None)
        await bot.send_message(ana.user_id, "sent again")
        assert ana.bot_texts == ["sent", "sent again"]
        assert [r.method for r in emu.faults_log] == ["getUpdates", "sendMessage"]


async def test_the_rate_is_about_ten_percent() -> None:
    calls = 500
    async with emulator() as emu, ptb(emu) as bot:
        ana = emu.user("Ana")
        emu.inject(Faults(rate=0.10, kinds={"500": 1.0}, after_effect_share=0.0, seed=7))
        failed = 0
        for number in range(calls):
            failed += await outcome(bot.send_message(ana.user_id, str(number))) != "ok"
        # Binomial(500, 0.1): mean 50, sd 6.7; 25..75 is 3.7 sd either side.
        assert 25 <= failed <= 75
        assert len(emu.faults_log) == failed
        assert len(ana.bot_texts) == calls - failed


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_the_same_seed_gives_the_same_faults() -> None:
    async def run(seed: int) -> tuple[list[FaultRecord], list[str]]:
        async with emulator() as emu, ptb(emu) as bot:
            people = [emu.user(name) for name in ("Ana", "Bob", "Cem")]
            emu.inject(Faults(rate=0.3, kinds={"500": 1, "502": 1, "drop": 1, "flood": 1},
                              seed=seed))
            seen = [await outcome(bot.send_message(people[n % 3].user_id, str(n)))
                    for n in range(60)]
            # Chat ids restart in each emulator, so the logs compare as they are.
            return emu.faults_log, seen

    first, again, other = await run(11), await run(11), await run(12)
    assert first == again
    assert first[0] != other[0]
    assert {"NetworkError", "RetryAfter", "ok"} <= set(first[1])
    hidden = [r for r in first[0] if r.took_effect]
    assert hidden and all(r.kind in {"500", "502", "drop"} for r in hidden)


# -- switching and stopping ---------------------------------------------------------------------

async def test_faults_given_at_construction_and_switched_off() -> None:
    faults = only("500", after=False, methods={"sendMessage"})
    async with Emulator(clock=FakeClock(), limits=None, faults=faults) as emu, ptb(emu) as bot:
        ana = emu.user("Ana")
        with pytest.raises(NetworkError):
            await bot.send_message(ana.user_id, "lost")
        emu.inject(None)
        await bot.send_message(ana.user_id, "sent")
        assert ana.bot_texts == ["sent"]
        assert len(emu.faults_log) == 1


async def test_stop_does_not_wait_for_hung_requests() -> None:
    emu = Emulator(clock=FakeClock(), limits=None)
    await emu.start()
    ana = emu.user("Ana")
    emu.inject(only("hang", after=True, hang_seconds=30.0))
    async with httpx.AsyncClient(timeout=30) as http:
        hung = asyncio.create_task(http.post(
            f"{emu.base_url}{TOKEN}/sendMessage", json={"chat_id": ana.user_id, "text": "hi"}
        ))
        for _ in range(200):
            if emu.faults_log:
                break
            await asyncio.sleep(0.01)
        assert emu.faults_log, "the request never reached the emulator"
        started = time.monotonic()
        await emu.stop()
        assert time.monotonic() - started < 2.0
        with pytest.raises(httpx.TransportError):
            await hung
    assert ana.bot_texts == ["hi"]  # it took effect; only the answer never came


def test_faults_refuse_nonsense() -> None:
    for wrong in ({"kinds": {"boom": 1.0}}, {"kinds": {"500": 0.0}}, {"rate": 1.5},
                  {"flood_retry_after": 0}, {"flood_retry_after": (3, 1)}):
        with pytest.raises(ValueError):
            Faults(**wrong)
