"""One bot under the load benchmark's crowd, measured and summed up into figures."""

from __future__ import annotations

import resource
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from bot.emulator import Emulator
from tests.bench.common import KINDS_KEPT, SAMPLES_KEPT, percentile, ratio
from tests.bench.load_crowd import LoopLag, PausesOf, PersonRecord, PlanOf, run_crowd
from tests.bench.load_processes import BotChild, ChildGroup, read_logs
from tests.bench.load_script import ACTIVITIES

# Methods that are the bot asking for work or setting itself up, not answering people.
NOT_ANSWERS = frozenset({"getupdates", "deletewebhook", "getme", "setmycommands"})


@dataclass
class Latency:
    """Reply latencies of a group of actions, in milliseconds."""

    count: int
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    mean_ms: float


def latency(seconds: Sequence[float]) -> Latency:
    """Percentiles (nearest rank) of unsorted latencies given in seconds."""
    ordered = sorted(seconds)
    return Latency(count=len(ordered), p50_ms=percentile(ordered, 50) * 1000,
                   p90_ms=percentile(ordered, 90) * 1000,
                   p99_ms=percentile(ordered, 99) * 1000,
                   max_ms=(ordered[-1] if ordered else 0.0) * 1000,
                   mean_ms=statistics.fmean(ordered) * 1000 if ordered else 0.0)


@dataclass
class LoadRun:
    """One bot under the crowd for a while."""

    bot: str
    people: int
    seconds_asked: float
    wall_seconds: float
    actions: int  # answered ones
    sends: int
    presses: int
    actions_per_second: float
    updates: int  # produced by the crowd during the run
    updates_unconfirmed: int  # not confirmed by the bot's getUpdates when the run ended
    updates_per_second: float  # updates the bot confirmed / wall time
    api_calls: dict[str, int]
    api_calls_per_second: float  # the bot's calls answering people, per second
    api_errors: dict[str, int]
    latency: Latency
    by_activity: dict[str, Latency]
    lost_answers: int
    wrong_replies: int
    stopped_people: int
    errors: list[str]
    log_warnings: int
    log_kinds: dict[str, int]
    log_samples: list[str]
    cpu_seconds: float  # the bot's process, user + system
    crowd_cpu_seconds: float  # the benchmark's process: the emulator and the crowd
    loop_lag_p99_ms: float  # the benchmark's event loop (emulator and crowd), not the bot's
    loop_lag_max_ms: float
    max_rss_mib: float  # the bot's process, its peak so far
    limiter_waited_seconds: float | None = None

    @property
    def failures(self) -> int:
        """Everything that makes the run a failed check."""
        bad_calls = sum(self.api_errors.values())
        return (self.lost_answers + self.wrong_replies + bad_calls + self.log_warnings
                + self.updates_unconfirmed)


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def measure_load(emulator: Emulator, child: BotChild | ChildGroup, bot: str, people: int,
                       plan_of: PlanOf, pauses_of: PausesOf, seconds: float,
                       timeout: float) -> LoadRun:  # noqa: ASYNC109
    """Run the crowd against a bot process already polling `emulator` and sum it up."""
    world = emulator.world
    first_request, first_update = len(world.requests), world.queue.last_id
    crowd_before, bot_before, log_start = _cpu_seconds(), child.cpu_seconds(), child.log_size()
    async with LoopLag() as lag:
        records, wall = await run_crowd(emulator, f"{bot}-", people, plan_of, pauses_of,
                                        seconds, timeout)
        # The bot confirms a batch when it fetches the next one; give it a moment.
        await world.queue.wait_delivered(within=min(timeout, 10.0))
    crowd_cpu, cpu = _cpu_seconds() - crowd_before, child.cpu_seconds() - bot_before
    logs = read_logs(child.log_path, log_start)
    updates = world.queue.last_id - first_update
    unconfirmed = sum(1 for u in world.queue.pending() if u["update_id"] > first_update)
    requests = world.requests[first_request:]
    answering = sum(1 for r in requests if r.method.lower() not in NOT_ANSWERS)
    return summarise(
        bot, people, seconds, wall, records, updates, unconfirmed,
        api_calls=dict(Counter(r.method for r in requests).most_common()),
        api_calls_per_second=ratio(answering, wall),
        api_errors=dict(Counter(f"{r.method} {r.status}" for r in requests
                                if r.status != 200).most_common()),
        logs=(logs.count, dict(logs.kinds.most_common(KINDS_KEPT)), list(logs.samples.values())),
        cpu_seconds=(cpu, crowd_cpu), lag=sorted(lag.samples), max_rss_mib=child.peak_rss_mib())


def summarise(bot: str, people: int, seconds: float, wall: float,
              records: Sequence[PersonRecord], updates: int, unconfirmed: int, *,
              api_calls: dict[str, int], api_calls_per_second: float,
              api_errors: dict[str, int], logs: tuple[int, dict[str, int], list[str]],
              cpu_seconds: tuple[float, float], lag: Sequence[float],
              max_rss_mib: float) -> LoadRun:
    """The figures of one run from what each person recorded and what the emulator saw."""
    every = [s for r in records for values in r.latencies.values() for s in values]
    by_activity = {name: latency([s for r in records for s in r.latencies.get(name, [])])
                   for name in ACTIVITIES}
    errors = [r.error for r in records if r.error is not None]
    log_count, log_kinds, log_samples = logs
    return LoadRun(
        bot=bot, people=people, seconds_asked=seconds, wall_seconds=wall, actions=len(every),
        sends=sum(r.sends for r in records), presses=sum(r.presses for r in records),
        actions_per_second=ratio(len(every), wall), updates=updates,
        updates_unconfirmed=unconfirmed,
        updates_per_second=ratio(updates - unconfirmed, wall), api_calls=api_calls,
        api_calls_per_second=api_calls_per_second, api_errors=api_errors,
        latency=latency(every), by_activity=by_activity,
        lost_answers=sum(r.lost for r in records), wrong_replies=sum(r.wrong for r in records),
        stopped_people=len(errors), errors=list(dict.fromkeys(errors))[:SAMPLES_KEPT],
        log_warnings=log_count, log_kinds=log_kinds, log_samples=log_samples,
        cpu_seconds=cpu_seconds[0], crowd_cpu_seconds=cpu_seconds[1],
        loop_lag_p99_ms=percentile(lag, 99) * 1000,
        loop_lag_max_ms=(lag[-1] if lag else 0.0) * 1000, max_rss_mib=max_rss_mib)
