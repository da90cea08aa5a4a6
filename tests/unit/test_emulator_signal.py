"""The emulator's Signal: a cancelled waiter stays cancelled."""

from __future__ import annotations

import asyncio

import pytest

from bot.emulator.model import Signal


async def test_a_cancelled_wait_stays_cancelled_when_a_notify_comes_at_the_same_moment() -> None:
    signal = Signal()
    waiter = asyncio.create_task(signal.wait(5.0))
    await asyncio.sleep(0)  # the waiter is inside wait() now
    signal.notify()
    waiter.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiter
