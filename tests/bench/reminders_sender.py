"""The reminder benchmark's sending process: the bot's dispatcher and Bot, apart from the
emulator (see tests/bench/reminders_send.py).

    python -m tests.bench.reminders_sender --database-url URL --base-url URL --now ISO
        --seconds S --per-chat RATE --global-rate RATE

Prints its figures (reminders_send.ChildFigures) as one line of JSON on stdout.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime

from bot.app.clock import ManualClock
from bot.app.wiring import build_deps
from bot.config.settings import Settings
from tests.bench.reminders_send import ChildFigures, send_in_this_process


async def run(args: argparse.Namespace) -> ChildFigures:
    """Build the bot's dependencies at the benchmark's `now` and send for `seconds`."""
    settings = Settings(database_url=args.database_url, rate_limit_per_chat=args.per_chat,
                        rate_limit_global=args.global_rate)
    deps = build_deps(settings, clock=ManualClock(datetime.fromisoformat(args.now)))
    try:
        return await send_in_this_process(deps, args.base_url, args.seconds)
    finally:
        await deps.close()


def main(argv: Sequence[str] | None = None) -> int:
    """Send, then print the figures as JSON."""
    parser = argparse.ArgumentParser(prog="python -m tests.bench.reminders_sender")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--now", required=True, help="the bot's clock, ISO 8601")
    parser.add_argument("--seconds", type=float, required=True)
    parser.add_argument("--per-chat", type=float, required=True)
    parser.add_argument("--global-rate", type=float, required=True)
    figures = asyncio.run(run(parser.parse_args(argv)))
    print(json.dumps(asdict(figures), allow_nan=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
