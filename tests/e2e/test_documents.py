"""Documents drawn in worker processes: a deadline, a worker that dies, and the person told.

Real worker processes throughout. The slow "document" is time.sleep and the crashing one
os._exit: real functions known to take long or to kill their process, not our code mocked.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from pathlib import Path

import pytest

from bot.export.render_pool import DocumentRenderer, RenderFailed
from tests.e2e.conftest import BotProcess, TimedWorld
from tests.e2e.test_onboarding import onboard

NOT_DRAWN = "took too long to make"


def errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


async def test_a_worker_that_dies_is_replaced(caplog: pytest.LogCaptureFixture) -> None:
    renderer = DocumentRenderer(workers=1, timeout=60)
    try:
        with pytest.raises(RenderFailed):
            await renderer.run("visit_pdf", os._exit, 3)
        assert errors(caplog) == ["document visit_pdf not drawn: its worker process died"]
        assert await renderer.run("visit_pdf", pow, 2, 10) == 1024  # a fresh worker
    finally:
        renderer.close()


async def test_a_document_past_its_deadline_is_stopped(caplog: pytest.LogCaptureFixture) -> None:
    renderer = DocumentRenderer(workers=1, timeout=3.0)
    try:
        await renderer.run("warm", pow, 1, 1)  # the worker is up (spawned and warmed)
        started = time.monotonic()
        with pytest.raises(RenderFailed):
            await renderer.run("pain_chart", time.sleep, 60)
        assert time.monotonic() - started < 10
        assert errors(caplog) == [
            "document pain_chart not drawn: over its 3 s deadline; worker stopped"]
        assert await renderer.run("pain_chart", pow, 3, 2) == 9
    finally:
        renderer.close()


async def test_the_person_is_told_and_others_are_served(timed: TimedWorld,
                                                        caplog: pytest.LogCaptureFixture) -> None:
    # A deadline no PDF meets: every export times out, for real.
    async with timed.bot(render_timeout_seconds=0.001):
        ana, ben = timed.emulator.user("Ana"), timed.emulator.user("Ben")
        await onboard(ana)
        await onboard(ben)
        await ana.send_and_wait("/ask can I swim?", contains="Saved")
        await ana.send("/export")
        await ben.send_and_wait("/help", contains="What I can do")
        await ana.wait_for(lambda e: NOT_DRAWN in (e.text or ""), what="the apology")
        assert any("can I swim?" in text for text in ana.bot_texts)  # the questions came
        assert not [d for d in ana.documents if (d.filename or "").endswith(".pdf")]
        assert errors(caplog) == [
            "document visit_pdf not drawn: over its 0.001 s deadline; worker stopped"]
        assert not any("swim" in r.getMessage() for r in caplog.records)


async def test_workers_do_not_outlive_a_killed_bot(bot_process: BotProcess) -> None:
    """SIGKILL the bot while its worker is up: the worker exits too, no orphan is left."""
    await bot_process.start()
    ana = bot_process.emulator.user("Ana")
    await onboard(ana)
    await ana.send_and_wait("/export", contains="what to take to your visit", timeout=40)
    await ana.wait_for(lambda e: e.kind == "document", timeout=60, what="the PDF")
    assert bot_process.process is not None
    workers = descendants_of(bot_process.process.pid)
    assert workers, "the export was drawn in a worker process"
    await bot_process.kill()
    for _ in range(100):
        if not [pid for pid in workers if alive(pid)]:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"worker processes {workers} outlived the bot")


def descendants_of(pid: int) -> list[int]:
    """The process ids below `pid`: children, theirs, and so on (Linux /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = [], [pid]
    while frontier:
        below = [child for child, parent in parents.items() if parent in frontier]
        found.extend(below)
        frontier = below
    return found


def alive(pid: int) -> bool:
    """Whether the process exists and is not a zombie."""
    try:
        stat = (Path("/proc") / str(pid) / "stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"
