"""The headline figures of each known benchmark's JSON, for run_all's summary table.

A benchmark run_all does not know gets no headline: its printed report is still in its
section of the results file.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

Headline = tuple[str, str, str]  # ours, the baseline, ours relative to the baseline


def _num(value: Any, digits: int = 1, unit: str = "") -> str:
    if not isinstance(value, int | float) or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return f"{value:,.{digits}f}{unit}"


def _times(value: Any) -> str:
    return "-" if _num(value) == "-" else f"{value:.2f}x"


def onboarding(data: dict[str, Any]) -> Headline:
    """Updates/s and p50/p99 of Backcoach and of the echo bot."""
    ours, echo, ratio = data["backcoach"], data["echo"], data["ratio"]

    def side(run: dict[str, Any]) -> str:
        return (f"{_num(run['updates_per_second'])} updates/s, p50 {_num(run['p50_ms'], 0)} ms, "
                f"p99 {_num(run['p99_ms'], 0)} ms, {run['failed_people']} failed")

    return (side(ours), f"echo bot: {side(echo)}",
            f"throughput {_times(ratio['throughput'])}, p99 {_times(ratio['p99'])}")


def reminders(data: dict[str, Any]) -> Headline:
    """Scheduling time against one APScheduler job each; sending rates."""
    ours, naive, ratio = data["ours"], data["naive"], data["ratio"]
    limited, lifted = data["limited"], data["lifted"]
    return (f"{data['people']:,} people scheduled in {_num(ours['seconds'], 2)} s; sent "
            f"{_num(limited['per_second'])} msg/s at Telegram's limits, "
            f"{_num(lifted['per_second'])} msg/s lifted",
            f"APScheduler job per person: {_num(naive['seconds'], 2)} s",
            f"time {_times(ratio['seconds'])}, memory kept {_times(ratio['traced_kept'])}")


def load(data: dict[str, Any]) -> Headline:
    """Actions/s, latency and failures of Backcoach and of the echo bot."""
    ours, echo, ratio = data["backcoach"], data["echo"], data["ratio"]

    def side(run: dict[str, Any]) -> str:
        latency = run["latency"]
        errors = run["log_warnings"] + sum(run["api_errors"].values())
        return (f"{run['people']:,} people: {_num(run['actions_per_second'])} actions/s, "
                f"p50 {_num(latency['p50_ms'], 0)} ms, p99 {_num(latency['p99_ms'], 0)} ms, "
                f"{run['lost_answers']} lost, {run['wrong_replies']} wrong, {errors} errors")

    return (side(ours), f"echo bot: {side(echo)}",
            f"actions/s {_times(ratio['actions_per_second'])}, p99 {_times(ratio['p99'])}")


def triage(data: dict[str, Any]) -> Headline:
    """Per-message time of the triage against only reading the words."""
    ours, base = data["engine"], data["baseline"]

    def side(timing: dict[str, Any]) -> str:
        return (f"{timing['name']}: p50 {_num(timing['p50_ms'], 2)} ms, p99 "
                f"{_num(timing['p99_ms'], 2)} ms; 2,000 characters p99 "
                f"{_num(timing['long_p99_ms'], 1)} ms")

    return side(ours), side(base), f"p99 {_times(data['ratio_p99'])}"


def export(data: dict[str, Any]) -> Headline:
    """The visit PDF of a long history against a short one: time, pages, size."""

    def side(run: dict[str, Any]) -> str:
        return (f"{run['records']:,} records: PDF {_num(run['pdf_ms'], 0)} ms, "
                f"{run['pages']} pages, {_num(run['pdf_bytes'] / 1000, 0)} kB")

    return side(data["large"]), f"baseline {side(data['baseline'])}", (
        f"PDF time {_times(data['ratio'])}")


def documents(data: dict[str, Any]) -> Headline:
    """A normal person's reply p99 while a big export is drawn in a worker, and in a thread."""
    after, before = data["after"], data["before"]

    def side(run: dict[str, Any]) -> str:
        return (f"{run['name']}: /help p50 {_num(run['p50_ms'], 0)} ms, p99 "
                f"{_num(run['p99_ms'], 0)} ms; export {_num(run['export_seconds'], 1)} s")

    return side(after), side(before), f"p99 {_times(data['p99_before_over_after'])} lower"


def flood(data: dict[str, Any]) -> Headline:
    """Normal people's p50/p99 with one person flooding, against the run without."""
    calm, flooded, fl = data["calm"]["latency"], data["flooded"]["latency"], data["flood"]

    def side(latency: dict[str, Any]) -> str:
        return f"p50 {_num(latency['p50_ms'], 0)} ms, p99 {_num(latency['p99_ms'], 0)} ms"

    return (f"{data['config']['people']} people with a flood of {fl['updates']} "
            f"({fl['let_go']} let go, {fl['notices']} notice): {side(flooded)}",
            f"without the flood: {side(calm)}",
            f"p50 {_times(data['p50_ratio'])}, p99 {_times(data['p99_ratio'])}")


HEADLINES: dict[str, Callable[[dict[str, Any]], Headline]] = {
    "onboarding": onboarding, "reminders": reminders, "load": load, "triage": triage,
    "export": export, "documents": documents, "flood": flood}


def headline(data: dict[str, Any] | None) -> Headline | None:
    """The headline of a benchmark's JSON, None when unknown or not as expected."""
    if not data or data.get("benchmark") not in HEADLINES:
        return None
    try:
        return HEADLINES[str(data["benchmark"])](data)
    except (KeyError, TypeError, ValueError):
        return None  # an older or newer JSON layout: the printed report still has it all
