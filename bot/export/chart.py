"""The pain chart: ratings 0-10 over time, as a PNG readable on a phone and in the PDF.

Drawn with a Figure and the Agg canvas directly (no pyplot), so it keeps no global state
and can run in any thread. Font sizes are set on each element, never through rcParams.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta, tzinfo

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import DayLocator, HourLocator, date2num, num2date
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.ticker import FuncFormatter

from bot.export.common import LABEL_KEYS as COMMON_KEYS
from bot.export.common import clock, local, say, short_date, zone_of
from bot.export.report import PainPoint, VisitReport

# Each moment: how it is drawn (Okabe-Ito colours, told apart by shape too) and joined.
_SERIES: tuple[tuple[str, str, str, str], ...] = (
    ("checkin", "#0072B2", "o", "-"),
    ("before", "#E69F00", "v", ""),
    ("during", "#D55E00", "s", ""),
    ("after", "#009E73", "^", ""),
)
LABEL_KEYS: tuple[str, ...] = (
    *COMMON_KEYS, "chart.title", "chart.y_axis", "chart.x_axis", "chart.empty",
    *(f"chart.{moment}" for moment, *_ in _SERIES),
)
# The figure is this wide whatever the pixels, so text keeps its size relative to the image.
_WIDTH_INCHES = 7.5
_TITLE_PT, _AXIS_PT, _TICK_PT, _NOTE_PT = 17.0, 14.0, 13.0, 16.0
_MIN_PX = 200
# Room on the right for a date label centred on the last tick.
_SIDE_PAD_INCHES = 0.25


def pain_chart_png(report: VisitReport, width_px: int = 1200, height_px: int = 700) -> bytes:
    """The person's pain ratings over time as a PNG of exactly width_px by height_px."""
    if width_px < _MIN_PX or height_px < _MIN_PX:
        raise ValueError(f"chart too small: {width_px}x{height_px}")
    dpi = width_px / _WIDTH_INCHES
    # Agg truncates the pixel size; a hair over keeps 1200 from becoming 1199.
    figure = Figure(figsize=((width_px + 0.01) / dpi, (height_px + 0.01) / dpi), dpi=dpi,
                    layout=ConstrainedLayoutEngine(w_pad=_SIDE_PAD_INCHES))
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    labels = report.labels
    _frame(axes, report)
    if report.pain:
        _plot(figure, axes, report)
    else:
        axes.set_xticks([])
        axes.text(0.5, 0.5, labels["chart.empty"], transform=axes.transAxes,
                  ha="center", va="center", fontsize=_NOTE_PT, color="#444444")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


def _frame(axes: Axes, report: VisitReport) -> None:
    """Title, axis names, the fixed 0-10 scale and a light grid."""
    labels = report.labels
    axes.set_title(labels["chart.title"], fontsize=_TITLE_PT, fontweight="bold", loc="left")
    axes.set_ylabel(labels["chart.y_axis"], fontsize=_AXIS_PT)
    axes.set_xlabel(say(labels, "chart.x_axis", zone=report.zone), fontsize=_AXIS_PT)
    axes.set_ylim(-0.5, 10.5)
    axes.set_yticks(range(0, 11, 2))
    axes.tick_params(labelsize=_TICK_PT)
    axes.grid(True, color="#dddddd", linewidth=0.8)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)


def _plot(figure: Figure, axes: Axes, report: VisitReport) -> None:
    """One marker series per moment, local dates along the bottom, the legend below."""
    tz = zone_of(report)
    for moment, colour, marker, line in _SERIES:
        points = [p for p in report.pain if p.moment == moment]
        if points:
            axes.plot(_days([p.at for p in points]), [_clamped(p) for p in points],
                      color=colour, marker=marker, linestyle=line or "none", linewidth=1.5,
                      markersize=9, label=report.labels[f"chart.{moment}"])
    _date_axis(axes, report, tz)
    if axes.get_legend_handles_labels()[0]:
        figure.legend(loc="outside lower center", ncols=2, fontsize=_TICK_PT, frameon=False)


def _days(moments: list[datetime]) -> list[float]:
    """Matplotlib's date numbers (aware times, so the same instant in any zone)."""
    return [float(day) for day in date2num(moments)]  # type: ignore[no-untyped-call]  # untyped


def _date_axis(axes: Axes, report: VisitReport, tz: tzinfo) -> None:
    """Whole local days from the first rating to the last, ticks every few days or 6 hours."""
    first, last = _day_span(report.pain, tz)
    start, end = _days([first, last])
    axes.set_xlim(start, end)
    days = max(1, round((last - first) / timedelta(days=1)))
    # Both locators are untyped in matplotlib's stubs.
    locator = (
        HourLocator(byhour=range(0, 24, 6), tz=tz)  # type: ignore[no-untyped-call]
        if days <= 2
        else DayLocator(interval=math.ceil(days / 6), tz=tz)  # type: ignore[no-untyped-call]
    )
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(_tick_text(tz, report.labels, last.year))


def _clamped(point: PainPoint) -> int:
    """The rating kept on the 0-10 scale the axis shows."""
    return min(10, max(0, point.rating))


def _day_span(points: list[PainPoint], tz: tzinfo) -> tuple[datetime, datetime]:
    """Local midnight before the first rating and after the last one."""
    days = [local(p.at, tz).date() for p in points]
    return _midnight(min(days), tz), _midnight(max(days) + timedelta(days=1), tz)


def _midnight(day: date, tz: tzinfo) -> datetime:
    """The start of `day` on the person's clock."""
    return datetime.combine(day, time(0), tzinfo=tz)


def _tick_text(tz: tzinfo, labels: Mapping[str, str], year: int) -> FuncFormatter:
    """Ticks read '3 Dec' at midnight and '06:00' in between, in the person's zone."""

    def text(value: float, _position: int | None = None) -> str:
        moment: datetime = num2date(value, tz)  # type: ignore[no-untyped-call]  # untyped
        if moment.hour == 0 and moment.minute == 0:
            return short_date(moment.date(), labels, year)
        return clock(moment, labels)

    return FuncFormatter(text)
