"""The time zone of a shared location, looked up offline (timezonefinder ships the map)."""

from __future__ import annotations

import functools
import logging

log = logging.getLogger(__name__)


@functools.cache
def _finder() -> object:
    from timezonefinder import TimezoneFinder  # loaded on first use: its data is large

    return TimezoneFinder()


def zone_at(latitude: float, longitude: float) -> str | None:
    """The IANA time zone at these coordinates, or None (at sea, or out of range)."""
    try:
        found = _finder().timezone_at(lat=latitude, lng=longitude)  # type: ignore[attr-defined]
    except ValueError:
        return None
    if not isinstance(found, str) or found.startswith("Etc/"):
        return None  # the open sea: better to ask than to guess
    return found
