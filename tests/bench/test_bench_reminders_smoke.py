"""Keeps the reminder benchmark runnable: tiny runs whose figures must add up."""

from __future__ import annotations

import json
import math

import pytest

from tests.bench.bench_reminders import (
    GLOBAL_BURST,
    GLOBAL_RATE,
    NAIVE_LOOKUPS,
    BenchResult,
    figures,
    parse_args,
    report,
    run_benchmark,
)
from tests.bench.common import PostgresUnavailable

# More than one burst of the global limit, so the limited run paces some sends, and few
# enough that both runs send everything in a few seconds even on a slow machine.
PEOPLE = 60
SEND_SECONDS = 3.0


def check(result: BenchResult) -> None:
    """What must hold whatever the machine's speed."""
    assert sum(result.zones.values()) == PEOPLE and len(result.zones) > 3
    ours, naive = result.ours, result.naive
    for design in (ours, naive):
        assert design.people == PEOPLE and design.not_at_due == 0
        assert design.seconds > 0 and design.lookup_us > 0
        assert design.lookups_found == design.lookups > 0
        assert design.memory.traced_peak is not None and design.memory.traced_peak > 0
    assert ours.compute_seconds is not None and ours.store_seconds is not None
    assert ours.compute_seconds + ours.store_seconds == pytest.approx(ours.seconds)
    assert naive.lookups == NAIVE_LOOKUPS
    # The naive design keeps every job in memory; ours keeps nothing once the rows are stored.
    assert naive.memory.traced_kept is not None and ours.memory.traced_kept is not None
    assert naive.memory.traced_kept > ours.memory.traced_kept
    assert result.ratio.seconds > 0 and result.ratio.lookup > 0

    claims = result.claims
    assert claims.claimed == PEOPLE and claims.batches == 1 and claims.batch_size == PEOPLE
    assert claims.seconds > 0 and 0 < claims.claim_p50_ms <= claims.claim_max_ms

    for run in (result.limited, result.lifted):
        # Every message the emulator took is recorded sent; what the ticks claimed and did
        # not send is still claimed; nothing else moved.
        assert run.messages == run.sent >= 1 and run.log_warnings == 0
        assert run.claimed == run.sent + run.claimed_unsent
        assert set(run.statuses) <= {"sent", "claimed", "pending"}
        assert sum(run.statuses.values()) == PEOPLE
        assert run.calls["reminder_tick"] >= 1 and run.calls["deliver"] == run.messages
        assert run.calls["reminder_delivered"] == run.messages
        assert run.per_second > 0 and run.seconds_in["reminder_tick"] > 0
        assert all(value > 0 for value in run.ms_each.values())
    limited, lifted = result.limited, result.lifted
    # At Telegram's limits. A 429 can happen (the limiter keeps no margin for the jitter
    # between its clock and the server's), but each must be honoured with a retry, never
    # lost. Past the first burst the pace is the global rate (plus one message over a short
    # span: the bound the figure is computed from).
    assert limited.limiter_retries == limited.http_429
    assert limited.messages > GLOBAL_BURST or limited.claimed_unsent > 0
    if not math.isnan(limited.paced_per_second):
        assert 0 < limited.paced_per_second <= GLOBAL_RATE * 1.25
    assert math.isnan(lifted.paced_per_second) and lifted.per_second > 0
    assert lifted.http_429 == 0 and lifted.limiter_retries == 0
    assert result.machine["cpu_count"] and result.run_seconds > 0

    printed = report(result)
    for words in ("Scheduling", "APScheduler job each", "ours/naive", "claim_due per batch",
                  "limited", "lifted", "Machine:"):
        assert words in printed
    data = json.loads(json.dumps(figures(result)))
    assert data["benchmark"] == "reminders" and data["claims"]["claimed"] == PEOPLE
    assert {"reminder_tick", "deliver", "reminder_delivered"} <= set(data["limited"]["ms_each"])


async def test_a_tiny_reminder_benchmark_run_adds_up() -> None:
    check(await run_benchmark(people=PEOPLE, database="sqlite", send_seconds=SEND_SECONDS))


@pytest.mark.postgres
async def test_the_same_on_postgresql() -> None:
    try:
        result = await run_benchmark(people=PEOPLE, database="postgres",
                                     send_seconds=SEND_SECONDS)
    except PostgresUnavailable as exc:
        pytest.skip(str(exc))
    assert result.database_server.startswith("PostgreSQL")
    check(result)


def test_the_command_line() -> None:
    args = parse_args([])
    assert (args.people, args.database, args.send_seconds, args.json) == (
        100_000, "sqlite", 60.0, None)
    args = parse_args(["--people", "7", "--database", "postgres", "--send-seconds", "2",
                       "--json", "out.json"])
    assert (args.people, args.database, args.send_seconds, str(args.json)) == (
        7, "postgres", 2.0, "out.json")
