"""Documents (the visit PDF, the pain chart) drawn in worker processes, with a deadline.

Drawing holds the interpreter's lock for as long as it takes (20,000 records once took
38 s), so in a thread it stalled every other person's reply. In a worker process it takes
another core instead. At most `workers` documents are drawn at once; the others wait
their turn, and the deadline counts from when a document's drawing starts, so one slow
document never makes the next one time out. A document over its deadline, or a worker
that died, stops that worker (it is replaced) and raises RenderFailed.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")


class RenderFailed(Exception):
    """A document was not drawn: over its deadline, or its worker died."""


def _exit_with(parent: int) -> None:
    """In a worker: exit as soon as the bot's process is gone.

    A worker holds its own end of the task queue, so a parent killed with SIGKILL (a
    crash, an OOM kill) would otherwise leave it waiting for ever, an orphan.
    """
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def warm_up() -> None:
    """Import the renderers once in a new worker, so the first document is not slower."""
    import bot.export.chart
    import bot.export.pdf  # noqa: F401


class DocumentRenderer:
    """A bounded pool of worker processes, started on first use."""

    def __init__(self, workers: int = 1, timeout: float = 60.0) -> None:
        self.workers = workers
        self.timeout = timeout
        self._slots = asyncio.Semaphore(workers)
        self._pool: ProcessPoolExecutor | None = None

    async def run(self, what: str, function: Callable[..., T], *args: Any) -> T:
        """`function(*args)` in a worker; RenderFailed past the deadline or on a crash.

        `what` names the document in the one ERROR line a failure logs (never its data).
        """
        async with self._slots:
            pool = self._started()
            future = asyncio.wrap_future(pool.submit(function, *args))
            try:
                return await asyncio.wait_for(future, self.timeout)
            except TimeoutError:
                log.error("document %s not drawn: over its %g s deadline; worker stopped",
                          what, self.timeout)
                self._stop(pool)
                raise RenderFailed(what) from None
            except BrokenProcessPool:
                log.error("document %s not drawn: its worker process died", what)
                self._stop(pool)
                raise RenderFailed(what) from None

    def _started(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # spawn: forking a process that runs threads (the database driver's) can
            # copy a lock held by another thread into the child, which then hangs.
            self._pool = ProcessPoolExecutor(self.workers,
                                             mp_context=multiprocessing.get_context("spawn"),
                                             initializer=_exit_with, initargs=(os.getpid(),))
            self._pool.submit(warm_up)
        return self._pool

    def _stop(self, pool: ProcessPoolExecutor) -> None:
        """Kill the pool's workers (a running task cannot be cancelled otherwise)."""
        if self._pool is pool:
            self._pool = None
        # Private, but the only way before Python 3.14's kill_workers(); stable since 3.8.
        processes = list((getattr(pool, "_processes", None) or {}).values())
        for process in processes:
            if process.is_alive():
                process.kill()
        pool.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        """Stop the workers; a document still being drawn is abandoned."""
        if self._pool is not None:
            self._stop(self._pool)
