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
import contextlib
import importlib
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


def _exit_with(bot: int) -> None:
    """In a worker: exit as soon as the bot's process is gone.

    A worker holds its own end of the task queue (and the forkserver's liveness pipe), so
    when the bot is killed with SIGKILL (a crash, an OOM kill) it would otherwise wait for
    ever, an orphan, and keep the forkserver alive too.
    """
    def watch() -> None:
        while _alive(bot):
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, name="bot-watch", daemon=True).start()


def _alive(pid: int) -> bool:
    """Whether the process runs (a zombie, killed and not yet reaped, does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat") as stat:  # Linux: the state follows the name
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return True  # no /proc: existing is all we can tell


def _context() -> multiprocessing.context.BaseContext:
    """forkserver, preloading the renderers: each worker is a fork of a small,
    single-threaded server that has imported them once, so a replaced worker is ready at
    once. (spawn, where there is no forkserver: every worker imports them anew.) Never a
    fork of the bot itself: forking a process that runs threads (the database driver's)
    can copy a lock another thread holds into the child, which then hangs."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    # Not "__main__": the bot's whole command line module is not needed to draw.
    context.set_forkserver_preload(["bot.export.pdf", "bot.export.chart"])
    return context


def draw(target: str, *args: Any) -> bytes:
    """In a worker: call "module:function" with `args`. By name, so the bot's own process
    never imports the renderers (matplotlib and fpdf2: a second and a half at every start)."""
    module, _, name = target.partition(":")
    drawn: bytes = getattr(importlib.import_module(module), name)(*args)
    return drawn


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
        self._lock = threading.Lock()
        self._closed = False

    async def start(self) -> None:
        """Start the workers now rather than at the first document (`backcoach run` does,
        so the first export is not slower)."""
        with contextlib.suppress(RenderFailed):  # closed meanwhile: nothing to start
            await asyncio.to_thread(self._started)

    async def run(self, what: str, function: Callable[..., T], *args: Any) -> T:
        """`function(*args)` in a worker; RenderFailed past the deadline or on a crash.

        `what` names the document in the one ERROR line a failure logs (never its data).
        """
        async with self._slots:
            # In a thread: starting a worker waits for the forkserver to import the
            # renderers, which would otherwise stall the event loop for a second or more.
            pool = await asyncio.to_thread(self._started)
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
        with self._lock:
            if self._closed:
                # A pool made after close() would never be stopped, and the interpreter
                # waits for its workers at exit: a SIGTERM right after start hung.
                raise RenderFailed("closed")
            if self._pool is None:
                self._pool = ProcessPoolExecutor(
                    self.workers, mp_context=_context(), initializer=_exit_with,
                    initargs=(os.getpid(),))
                for _ in range(self.workers):
                    self._pool.submit(warm_up)  # starts the workers now
            return self._pool

    def _stop(self, pool: ProcessPoolExecutor) -> None:
        """Kill the pool's workers (a running task cannot be cancelled otherwise)."""
        with self._lock:
            if self._pool is pool:
                self._pool = None
        _kill(pool)

    def close(self) -> None:
        """Stop the workers; a document still being drawn is abandoned. Waits for a start
        in progress (a second or two at most), so that its pool is stopped too."""
        self._closed = True
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            _kill(pool)
            # Let the pool's manager thread finish (its workers are gone, so at once): left
            # running, it closed its wake-up pipe while Python 3.11's exit hook was writing
            # to it, and `run`/`chat` ended with "OSError: Bad file descriptor" (a race
            # CPython 3.12 fixed with a lock).
            pool.shutdown(wait=True)


def _kill(pool: ProcessPoolExecutor) -> None:
    # Private, but the only way before Python 3.14's kill_workers(); stable since 3.8.
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        if process.is_alive():
            process.kill()
    pool.shutdown(wait=False, cancel_futures=True)
