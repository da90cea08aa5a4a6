"""The pain chart PNG: the asked size, each moment its own colour, a clear empty state."""

from __future__ import annotations

import io
import struct
from datetime import timedelta

import numpy as np
import pytest
from matplotlib.image import imread
from numpy.typing import NDArray

from bot.export import chart as chart_module
from bot.export.chart import pain_chart_png
from bot.export.report import PainPoint
from tests.unit.test_export_text import LABELS, at, empty_report, full_report, only, sample_pain

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# The series colours (Okabe-Ito), as RGB 0-255.
CHECKIN, BEFORE, DURING, AFTER = (0, 114, 178), (230, 159, 0), (213, 94, 0), (0, 158, 115)


def size(png: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, which a valid PNG has first."""
    assert png[:8] == PNG_SIGNATURE
    length, kind = struct.unpack(">I4s", png[8:16])
    assert (length, kind) == (13, b"IHDR")
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def pixels_of(png: bytes, colour: tuple[int, int, int]) -> int:
    """How many pixels are exactly `colour` (marker interiors are, edges are blended)."""
    image: NDArray[np.float32] = imread(io.BytesIO(png), format="png")
    rgb = np.rint(image[:, :, :3] * 255).astype(int)
    return int(np.all(rgb == np.array(colour), axis=2).sum())


def test_every_label_the_chart_uses_is_in_export_toml() -> None:
    missing = [key for key in chart_module.LABEL_KEYS if key not in LABELS]
    assert not missing
    pain_chart_png(full_report(labels=only(chart_module.LABEL_KEYS)))


@pytest.mark.parametrize(("width", "height"), [(1200, 700), (999, 333), (1201, 701), (640, 480)])
def test_the_png_is_exactly_the_size_asked(width: int, height: int) -> None:
    assert size(pain_chart_png(full_report(), width, height)) == (width, height)


def test_the_default_size_and_a_realistic_file_size() -> None:
    png = pain_chart_png(full_report())
    assert size(png) == (1200, 700)
    assert 10_000 < len(png) < 1_000_000


def test_each_moment_is_its_own_series() -> None:
    png = pain_chart_png(full_report())
    for colour in (CHECKIN, BEFORE, DURING, AFTER):
        assert pixels_of(png, colour) > 200, colour


def test_a_moment_without_ratings_is_not_drawn() -> None:
    checkins = [p for p in sample_pain() if p.moment == "checkin"]
    png = pain_chart_png(full_report(pain=checkins))
    assert pixels_of(png, CHECKIN) > 200
    assert pixels_of(png, BEFORE) == pixels_of(png, DURING) == pixels_of(png, AFTER) == 0


def test_no_ratings_still_gives_a_chart_that_says_so() -> None:
    png = pain_chart_png(empty_report())
    assert size(png) == (1200, 700)
    assert pixels_of(png, CHECKIN) == 0
    # The "no ratings yet" words are drawn: without them the image differs.
    blank = pain_chart_png(empty_report(labels={**LABELS, "chart.empty": ""}))
    assert blank != png and size(blank) == (1200, 700)


def test_the_same_report_draws_the_same_bytes() -> None:
    assert pain_chart_png(full_report()) == pain_chart_png(full_report())


@pytest.mark.parametrize("zone", ["UTC+05:30", "UTC-03:00", "Asia/Kolkata", "nowhere"])
def test_any_stored_zone_works(zone: str) -> None:
    assert size(pain_chart_png(full_report(zone=zone))) == (1200, 700)


def test_a_single_day_and_ratings_off_the_scale_do_not_break_it() -> None:
    start = at(3, hour=8)
    odd = [PainPoint(start, 12, "checkin"), PainPoint(start + timedelta(hours=2), -1, "after"),
           PainPoint(start + timedelta(hours=3), 5, "stretching")]
    png = pain_chart_png(full_report(pain=odd))
    assert size(png) == (1200, 700)
    assert pixels_of(png, CHECKIN) > 0 and pixels_of(png, AFTER) > 0


def test_a_size_too_small_to_read_is_refused() -> None:
    with pytest.raises(ValueError, match="too small"):
        pain_chart_png(full_report(), 120, 80)
