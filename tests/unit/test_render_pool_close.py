"""Closing the document renderer leaves no pool thread behind for Python's exit hook."""

from __future__ import annotations

import threading

from bot.export.render_pool import DocumentRenderer


def _pool_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if type(t).__name__ == "_ExecutorManagerThread"]


async def test_close_waits_for_the_pools_manager_thread() -> None:
    before = set(_pool_threads())
    renderer = DocumentRenderer(workers=1, timeout=30)
    await renderer.start()
    started = [t for t in _pool_threads() if t not in before]
    assert started, "starting the renderer runs a pool with its manager thread"

    renderer.close()

    # Left running, that thread closes its wake-up pipe while Python 3.11's exit hook
    # writes to it: "OSError: Bad file descriptor" as `run` and `chat` exit.
    assert not any(thread.is_alive() for thread in started)
