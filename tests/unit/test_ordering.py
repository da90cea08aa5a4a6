"""PerPersonOrdering: in order per person, concurrent across people, never wedged."""

from __future__ import annotations

import asyncio
import inspect
import json
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from telegram import Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes, TypeHandler
from telegram.request import BaseRequest, RequestData

from bot.telegram.ordering import KeyedLine, PerPersonOrdering, person_key

_ids = iter(range(1, 10**6))


def message_update(user_id: int | None, chat_id: int = 0, text: str = "hi") -> Update:
    """A real PTB Update carrying a text message from `user_id` (or from nobody)."""
    message: dict[str, Any] = {
        "message_id": next(_ids),
        "date": 0,
        "chat": {"id": chat_id or user_id or 1, "type": "private"},
        "text": text,
    }
    if user_id is not None:
        message["from"] = {"id": user_id, "is_bot": False, "first_name": "P"}
    return Update.de_json({"update_id": next(_ids), "message": message}, bot=None)


def channel_post(chat_id: int) -> Update:
    post = {"message_id": 1, "date": 0, "chat": {"id": chat_id, "type": "channel"}, "text": "x"}
    return Update.de_json({"update_id": next(_ids), "channel_post": post}, bot=None)


def personless_update() -> Update:
    return Update.de_json({"update_id": next(_ids)}, bot=None)


class OfflineTelegram(BaseRequest):
    """Answers the getMe that Application.initialize() makes; fails anything else."""

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        assert url.endswith("/getMe"), f"unexpected call {url}"
        me = {"id": 123, "is_bot": True, "first_name": "Backcoach", "username": "backcoach_bot"}
        return 200, json.dumps({"ok": True, "result": me}).encode()


class Journal:
    """Handler coroutines that log start/end and pause on events the test controls."""

    def __init__(self) -> None:
        self.log: list[str] = []
        self.gates: dict[str, asyncio.Event] = {}

    def gate(self, name: str) -> asyncio.Event:
        return self.gates.setdefault(name, asyncio.Event())

    async def work(self, name: str, fail: bool = False) -> None:
        self.log.append(f"start {name}")
        await self.gate(name).wait()
        self.log.append(f"end {name}")
        if fail:
            raise RuntimeError(name)


async def settle() -> None:
    for _ in range(20):
        await asyncio.sleep(0)


def submit(
    processor: PerPersonOrdering, update: object, work: Awaitable[Any]
) -> asyncio.Task[None]:
    # Like Application.__update_fetcher: one task per update, created in arrival order.
    return asyncio.create_task(processor.process_update(update, work))


async def test_person_key_prefers_user_then_chat() -> None:
    assert person_key(message_update(5, chat_id=-100)) == 5
    assert person_key(channel_post(-1001)) == -1001
    assert person_key(personless_update()) is None
    assert person_key("not an update") is None


async def test_one_persons_updates_run_strictly_in_order() -> None:
    processor = PerPersonOrdering(max_concurrent_updates=16)
    j = Journal()
    tasks = [submit(processor, message_update(1), j.work(name)) for name in ("a", "b", "c")]
    await settle()
    assert j.log == ["start a"]  # b and c wait although nothing else is running

    for name in ("c", "b"):  # releasing later ones first must not let them jump ahead
        j.gate(name).set()
    await settle()
    assert j.log == ["start a"]

    j.gate("a").set()
    await asyncio.gather(*tasks)
    assert j.log == ["start a", "end a", "start b", "end b", "start c", "end c"]
    assert processor.people_in_line == 0


async def test_different_people_overlap() -> None:
    processor = PerPersonOrdering(max_concurrent_updates=16)
    j = Journal()
    t1 = submit(processor, message_update(1), j.work("p1"))
    t2 = submit(processor, message_update(2), j.work("p2"))
    await settle()
    assert j.log == ["start p1", "start p2"]
    assert processor.current_concurrent_updates == 2

    j.gate("p2").set()
    await t2  # person 2 finishes while person 1 is still busy
    assert not t1.done()
    j.gate("p1").set()
    await t1
    assert processor.people_in_line == 0


async def test_failure_does_not_wedge_the_persons_queue() -> None:
    processor = PerPersonOrdering(max_concurrent_updates=16)
    j = Journal()
    bad = submit(processor, message_update(1), j.work("bad", fail=True))
    good = submit(processor, message_update(1), j.work("good"))
    j.gate("bad").set()
    j.gate("good").set()

    with pytest.raises(RuntimeError):
        await bad
    await good
    assert j.log == ["start bad", "end bad", "start good", "end good"]
    assert processor.people_in_line == 0


async def test_updates_without_a_person_run_unordered() -> None:
    processor = PerPersonOrdering(max_concurrent_updates=16)
    j = Journal()
    tasks = [submit(processor, personless_update(), j.work(name)) for name in ("x", "y")]
    await settle()
    assert j.log == ["start x", "start y"]
    assert processor.people_in_line == 0
    j.gate("y").set()
    j.gate("x").set()
    await asyncio.gather(*tasks)


async def test_order_holds_when_the_concurrency_bound_is_reached() -> None:
    processor = PerPersonOrdering(max_concurrent_updates=2)
    done: list[tuple[int, int]] = []

    async def work(person: int, n: int) -> None:
        await asyncio.sleep(0.001 * ((person * 7 + n * 3) % 5))  # scramble interleaving
        done.append((person, n))

    tasks = [
        submit(processor, message_update(person), work(person, n))
        for n in range(10)
        for person in (1, 2, 3)
    ]
    await asyncio.gather(*tasks)
    for person in (1, 2, 3):
        assert [n for p, n in done if p == person] == list(range(10))
    assert processor.people_in_line == 0


async def test_cancelled_waiter_keeps_the_line_intact() -> None:
    processor = PerPersonOrdering(max_concurrent_updates=16)
    j = Journal()
    first = submit(processor, message_update(1), j.work("first"))
    doomed_work = j.work("doomed")
    doomed = submit(processor, message_update(1), doomed_work)
    third = submit(processor, message_update(1), j.work("third"))
    await settle()
    doomed.cancel()
    await settle()
    assert j.log == ["start first"]  # third still waits for first

    j.gate("first").set()
    j.gate("third").set()
    await asyncio.gather(first, third)
    assert doomed.cancelled()
    assert j.log == ["start first", "end first", "start third", "end third"]
    assert processor.people_in_line == 0


async def test_keyed_line_forgets_keys_once_empty() -> None:
    line: KeyedLine[str] = KeyedLine()
    async with line.turn("k"):
        assert len(line) == 1
    assert len(line) == 0


async def test_through_a_real_application() -> None:
    processor = PerPersonOrdering(max_concurrent_updates=8)
    app: Application[Any, Any, Any, Any, Any, Any] = (
        ApplicationBuilder()
        .token("123:abc")
        .updater(None)
        .request(OfflineTelegram())  # initialize() calls getMe; keep it off the network
        .concurrent_updates(processor)
        .build()
    )
    started: list[str] = []
    finished: list[str] = []
    release: dict[str, asyncio.Event] = {}
    progress = asyncio.Condition()

    async def note(log: list[str], text: str) -> None:
        async with progress:
            log.append(text)
            progress.notify_all()

    async def until(condition: Callable[[], bool]) -> None:
        async with asyncio.timeout(5), progress:
            await progress.wait_for(condition)

    async def handle(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        text = update.effective_message.text or ""
        await note(started, text)
        await release.setdefault(text, asyncio.Event()).wait()
        await note(finished, text)

    app.add_handler(TypeHandler(Update, handle))
    names = ["1a", "2a", "1b", "2b", "1c"]
    await app.initialize()
    await app.start()
    try:
        for name in names:
            await app.update_queue.put(message_update(int(name[0]), text=name))
        await until(lambda: started == ["1a", "2a"])  # one per person at a time

        for name in ("1c", "1b", "2b"):
            release.setdefault(name, asyncio.Event()).set()
        await settle()
        assert started == ["1a", "2a"]

        release.setdefault("2a", asyncio.Event()).set()
        await until(lambda: finished == ["2a", "2b"])
        release.setdefault("1a", asyncio.Event()).set()
        await asyncio.wait_for(app.update_queue.join(), timeout=5)
    finally:
        for name in names:  # on failure, unblock every handler so stop() can finish
            release.setdefault(name, asyncio.Event()).set()
        await app.stop()
        await app.shutdown()

    assert [n for n in started if n[0] == "1"] == ["1a", "1b", "1c"]
    assert [n for n in finished if n[0] == "1"] == ["1a", "1b", "1c"]
    assert processor.people_in_line == 0


# --- slots only at a person's turn, and the cap on one person's line ---------------------


async def test_a_persons_waiting_updates_take_no_slot() -> None:
    processor = PerPersonOrdering(max_concurrent_updates=2)
    j = Journal()
    ana = [submit(processor, message_update(1), j.work(f"a{n}")) for n in range(5)]
    bo = submit(processor, message_update(2), j.work("b"))
    await settle()
    # Ana's four waiting updates hold nothing: Bo takes the second slot at once.
    assert j.log == ["start a0", "start b"]
    assert processor.current_concurrent_updates == 2
    assert processor.updates_in_line == 6
    for name in ("b", *(f"a{n}" for n in range(5))):
        j.gate(name).set()
    await asyncio.gather(*ana, bo)
    assert processor.current_concurrent_updates == processor.updates_in_line == 0


async def test_the_slots_still_bound_how_many_people_run_at_once() -> None:
    processor = PerPersonOrdering(max_concurrent_updates=2)
    j = Journal()
    tasks = [submit(processor, message_update(person), j.work(f"p{person}"))
             for person in (1, 2, 3)]
    await settle()
    assert j.log == ["start p1", "start p2"]
    j.gate("p1").set()
    await settle()
    assert j.log == ["start p1", "start p2", "end p1", "start p3"]
    j.gate("p2").set()
    j.gate("p3").set()
    await asyncio.gather(*tasks)
    assert processor.max_concurrent_updates == 2


class FakeOverflow:
    """Keeps the texts named in `keep`; records what was let go and whether to notify."""

    def __init__(self, *keep: str) -> None:
        self.keep = set(keep)
        self.let_go_calls: list[tuple[str, bool]] = []

    @staticmethod
    def _text(update: object) -> str:
        assert isinstance(update, Update) and update.message is not None
        return update.message.text or ""

    def must_keep(self, update: object) -> bool:
        return self._text(update) in self.keep

    async def let_go(self, update: object, notify: bool) -> None:
        self.let_go_calls.append((self._text(update), notify))


async def test_past_the_cap_updates_are_let_go_with_one_notice_but_warnings_are_kept() -> None:
    overflow = FakeOverflow("warn")
    processor = PerPersonOrdering(max_concurrent_updates=8, max_waiting=2, overflow=overflow)
    j = Journal()
    names = ["a0", "a1", "a2", "a3", "a4", "warn", "a5"]
    works = {name: j.work(name) for name in names}
    tasks = [submit(processor, message_update(1, text=name), works[name]) for name in names]
    bo = submit(processor, message_update(2, text="bo"), j.work("bo"))
    await settle()
    # a0 runs, a1 and a2 wait (the cap), a3 a4 a5 are let go, one notice for the burst;
    # the warning joins the line however long it is. Bo's line is his own.
    assert overflow.let_go_calls == [("a3", True), ("a4", False), ("a5", False)]
    assert processor.updates_in_line == 5
    for name in (*names, "bo"):
        j.gate(name).set()
    await asyncio.gather(*tasks, bo)
    assert [entry for entry in j.log if entry.startswith("start a") or "warn" in entry] == [
        "start a0", "start a1", "start a2", "start warn", "end warn"]
    for name in ("a3", "a4", "a5"):  # closed, never awaited: no warning at collection
        assert inspect.getcoroutinestate(works[name]) == inspect.CORO_CLOSED
    assert processor.updates_in_line == processor.people_in_line == 0


async def test_a_new_burst_after_the_line_emptied_gets_its_own_notice() -> None:
    overflow = FakeOverflow()
    processor = PerPersonOrdering(max_concurrent_updates=8, max_waiting=1, overflow=overflow)
    for burst in (1, 2):
        j = Journal()
        tasks = [submit(processor, message_update(1, text=f"{burst}-{n}"), j.work(str(n)))
                 for n in range(4)]
        await settle()
        for n in range(4):
            j.gate(str(n)).set()
        await asyncio.gather(*tasks)
    assert overflow.let_go_calls == [("1-2", True), ("1-3", False), ("2-2", True),
                                     ("2-3", False)]


async def test_without_an_overflow_nothing_is_let_go() -> None:
    processor = PerPersonOrdering(max_concurrent_updates=8, max_waiting=1)
    j = Journal()
    tasks = [submit(processor, message_update(1), j.work(str(n))) for n in range(5)]
    for n in range(5):
        j.gate(str(n)).set()
    await asyncio.gather(*tasks)
    assert j.log.count("end 4") == 1 and len(j.log) == 10
