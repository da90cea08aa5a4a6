"""SendLimiter: spacing, fairness, global cap and 429 handling, all on virtual time."""

from __future__ import annotations

import asyncio
import datetime as dtm
import heapq
import itertools
import json
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

import pytest
from telegram.error import RetryAfter
from telegram.ext import ExtBot
from telegram.request import BaseRequest, RequestData

from bot.telegram.limiter import SendLimiter, retry_after_seconds

T = TypeVar("T")
EPS = 1e-9

# RetryAfter's own constructor reads its int-valued retry_after, which PTB 22 deprecates.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


class VirtualTime:
    """A clock plus a sleep that only advances when every task is waiting on it."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []
        self._timers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._seq = itertools.count()

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._timers, (self.now + seconds, next(self._seq), fut))
        await fut

    async def run(self, *aws: Awaitable[T]) -> list[T]:
        """Run the awaitables concurrently, jumping the clock to the next timer when idle."""
        tasks = [asyncio.ensure_future(a) for a in aws]
        while True:
            for _ in range(30):  # let every runnable task reach its next wait
                await asyncio.sleep(0)
            if all(t.done() for t in tasks):
                return [t.result() for t in tasks]
            assert self._timers, "tasks are stuck on something other than the clock"
            when, _, fut = heapq.heappop(self._timers)
            self.now = max(self.now, when)
            fut.set_result(None)


class Recorder:
    """Stands in for PTB's request callback: records when each request goes out."""

    def __init__(self, vt: VirtualTime) -> None:
        self.vt = vt
        self.sent: list[tuple[float, str, Any]] = []
        self.failures: dict[Any, list[BaseException]] = {}

    def fail(self, label: Any, *errors: BaseException) -> None:
        self.failures[label] = list(errors)

    def callback(self, label: Any) -> Callable[[], Coroutine[Any, Any, bool]]:
        async def call() -> bool:
            self.sent.append((self.vt.now, "call", label))
            queued = self.failures.get(label)
            if queued:
                raise queued.pop(0)
            return True

        return call

    def times(self, predicate: Callable[[Any], bool] = lambda _: True) -> list[float]:
        return [t for t, _, label in self.sent if predicate(label)]

    def labels(self) -> list[Any]:
        return [label for _, _, label in self.sent]


def request(
    limiter: SendLimiter,
    rec: Recorder,
    label: Any,
    endpoint: str = "sendMessage",
    chat_id: int | str | None = None,
    rate_limit_args: int | None = None,
) -> Awaitable[Any]:
    data: dict[str, Any] = {"text": "hi"}
    if chat_id is not None:
        data["chat_id"] = chat_id
    return limiter.process_request(
        callback=lambda: rec.callback(label)(),
        args=(),
        kwargs={},
        endpoint=endpoint,
        data=data,
        rate_limit_args=rate_limit_args,
    )


@pytest.fixture
def vt() -> VirtualTime:
    return VirtualTime()


def make(vt: VirtualTime, **kwargs: Any) -> SendLimiter:
    return SendLimiter(clock=vt.clock, sleep=vt.sleep, **kwargs)


async def test_one_chat_bursts_then_spaces_out_in_order(vt: VirtualTime) -> None:
    limiter = make(vt, per_chat_rate=1.0, per_chat_burst=3)
    rec = Recorder(vt)
    await vt.run(*(request(limiter, rec, i, chat_id=7) for i in range(10)))

    times = rec.times()
    assert rec.labels() == list(range(10))
    assert times[:3] == [0.0, 0.0, 0.0]
    assert times[-1] == pytest.approx((10 - 3) / 1.0)
    assert all(b - a >= 1.0 - EPS for a, b in itertools.pairwise(times[2:]))
    # Only the head of the chat's line sleeps; the rest queue behind it.
    assert limiter.waited_seconds == pytest.approx(7.0)


async def test_rate_and_burst_are_configurable(vt: VirtualTime) -> None:
    limiter = make(vt, per_chat_rate=4.0, per_chat_burst=1)
    rec = Recorder(vt)
    await vt.run(*(request(limiter, rec, i, chat_id=7) for i in range(5)))
    assert rec.times() == pytest.approx([0.0, 0.25, 0.5, 0.75, 1.0])


async def test_two_chats_do_not_block_each_other(vt: VirtualTime) -> None:
    limiter = make(vt, per_chat_rate=1.0, per_chat_burst=1)
    rec = Recorder(vt)
    await vt.run(
        *(request(limiter, rec, (chat, i), chat_id=chat) for i in range(4) for chat in (1, 2))
    )

    for chat in (1, 2):
        assert [t for t, _, (c, _) in rec.sent if c == chat] == [0.0, 1.0, 2.0, 3.0]
        assert [i for c, i in rec.labels() if c == chat] == [0, 1, 2, 3]
    assert vt.now == 3.0


async def test_global_cap_across_many_chats(vt: VirtualTime) -> None:
    limiter = make(vt, global_rate=10.0, global_burst=10)
    rec = Recorder(vt)
    await vt.run(*(request(limiter, rec, chat, chat_id=chat) for chat in range(50)))

    times = rec.times()
    assert times[-1] == pytest.approx((50 - 10) / 10.0)
    for t in times:  # never more than burst + rate * elapsed by any moment
        assert sum(1 for s in times if s <= t + EPS) <= 10 + 10.0 * t + EPS


async def test_requests_without_chat_skip_the_per_chat_limit(vt: VirtualTime) -> None:
    limiter = make(vt, per_chat_rate=1.0, per_chat_burst=1)
    rec = Recorder(vt)
    await vt.run(*(request(limiter, rec, i, endpoint="setMyCommands") for i in range(20)))
    assert rec.times() == [0.0] * 20


async def test_callback_answers_do_not_wait_behind_the_chat(vt: VirtualTime) -> None:
    limiter = make(vt, per_chat_rate=1.0, per_chat_burst=1)
    rec = Recorder(vt)
    chat_msgs = [request(limiter, rec, ("msg", i), chat_id=5) for i in range(5)]
    # Even if a chat_id rides along (api_kwargs), the answer must not queue behind chat 5.
    answer = request(limiter, rec, "answer", endpoint="answerCallbackQuery", chat_id=5)
    await vt.run(*chat_msgs, answer)
    assert rec.times(lambda label: label == "answer") == [0.0]
    assert vt.now == 4.0


async def test_get_updates_is_never_delayed(vt: VirtualTime) -> None:
    limiter = make(vt, global_rate=1.0, global_burst=1, max_retries=0)
    rec = Recorder(vt)
    rec.fail("flood", RetryAfter(100))
    with pytest.raises(RetryAfter):
        await vt.run(request(limiter, rec, "flood", endpoint="getMe"))
    # Everything is blocked for 100 s and the global bucket is empty, yet:
    await vt.run(*(request(limiter, rec, i, endpoint="getUpdates") for i in range(5)))
    assert rec.times(lambda label: isinstance(label, int)) == [0.0] * 5
    assert vt.sleeps == []


@pytest.mark.parametrize("retry_after", [5, dtm.timedelta(seconds=5)])
async def test_retry_after_is_waited_out_and_retried(vt: VirtualTime, retry_after: Any) -> None:
    limiter = make(vt, per_chat_burst=3)
    rec = Recorder(vt)
    rec.fail("first", RetryAfter(retry_after))
    results = await vt.run(
        request(limiter, rec, "first", chat_id=9),
        request(limiter, rec, "second", chat_id=9),
        request(limiter, rec, "elsewhere", chat_id=10),
    )

    assert results == [True, True, True]
    assert rec.sent == [
        (0.0, "call", "first"),
        (0.0, "call", "elsewhere"),  # a 429 in chat 9 does not hold up chat 10
        (5.0, "call", "first"),
        (5.0, "call", "second"),  # queued behind the retry, no hammering in between
    ]
    assert limiter.retries_after_429 == 1
    assert limiter.waited_seconds >= 5.0


async def test_retry_after_without_chat_blocks_everything(vt: VirtualTime) -> None:
    limiter = make(vt)
    rec = Recorder(vt)
    rec.fail("commands", RetryAfter(3))
    await vt.run(
        request(limiter, rec, "commands", endpoint="setMyCommands"),
        request(limiter, rec, "msg", chat_id=1),
    )
    assert rec.sent[0] == (0.0, "call", "commands")
    assert sorted(rec.sent[1:]) == [(3.0, "call", "commands"), (3.0, "call", "msg")]


async def test_gives_up_after_max_retries(vt: VirtualTime) -> None:
    limiter = make(vt, max_retries=2)
    rec = Recorder(vt)
    rec.fail("doomed", RetryAfter(1), RetryAfter(1), RetryAfter(1), RetryAfter(1))
    with pytest.raises(RetryAfter):
        await vt.run(request(limiter, rec, "doomed", chat_id=3))
    assert len(rec.sent) == 3
    assert limiter.retries_after_429 == 2


async def test_rate_limit_args_overrides_max_retries(vt: VirtualTime) -> None:
    limiter = make(vt, max_retries=5)
    rec = Recorder(vt)
    rec.fail("once", RetryAfter(1))
    with pytest.raises(RetryAfter):
        await vt.run(request(limiter, rec, "once", chat_id=3, rate_limit_args=0))
    assert len(rec.sent) == 1


async def test_other_errors_pass_through_and_free_the_chat(vt: VirtualTime) -> None:
    limiter = make(vt)
    rec = Recorder(vt)
    rec.fail("bad", ValueError("nope"))
    with pytest.raises(ValueError):
        await vt.run(request(limiter, rec, "bad", chat_id=4))
    assert await vt.run(request(limiter, rec, "next", chat_id=4)) == [True]
    assert limiter.retries_after_429 == 0


async def test_string_and_int_chat_ids_share_a_queue(vt: VirtualTime) -> None:
    limiter = make(vt, per_chat_rate=1.0, per_chat_burst=1)
    rec = Recorder(vt)
    await vt.run(request(limiter, rec, "a", chat_id=42), request(limiter, rec, "b", chat_id="42"))
    assert rec.times() == [0.0, 1.0]


async def test_memory_is_bounded_by_recent_chats(vt: VirtualTime) -> None:
    limiter = make(vt, global_rate=1000.0, global_burst=1000)
    rec = Recorder(vt)
    for chat in range(5000):
        await vt.run(request(limiter, rec, chat, chat_id=chat))
        vt.now += 10.0  # every earlier chat's bucket has refilled
    assert limiter.chats_tracked <= 1025


def test_retry_after_seconds_accepts_both_shapes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    assert retry_after_seconds(RetryAfter(dtm.timedelta(seconds=2.5))) == 2.5
    monkeypatch.setenv("PTB_TIMEDELTA", "false")
    assert retry_after_seconds(RetryAfter(7)) == 7.0


class FakeTelegram(BaseRequest):
    """Answers Bot API calls from a script instead of the network."""

    def __init__(self, vt: VirtualTime, replies: list[tuple[int, dict[str, Any]]]) -> None:
        self.vt = vt
        self.replies = replies
        self.calls: list[tuple[float, str]] = []

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
        self.calls.append((self.vt.now, url.rsplit("/", 1)[-1]))
        status, body = self.replies.pop(0)
        return status, json.dumps(body).encode()


async def test_through_ptb_ext_bot(vt: VirtualTime) -> None:
    message = {
        "message_id": 1,
        "date": 0,
        "chat": {"id": 8, "type": "private"},
        "text": "hi",
    }
    flood = {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 4",
        "parameters": {"retry_after": 4},
    }
    fake = FakeTelegram(vt, [(429, flood), (200, {"ok": True, "result": message})])
    limiter = make(vt)
    bot: ExtBot[int] = ExtBot("123:abc", request=fake, rate_limiter=limiter)

    sent = await vt.run(bot.send_message(chat_id=8, text="hi"))

    assert sent[0].text == "hi"
    assert fake.calls == [(0.0, "sendMessage"), (4.0, "sendMessage")]
    assert limiter.retries_after_429 == 1
