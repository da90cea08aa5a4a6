"""The confirming poller (bot/telegram/polling.py) with a real PTB Application polling the
emulator over HTTP: updates start as they arrive, a slow one holds up nobody else, and the
offset never confirms an update still being handled."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from telegram import Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes, TypeHandler

from bot.emulator import Emulator
from bot.telegram.arrivals import Arrivals
from bot.telegram.ordering import PerPersonOrdering
from bot.telegram.polling import ConfirmingPoller
from tests.e2e.conftest import TOKEN


@dataclass
class Handling:
    """What the test's handler does: hold some texts until released, fail some a few times."""

    held: dict[str, asyncio.Event] = field(default_factory=dict)
    fail_times: dict[str, int] = field(default_factory=dict)
    calls: Counter[str] = field(default_factory=Counter)
    order: list[str] = field(default_factory=list)
    entered: asyncio.Event = field(default_factory=asyncio.Event)  # a handler has started
    arrivals: Arrivals = field(default_factory=Arrivals)  # shared with the poller

    async def __call__(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        assert message is not None and message.text is not None
        text = message.text
        self.calls[text] += 1
        self.entered.set()
        if text in self.held:
            await self.held[text].wait()
        if self.calls[text] <= self.fail_times.get(text, 0):
            self.arrivals.fail(update.update_id)
            return
        self.order.append(text)
        await context.bot.send_message(message.chat_id, f"done: {text}")


@pytest.fixture
async def polling() -> AsyncIterator[tuple[Emulator, Handling, ConfirmingPoller]]:
    handling = Handling()
    async with Emulator(limits=None) as emu:
        application: Application = (  # type: ignore[type-arg]
            ApplicationBuilder().token(TOKEN).base_url(emu.base_url)
            .concurrent_updates(PerPersonOrdering(8)).updater(None).build())
        application.add_handler(TypeHandler(Update, handling))
        async with application:
            await application.start()
            poller = ConfirmingPoller(application, timeout=1, arrivals=handling.arrivals)
            await poller.start()
            try:
                yield emu, handling, poller
            finally:
                await poller.stop(grace=2)
                await application.stop()


async def test_a_slow_update_holds_up_nobody_else_and_stays_unconfirmed(
        polling: tuple[Emulator, Handling, ConfirmingPoller]) -> None:
    emu, handling, _ = polling
    ana, bo = emu.user("Ana"), emu.user("Bo")
    handling.held["slow export"] = asyncio.Event()
    await ana.send("slow export")
    await asyncio.sleep(0)
    for n in range(3):
        await bo.send_and_wait(f"hi {n}", contains=f"done: hi {n}")
    # Ana's update is still running: Telegram must still hold it, and Bo's after it.
    assert [u["message"]["text"] for u in emu.pending_updates()] == [
        "slow export", "hi 0", "hi 1", "hi 2"]
    handling.held["slow export"].set()
    await ana.wait_for(lambda e: e.text == "done: slow export", what="the slow reply")
    await emu.wait_delivered()
    assert handling.calls == Counter({"slow export": 1, "hi 0": 1, "hi 1": 1, "hi 2": 1})


async def test_one_persons_updates_run_in_order_even_when_the_first_is_slow(
        polling: tuple[Emulator, Handling, ConfirmingPoller]) -> None:
    emu, handling, _ = polling
    ana, bo = emu.user("Ana"), emu.user("Bo")
    handling.held["first"] = asyncio.Event()
    await ana.send("first")
    await ana.send("second")
    # Bo's update comes after Ana's second; once it is answered, hers had its chance to run.
    await bo.send_and_wait("meanwhile", contains="done: meanwhile")
    assert handling.order == ["meanwhile"]  # "second" waits for "first", it does not overtake
    handling.held["first"].set()
    await ana.wait_for(lambda e: e.text == "done: second", what="the second reply")
    assert handling.order == ["meanwhile", "first", "second"]


@pytest.mark.parametrize(("failures", "calls"), [(2, 3), (99, 5)])
async def test_a_failing_update_is_tried_again_up_to_five_times_then_confirmed(
        polling: tuple[Emulator, Handling, ConfirmingPoller], failures: int,
        calls: int) -> None:
    emu, handling, _ = polling
    ana = emu.user("Ana")
    handling.fail_times["flaky"] = failures
    await ana.send("flaky")
    await emu.wait_delivered(timeout=15)
    assert handling.calls["flaky"] == calls
    assert ("done: flaky" in ana.bot_texts) == (failures < calls)
    await ana.send_and_wait("after", contains="done: after")


async def test_stopping_lets_running_updates_finish_and_confirms_them(
        polling: tuple[Emulator, Handling, ConfirmingPoller]) -> None:
    emu, handling, poller = polling
    ana = emu.user("Ana")
    handling.held["late"] = asyncio.Event()
    await ana.send("late")
    await handling.entered.wait()
    stopping = asyncio.create_task(poller.stop(grace=5))
    await asyncio.sleep(0)  # stop() begins, and waits for the running update
    assert not stopping.done()
    handling.held["late"].set()
    await stopping
    assert handling.order == ["late"]
    assert emu.pending_updates() == []  # confirmed on the way out


async def test_one_persons_backlog_past_telegrams_window_holds_up_nobody_else(
        polling: tuple[Emulator, Handling, ConfirmingPoller]) -> None:
    emu, handling, _ = polling
    ana, bo = emu.user("Ana"), emu.user("Bo")
    handling.held["ana 0"] = asyncio.Event()
    for n in range(150):  # more than the 100 getUpdates returns at once
        await ana.send(f"ana {n}")
    # Ana's first is held, and her 149 others wait behind it in her line: they take no
    # slot, and once they fill Telegram's window the offset moves past them to Bo's.
    await bo.send_and_wait("bo", contains="done: bo")
    assert handling.order == ["bo"]
    handling.held["ana 0"].set()
    await ana.wait_for(lambda e: e.text == "done: ana 149", timeout=30, what="Ana's last reply")
    assert handling.order == ["bo", *(f"ana {n}" for n in range(150))]
    await emu.wait_delivered()
    assert sum(handling.calls.values()) == 151  # each handled once, none fetched twice
