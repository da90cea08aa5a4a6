"""Stopping cleanly: the event that SIGINT or SIGTERM sets, for every way of running."""

from __future__ import annotations

import asyncio
import contextlib
import signal


def stop_event_on_signals() -> asyncio.Event:
    """An event set by SIGINT or SIGTERM, so shutdown is always clean."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    return stop
