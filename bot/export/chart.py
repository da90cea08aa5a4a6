"""The pain chart: ratings 0-10 over time, as a PNG readable on a phone and in the PDF.

A day's ratings sit side by side in that day's column (check-in, before, during, after),
the same value once; a session's before and after are joined by a thin line; a thick line
is the weekly average. Over three days or less, ratings sit at their own time instead.
Drawn with a Figure and the Agg canvas directly (no pyplot), so it keeps no global state
and can run in any thread. Font sizes are set on each element, never through rcParams.
"""

from __future__ import annotations

import functools
import io
import math
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import DayLocator, HourLocator, date2num, num2date
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.ticker import FuncFormatter

from bot.export.common import LABEL_KEYS as COMMON_KEYS
from bot.export.common import clock, local, say, short_date, zone_of
from bot.export.report import PainPoint, VisitReport

# Each moment: how it is drawn (Okabe-Ito colours, told apart by shape too) and where it
# sits in its day's column (a fraction of the day), so a day's ratings never hide each other.
_SERIES: tuple[tuple[str, str, str, float], ...] = (
    ("checkin", "#0072B2", "o", 0.2),
    ("before", "#E69F00", "v", 0.4),
    ("during", "#D55E00", "s", 0.6),
    ("after", "#009E73", "^", 0.8),
)
LABEL_KEYS: tuple[str, ...] = (
    *COMMON_KEYS, "chart.title", "chart.y_axis", "chart.x_axis", "chart.empty", "chart.weekly",
    *(f"chart.{moment}" for moment, *_ in _SERIES),
)
_WEEKLY_COLOUR, _LINK_COLOUR = "#333333", "#999999"
# Up to this many days, ratings are drawn at their own time (there is room for it).
_OWN_TIME_DAYS = 3
# An "after" joins the latest "before" of the same day at most this long before it.
_SESSION_HOURS = 3
_REFERENCE = datetime(2000, 1, 1, tzinfo=UTC)
# Over a longer span, a moment's ratings of one day are drawn as their average.
_EVERY_VALUE_DAYS = 100
# The figure is this wide whatever the pixels, so text keeps its size relative to the image.
_WIDTH_INCHES = 7.5
_TITLE_PT, _AXIS_PT, _TICK_PT, _NOTE_PT = 17.0, 14.0, 13.0, 16.0
_MIN_PX = 200
# Room on the right for a date label centred on the last tick.
_SIDE_PAD_INCHES = 0.25


def pain_chart_png(report: VisitReport, width_px: int = 1200, height_px: int = 700) -> bytes:
    """The person's pain ratings over time as a PNG of exactly width_px by height_px."""
    figure = pain_figure(report, width_px, height_px)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=figure.dpi, metadata={"Software": None})
    return buffer.getvalue()


def pain_figure(report: VisitReport, width_px: int = 1200, height_px: int = 700) -> Figure:
    """The chart as a matplotlib Figure on an Agg canvas (what the PNG is drawn from)."""
    if width_px < _MIN_PX or height_px < _MIN_PX:
        raise ValueError(f"chart too small: {width_px}x{height_px}")
    dpi = width_px / _WIDTH_INCHES
    # Agg truncates the pixel size; a hair over keeps 1200 from becoming 1199.
    figure = Figure(figsize=((width_px + 0.01) / dpi, (height_px + 0.01) / dpi), dpi=dpi,
                    layout=ConstrainedLayoutEngine(w_pad=_SIDE_PAD_INCHES))
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    _frame(axes, report)
    if report.pain:
        _plot(figure, axes, report)
    else:
        axes.set_xticks([])
        axes.text(0.5, 0.5, report.labels["chart.empty"], transform=axes.transAxes,
                  ha="center", va="center", fontsize=_NOTE_PT, color="#444444")
    return figure


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
    """The weekly average, the session links, one marker series per moment, the legend."""
    tz = zone_of(report)
    first, last = _day_span(report.pain, tz)
    own_time = (last - first) <= timedelta(days=_OWN_TIME_DAYS)
    size = 9.0 if (last - first) <= timedelta(days=21) else 6.0
    by_day = (last - first) > timedelta(days=_EVERY_VALUE_DAYS)
    _weekly(axes, report, tz, first, last, on_top=by_day)
    if not by_day:  # at that scale the links are a grey blur; the weekly line says it
        _links(axes, report.pain, tz, own_time)
    for moment, colour, marker, _slot in _SERIES:
        shown = _markers([p for p in report.pain if p.moment == moment], tz, own_time,
                         by_day=by_day)
        if shown:
            axes.plot([x for x, _ in shown], [y for _, y in shown], color=colour,
                      marker=marker, linestyle="none", markersize=size,
                      markeredgecolor="white", markeredgewidth=0.6,
                      label=report.labels[f"chart.{moment}"], zorder=3)
    _date_axis(axes, report, tz)
    if axes.get_legend_handles_labels()[0]:
        figure.legend(loc="outside lower center", ncols=3, fontsize=_TICK_PT - 1,
                      frameon=False)


def _markers(points: list[PainPoint], tz: tzinfo, own_time: bool,
             by_day: bool) -> list[tuple[float, float]]:
    """Where one moment's markers go: each value once per place; over a long span, the
    day's average only (a column of every value a day had says nothing at that scale)."""
    places: dict[float, list[int]] = {}
    for point in points:
        places.setdefault(_x(point, tz, own_time), []).append(_clamped(point))
    if by_day:
        return sorted((x, sum(v) / len(v)) for x, v in places.items())
    return sorted({(x, float(v)) for x, values in places.items() for v in values})


def _x(point: PainPoint, tz: tzinfo, own_time: bool) -> float:
    """Where a rating sits: at its time, or in its moment's place in its day's column."""
    moment = local(point.at, tz)
    if own_time:
        return _days([moment])[0]
    slot = dict((m, s) for m, _c, _k, s in _SERIES).get(point.moment, 0.5)
    return _days([_midnight(moment.date(), tz)])[0] + slot


def _links(axes: Axes, points: list[PainPoint], tz: tzinfo, own_time: bool) -> None:
    """A thin line from each session's "before" to its "after" (the latest "before" of the
    same day, at most a few hours earlier)."""
    segments: set[tuple[float, int, float, int]] = set()
    latest_before: PainPoint | None = None
    for point in sorted(points, key=lambda p: p.at):
        if point.moment == "before":
            latest_before = point
        elif point.moment == "after" and latest_before is not None:
            same_day = local(latest_before.at, tz).date() == local(point.at, tz).date()
            if same_day and point.at - latest_before.at <= timedelta(hours=_SESSION_HOURS):
                segments.add((_x(latest_before, tz, own_time), _clamped(latest_before),
                              _x(point, tz, own_time), _clamped(point)))
            latest_before = None
    xs: list[float] = []
    ys: list[float] = []
    for x0, y0, x1, y1 in sorted(segments):  # one line broken by gaps: one artist, not many
        xs += [x0, x1, math.nan]
        ys += [y0, y1, math.nan]
    if xs:
        axes.plot(xs, ys, color=_LINK_COLOUR, linewidth=1.0, zorder=2)


def _weekly(axes: Axes, report: VisitReport, tz: tzinfo, first: datetime,
            last: datetime, on_top: bool) -> None:
    """The average of each local week (Monday to Sunday) as a thick step line; over the
    markers when there are too many to read one by one."""
    weeks: dict[date, list[int]] = {}
    for point in report.pain:
        day = local(point.at, tz).date()
        weeks.setdefault(day - timedelta(days=day.weekday()), []).append(_clamped(point))
    xs: list[float] = []
    ys: list[float] = []
    for start in sorted(weeks):
        left = max(_midnight(start, tz), first)
        right = min(_midnight(start + timedelta(days=7), tz), last)
        average = sum(weeks[start]) / len(weeks[start])
        x0, x1 = _days([left, right])
        if xs and x0 > xs[-1]:  # a week without ratings: a gap, not a slope across it
            xs.append(math.nan)
            ys.append(math.nan)
        xs += [x0, x1]
        ys += [average, average]
    axes.plot(xs, ys, color=_WEEKLY_COLOUR, linewidth=3.0, alpha=0.8 if on_top else 0.55,
              zorder=4 if on_top else 1, solid_capstyle="butt",
              label=report.labels["chart.weekly"])


def _days(moments: list[datetime]) -> list[float]:
    """Matplotlib's date numbers (aware times, so the same instant in any zone), counted
    from one converted reference: date2num per rating took seconds for 20,000 ratings."""
    base = _reference_number()
    day = timedelta(days=1)
    return [base + (moment - _REFERENCE) / day for moment in moments]


@functools.cache
def _reference_number() -> float:
    """_REFERENCE as a matplotlib date number (whatever epoch matplotlib counts from)."""
    return float(date2num(_REFERENCE))  # type: ignore[no-untyped-call]  # untyped


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
