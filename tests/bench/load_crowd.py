"""Driving the load benchmark's crowd: people with think times, each action timed to its reply.

An action's latency runs from just before the driver puts the update into the emulator to
the moment the reply the person waits for is in their chat: the bot message or edit
containing the expected text (or, for a few presses, the toast answering the press). A
reply that does not come within the timeout is a lost answer, unless some other message
came instead: then it is a wrong reply. Either stops that person, whose state is then
unknown; the others go on.
"""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from bot.emulator import Emulator, TestUser, TranscriptEntry
from bot.emulator.chatview import MESSAGE_KINDS
from tests.bench.common import InBackground
from tests.bench.load_script import Action

LAG_INTERVAL = 0.05  # seconds between the loop-lag probe's wake-ups


class LostAnswer(Exception):
    """No reply at all within the timeout."""


class WrongReply(Exception):
    """Replies came within the timeout, but not the one expected."""


def matches(entry: TranscriptEntry, action: Action) -> bool:
    """Whether a bot transcript entry is the reply `action` waits for."""
    if action.answer:
        if entry.kind != "callback_answer":
            return False
    elif entry.kind not in MESSAGE_KINDS:
        return False
    return action.expect is None or action.expect.lower() in entry.text.lower()


@dataclass
class _Wait:
    transcript: list[TranscriptEntry]
    seen: int
    action: Action
    future: asyncio.Future[TranscriptEntry]


class ReplyWatcher(InBackground):
    """Resolves each waiting person's future when their expected reply is in their chat.

    Event-driven on the emulator's Signal like TestUser.wait_for, but with one watching
    coroutine: wait_for wakes every waiting person on every entry in any chat, which is
    quadratic in the crowd (see tests/bench/common.py ResponseWatcher). A wake-up here
    compares transcript lengths and reads only the new entries.
    """

    def __init__(self, emulator: Emulator) -> None:
        self._world = emulator.world
        self._waiting: dict[int, _Wait] = {}
        super().__init__()

    async def reply(self, user: TestUser, action: Action,
                    timeout: float) -> TranscriptEntry:  # noqa: ASYNC109
        """The reply to the person's last action; LostAnswer or WrongReply after timeout."""
        if self._task is None or self._task.done():
            raise RuntimeError("the reply watcher is not running: use it as `async with`")
        transcript = self._world.chats[user.chat_id].transcript
        since = user.chat.last_action
        wait = _Wait(transcript, since, action, asyncio.get_running_loop().create_future())
        self._waiting[user.chat_id] = wait
        self._check()  # it may be there already
        try:
            return await asyncio.wait_for(wait.future, timeout)
        except TimeoutError:
            raise self._failure(transcript[since:], action, timeout) from None
        finally:
            self._waiting.pop(user.chat_id, None)

    @staticmethod
    def _failure(entries: list[TranscriptEntry], action: Action, timeout: float) -> Exception:
        wanted = f"{action.kind} {action.arg!r} (expecting {action.expect!r})"
        got = [e for e in entries if e.who == "bot" and e.kind in MESSAGE_KINDS]
        if not got:
            return LostAnswer(f"no reply within {timeout:g} s to {wanted}")
        last = got[-1].text.replace("\n", " ")[:120]
        return WrongReply(f"{wanted} got {len(got)} other replies, the last: {last!r}")

    async def _run(self) -> None:
        while True:
            self._check()
            await self._world.signal.wait(None)

    def _check(self) -> None:
        for wait in list(self._waiting.values()):
            if wait.future.done() or wait.seen >= len(wait.transcript):
                continue
            for entry in wait.transcript[wait.seen:]:
                if entry.who == "bot" and matches(entry, wait.action):
                    wait.future.set_result(entry)
                    break
            else:
                wait.seen = len(wait.transcript)


class LoopLag(InBackground):
    """How late a coroutine asking to sleep LAG_INTERVAL wakes: the event loop's backlog."""

    def __init__(self) -> None:
        super().__init__()
        self.samples: list[float] = []

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            before = loop.time()
            await asyncio.sleep(LAG_INTERVAL)
            self.samples.append(max(0.0, loop.time() - before - LAG_INTERVAL))


@dataclass
class PersonRecord:
    """What one person did: latencies (seconds) by activity, and why they stopped early."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    sends: int = 0
    presses: int = 0
    lost: int = 0
    wrong: int = 0
    error: str | None = None


async def run_person(user: TestUser, actions: Iterator[Action], pauses: Iterator[float],
                     deadline: float, watcher: ReplyWatcher,
                     timeout: float) -> PersonRecord:  # noqa: ASYNC109
    """Think, act, wait for the reply; until the next pause would end past the deadline."""
    record = PersonRecord()
    clock = asyncio.get_running_loop().time
    for action, pause in zip(actions, pauses, strict=False):
        if clock() + pause >= deadline:
            break
        await asyncio.sleep(pause)
        started = time.perf_counter()
        try:
            if action.kind == "send":
                record.sends += 1
                await user.send(action.arg)
            else:
                record.presses += 1
                await user.press(action.arg)
            await watcher.reply(user, action, timeout)
        except Exception as exc:  # a benchmark counts failures rather than raising them
            record.lost += isinstance(exc, LostAnswer)
            record.wrong += not isinstance(exc, LostAnswer)
            first_line = str(exc).splitlines()[0] if str(exc) else ""
            record.error = f"{action.activity}: {type(exc).__name__}: {first_line}"
            break
        record.latencies[action.activity].append(time.perf_counter() - started)
    return record


PlanOf = Callable[[int], Iterator[Action]]
PausesOf = Callable[[int], Iterator[float]]


async def run_crowd(emulator: Emulator, prefix: str, people: int, plan_of: PlanOf,
                    pauses_of: PausesOf, seconds: float,
                    timeout: float) -> tuple[list[PersonRecord], float]:  # noqa: ASYNC109
    """Everyone at once for `seconds`; their records and the wall time until the last one ended."""
    users = [emulator.user(f"{prefix}{index}") for index in range(people)]
    async with ReplyWatcher(emulator) as watcher:
        started = time.perf_counter()
        deadline = asyncio.get_running_loop().time() + seconds
        records = await asyncio.gather(*(
            run_person(user, plan_of(index), pauses_of(index), deadline, watcher, timeout)
            for index, user in enumerate(users)))
        wall = time.perf_counter() - started
    return list(records), wall
