"""Keeps the load benchmark runnable: tiny runs whose figures must add up, and proof that a
missing or wrong reply is caught."""

from __future__ import annotations

import dataclasses
import itertools
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.domain.triage import Level
from bot.emulator import Emulator
from bot.loaders.triage import load_triage
from tests.bench.bench_load import (
    BenchResult,
    LoadConfig,
    figures,
    main,
    parse_args,
    run_benchmark,
)
from tests.bench.common import PostgresUnavailable
from tests.bench.load_figures import measure_load
from tests.bench.load_processes import BotChild, python_module, running_child
from tests.bench.load_report import report
from tests.bench.load_script import (
    QUESTIONS,
    SMALL_TALK,
    UNCLEAR,
    WEIGHTS,
    Action,
    echo_plan,
    parse_mix,
    plan,
    think_times,
)

PEOPLE = 4
# With seed 65 the four people's first 9 actions cover every kind of activity; with these
# think times each person gets through several times that in the 3 seconds.
TINY = LoadConfig(people=PEOPLE, minutes=0.05, think_min=0.02, think_max=0.05, warmup=1,
                  timeout=20, seed=65)


def check(result: BenchResult) -> None:
    """What must hold whatever the machine's speed."""
    for run in (result.backcoach, result.echo):
        assert run.people == PEOPLE and run.failures == 0 and run.stopped_people == 0
        assert run.lost_answers == run.wrong_replies == 0 and run.errors == []
        # Every send and press was answered, each was one update, and each was timed.
        assert run.actions == run.sends + run.presses == run.updates == run.latency.count
        assert run.actions == sum(lat.count for lat in run.by_activity.values())
        lat = run.latency
        assert 0 < lat.p50_ms <= lat.p90_ms <= lat.p99_ms <= lat.max_ms
        assert TINY.seconds / 2 < run.wall_seconds < TINY.seconds + TINY.timeout
        assert run.actions_per_second > 0 and run.updates_per_second > 0
        # The bot's own process, measured from outside, and the benchmark's.
        assert run.cpu_seconds > 0 and run.max_rss_mib > 0 and run.crowd_cpu_seconds > 0
    back, echo = result.backcoach, result.echo
    assert all(back.by_activity[name].count > 0 for name in WEIGHTS), back.by_activity
    # One answer per press from both bots, and the echo bot's one message per update.
    assert back.api_calls["answerCallbackQuery"] == back.presses
    assert echo.api_calls["answerCallbackQuery"] == echo.presses
    assert echo.api_calls["sendMessage"] == echo.actions
    assert back.limiter_waited_seconds is not None
    assert result.ratio.actions_per_second > 0 and result.ratio.p99 > 0
    assert result.machine["cpu_count"] and result.run_seconds > 0 and not result.failed
    printed = report(result)
    for words in ("backcoach", "echo (PTB)", "typed question", "limits=None", "Machine:",
                  "Result: OK"):
        assert words in printed
    data = json.loads(json.dumps(figures(result)))
    assert data["benchmark"] == "load" and data["failed"] is False
    assert data["backcoach"]["actions"] == back.actions


async def test_a_tiny_load_run_adds_up() -> None:
    result = await run_benchmark(TINY)
    assert result.database_server.startswith("SQLite")
    check(result)


@pytest.mark.postgres
async def test_the_same_on_postgresql() -> None:
    try:
        result = await run_benchmark(dataclasses.replace(TINY, database="postgres"))
    except PostgresUnavailable as exc:
        pytest.skip(str(exc))
    assert result.database_server.startswith("PostgreSQL")
    check(result)


def _saying(text: str, expect: str) -> Iterator[Action]:
    return iter([Action("free text", "send", text, expect)])


async def test_a_wrong_reply_and_a_missing_one_are_caught(tmp_path: Path) -> None:
    async with Emulator(limits=None) as emu, Emulator(limits=None) as unwatched:
        child = BotChild("echo", python_module("tests.bench.echo", "--base-url", emu.base_url,
                                               "--concurrency", "4"), {}, emu, tmp_path)
        async with running_child(child):
            wrong = await measure_load(emu, child, "echo", 2,
                                       lambda i: _saying("hi", "not said"),
                                       lambda i: itertools.repeat(0.0), 1.0, timeout=0.5)
            # Nobody polls this emulator: its sends are never answered.
            lost = await measure_load(unwatched, child, "gone", 2,
                                      lambda i: _saying("hi", "You said"),
                                      lambda i: itertools.repeat(0.0), 1.0, timeout=0.5)
    assert (wrong.wrong_replies, wrong.lost_answers, wrong.actions) == (2, 0, 0)
    assert (lost.wrong_replies, lost.lost_answers, lost.actions) == (0, 2, 0)
    for run in (wrong, lost):
        assert run.failures and run.stopped_people == 2 and run.errors
    assert "WrongReply" in wrong.errors[0] and "LostAnswer" in lost.errors[0]


def test_plans_are_seeded_and_the_echo_bot_gets_the_same_updates() -> None:
    first = list(itertools.islice(plan(3, seed=7), 300))
    assert first == list(itertools.islice(plan(3, seed=7), 300))
    assert first != list(itertools.islice(plan(4, seed=7), 300))
    echoed = list(itertools.islice(echo_plan(3, seed=7), 300))
    assert [a.kind for a in first] == [a.kind for a in echoed]
    assert [a.arg for a in first if a.kind == "send"] == [
        a.arg for a in echoed if a.kind == "send"]
    assert {a.activity for a in first} == {"onboarding", *WEIGHTS}
    pauses = list(itertools.islice(think_times(3, 7, 1.0, 5.0), 100))
    assert all(1.0 <= p <= 5.0 for p in pauses)
    assert pauses == list(itertools.islice(think_times(3, 7, 1.0, 5.0), 100))
    no_sessions = itertools.islice(plan(3, 7, parse_mix("session=0")), 300)
    assert "session" not in {a.activity for a in no_sessions}


def test_no_scripted_text_sounds_like_a_warning_sign() -> None:
    triage = load_triage()
    decided = {text: triage.decide(text) for text in (*QUESTIONS, *UNCLEAR, *SMALL_TALK)}
    flagged = {text: d.rule for text, d in decided.items() if d.level != Level.NONE}
    assert flagged == {}
    assert not [text for text, d in decided.items() if d.unreadable]


def test_the_command_line() -> None:
    args = parse_args([])
    assert (args.people, args.minutes, args.database, args.json, args.think, args.timeout) == (
        1000, 3.0, "sqlite", None, (1.0, 5.0), 30.0)
    assert args.mix == WEIGHTS
    args = parse_args(["--people", "7", "--minutes", "0.5", "--database", "postgres",
                       "--json", "out.json", "--think", "0", "2", "--mix",
                       "typed_question=0,ask=1"])
    assert (args.people, args.minutes, args.database, str(args.json)) == (
        7, 0.5, "postgres", "out.json")
    assert args.mix["typed question"] == 0 and args.mix["ask"] == 1
    with pytest.raises(SystemExit):
        parse_args(["--mix", "dancing=3"])


def test_the_command_runs_prints_and_writes_json(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "load.json"
    code = main(["--people", "2", "--minutes", "0.03", "--think", "0.02", "0.05", "--warmup",
                 "0", "--json", str(out)])
    printed = capsys.readouterr().out
    assert code == 0, printed
    assert "Result: OK" in printed and json.loads(out.read_text())["failed"] is False
