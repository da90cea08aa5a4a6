"""Memory figures for the reminder benchmark: tracemalloc for Python objects, and the
resident set (with its peak reset first) for everything, C allocations included (Linux)."""

from __future__ import annotations

import gc
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

MIB = 1024 * 1024
_STATUS = Path("/proc/self/status")
_CLEAR_REFS = Path("/proc/self/clear_refs")


@dataclass
class Memory:
    """What one piece of work cost in memory, in MiB (None: not measurable here)."""

    traced_peak: float | None = None
    traced_kept: float | None = None
    rss_peak: float | None = None
    rss_kept: float | None = None


def _status_kib(field: str) -> int | None:
    try:
        for line in _STATUS.read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def rss_available() -> bool:
    """Whether the resident set and its resettable peak can be read (Linux)."""
    return _status_kib("VmRSS") is not None and _CLEAR_REFS.exists()


def _reset_peak_rss() -> bool:
    try:
        _CLEAR_REFS.write_text("5")  # resets VmHWM to the current RSS
    except OSError:
        return False
    return True


@contextmanager
def rss_measured(memory: Memory) -> Iterator[None]:
    """Fill memory.rss_peak and rss_kept: the resident set's growth at its peak and at the end.

    Both include C allocations (SQLite's page cache, the drivers); the end figure is after
    a garbage collection, with whatever the block kept still referenced by the caller.
    """
    gc.collect()
    before = _status_kib("VmRSS")
    reset = _reset_peak_rss()
    yield
    gc.collect()
    after, peak = _status_kib("VmRSS"), _status_kib("VmHWM")
    if before is None or after is None:
        return
    memory.rss_kept = (after - before) / 1024
    if reset and peak is not None:
        memory.rss_peak = (peak - before) / 1024


@contextmanager
def traced(memory: Memory) -> Iterator[None]:
    """Fill memory.traced_peak and traced_kept with tracemalloc (Python allocations only).

    tracemalloc slows allocation-heavy code several times over: never time inside this.
    """
    gc.collect()
    tracemalloc.start()
    try:
        base, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        yield
        gc.collect()
        current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    memory.traced_peak = (peak - base) / MIB
    memory.traced_kept = (current - base) / MIB
