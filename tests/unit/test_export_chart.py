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
           # A moment no type allows (an old row, say): drawn anyway, nothing breaks.
           PainPoint(start + timedelta(hours=3), 5, "stretching")]  # type: ignore[arg-type]
    png = pain_chart_png(full_report(pain=odd))
    assert size(png) == (1200, 700)
    assert pixels_of(png, CHECKIN) > 0 and pixels_of(png, AFTER) > 0


def test_a_size_too_small_to_read_is_refused() -> None:
    with pytest.raises(ValueError, match="too small"):
        pain_chart_png(full_report(), 120, 80)


# --- a day's ratings grouped, sessions linked, the weekly average ---

WEEKLY_COLOUR = "#333333"


def _series(report_pain: list[PainPoint]) -> dict[str, list[tuple[float, float]]]:
    """Each labelled line of the chart: its label and its (x, y) points."""
    axes = chart_module.pain_figure(full_report(pain=report_pain)).axes[0]
    found: dict[str, list[tuple[float, float]]] = {}
    for line in axes.get_lines():
        # Line2D says only "array-like"; the chart draws numbers (dates as day numbers).
        xs, ys = np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float)
        found[str(line.get_label())] = [(float(x), float(y))
                                        for x, y in zip(xs, ys, strict=True)]
    return found


def _a_month_of_days() -> list[PainPoint]:
    """Ten days over a month with a check-in, and a session's before, during and after, all
    rated 5 at nearly the same time: markers that used to sit on one another."""
    points = []
    for day in range(1, 30, 3):
        morning = at(day, 10, 8)
        points += [PainPoint(morning, 5, "checkin"),
                   PainPoint(morning + timedelta(minutes=1), 5, "before"),
                   PainPoint(morning + timedelta(minutes=5), 5, "during"),
                   PainPoint(morning + timedelta(minutes=20), 5, "after")]
    return points


def test_a_days_ratings_sit_side_by_side_in_its_column() -> None:
    series = _series(_a_month_of_days())
    first_day = [series[LABELS[f"chart.{m}"]][0][0]
                 for m in ("checkin", "before", "during", "after")]
    assert first_day == sorted(first_day) and len(set(first_day)) == 4  # no two stacked
    assert first_day[-1] - first_day[0] < 1  # all inside that one day
    second_day = series[LABELS["chart.checkin"]][1][0]
    assert second_day - first_day[0] == pytest.approx(3)


def test_a_value_given_twice_at_one_moment_of_a_day_is_one_marker() -> None:
    twice = [PainPoint(at(d, 10, h), 4, "checkin") for d in (1, 20) for h in (8, 20)]
    assert len(_series(twice)[LABELS["chart.checkin"]]) == 2


def test_a_sessions_before_and_after_are_joined() -> None:
    points = [PainPoint(at(1, 10, 8), 6, "before"), PainPoint(at(1, 10, 8, 25), 3, "after"),
              PainPoint(at(20, 10, 8), 5, "before")]  # no after: nothing to join
    axes = chart_module.pain_figure(full_report(pain=points)).axes[0]
    links = [line for line in axes.get_lines() if str(line.get_label()).startswith("_")]
    assert len(links) == 1
    ys = [float(y) for y in np.asarray(links[0].get_ydata(), float)]
    assert ys[:2] == [6.0, 3.0]


def test_the_weekly_average_is_drawn_per_local_week() -> None:
    points = [PainPoint(at(5, 10, 9), 2, "checkin"), PainPoint(at(7, 10, 9), 4, "checkin"),
              PainPoint(at(14, 10, 9), 8, "checkin")]  # Mon 5 and Wed 7 Oct; Wed 14 Oct
    weekly = _series(points)[LABELS["chart.weekly"]]
    assert [y for _, y in weekly] == [3.0, 3.0, 8.0, 8.0]
    axes = chart_module.pain_figure(full_report(pain=points)).axes[0]
    (line,) = [ln for ln in axes.get_lines() if ln.get_label() == LABELS["chart.weekly"]]
    assert line.get_color() == WEEKLY_COLOUR


def test_twenty_thousand_ratings_over_a_year_draw_one_marker_per_day_and_moment() -> None:
    start = at(1, 1)
    many = [PainPoint(start + timedelta(minutes=26 * i), i % 11, ("checkin", "after")[i % 2])
            for i in range(20_000)]
    series = _series(many)
    days = {int(x) for x, _ in series[LABELS["chart.checkin"]]}
    assert len(series[LABELS["chart.checkin"]]) == len(days)  # the day's average only
