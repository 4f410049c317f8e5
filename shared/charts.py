"""Charts as self-contained SVG documents, drawn by pygal (ADR 0020), with one palette and
one look for every feature that draws: simulation metrics, the venture report, the agents'
weekly report.

The documents carry no script and no external reference: pygal's inline config script is
dropped (the charts need no interaction, and the app's CSP forbids inline script), its CSS
sits in the document. A <title> names each chart; pygal writes every text through its XML
tree, so a label cannot inject markup. pygal is imported inside the render functions: most
functions never draw, and every function starts on demand."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

PALETTE = ("#2563eb", "#dc2626", "#16a34a", "#d97706", "#9333ea", "#0891b2", "#db2777", "#4b5563")
FONT = "system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif"
INK, GRID = "#24292f", "#d0d7de"

Format = Callable[[float], str]


@dataclass(frozen=True)
class Series:
    """A named line over numeric x: (x, y) points."""

    name: str
    points: Sequence[tuple[float, float]]


@dataclass(frozen=True)
class CategorySeries:
    """A named line over the chart's labels: one value per label, None for no point."""

    name: str
    values: Sequence[float | None]


@dataclass(frozen=True)
class LabelledPoint:
    label: str
    x: float
    y: float


@dataclass(frozen=True)
class PointGroup:
    """Points drawn in one colour, each with its label printed beside it."""

    name: str
    points: Sequence[LabelledPoint]


def compact(value: float) -> str:
    """1234 -> '1234', 56789 -> '56.8k', 2.5e6 -> '2.5M'."""
    magnitude = abs(value)
    if magnitude >= 1e6:
        return f"{value / 1e6:.3g}M"
    if magnitude >= 1e4:
        return f"{value / 1e3:.3g}k"
    return f"{value:.6g}"


def percent(value: float) -> str:
    """A fraction as a percentage: 0.05 -> '5%'."""
    return f"{value * 100:.4g}%"


def line_chart(
    title: str,
    series: Sequence[Series],
    *,
    x_title: str,
    y_title: str = "",
    subtitle: str = "",
    y_format: Format = compact,
    x_format: Format = lambda x: f"{x:g}",
    no_data_text: str = "no data",
    size: tuple[int, int] = (760, 360),
    fixed_size: bool = True,
) -> str:
    """Lines over numeric x, with a dashed line at zero when the values change sign. A long
    series is thinned to each column's lowest and highest point, so spikes survive."""
    drawn = [(s.name, _thin(s.points, columns=size[0])) for s in series]
    xs = [x for _, points in drawn for x, _ in points]
    ys = [y for _, points in drawn for _, y in points]
    chart = _quick_xy()(
        _config(title, subtitle, size, fixed_size, legend=len(drawn) > 1, axes=bool(ys)),
        x_title=x_title,
        y_title=y_title,
        value_formatter=y_format,
        x_value_formatter=x_format,
        no_data_text=no_data_text,
        show_dots=False,
        y_labels_major=_zero_line(min(ys) < 0 < max(ys)) if ys else None,
        xrange=_flat_range(xs),
        range=_flat_range(ys),
    )
    for name, points in drawn:
        if points:
            chart.add(name, points)
    return _render(chart)


def category_line_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[CategorySeries],
    *,
    y_range: tuple[float, float],
    y_format: Format = compact,
    legend_chars: int = 24,
    no_data_text: str = "no data",
    size: tuple[int, int] = (600, 280),
) -> str:
    """Lines over labelled x (days, say), a dot at every value; values outside `y_range`
    are drawn at its edge. Legend names are cut to `legend_chars` characters."""
    import pygal

    if not labels:
        raise ValueError("a chart needs at least one label")
    low, high = y_range
    chart = pygal.Line(
        _config(title, "", size, True, legend=True),
        x_labels=list(labels),
        range=y_range,
        value_formatter=y_format,
        no_data_text=no_data_text,
        dots_size=3,
        y_labels_major=_zero_line(False) if series else None,
        truncate_legend=-1,
        legend_box_size=10,
    )
    for line in series[: len(PALETTE)]:
        values = [None if v is None else min(high, max(low, v)) for v in line.values]
        chart.add(line.name[:legend_chars], values[: len(labels)])
    return _render(chart)


def bar_chart(
    title: str,
    items: Sequence[tuple[str, float]],
    *,
    value_format: Format = compact,
    log: bool = False,
    size: tuple[int, int] = (640, 260),
    fixed_size: bool = True,
) -> str:
    """Horizontal bars, each labelled with its name and value; `log` for values that span
    orders of magnitude (the smallest bar then still shows)."""
    import pygal

    positive = [_clip(value) for _, value in items if value > 0]
    floor = min(positive) / 10 if log and positive else 0.0
    chart = pygal.HorizontalBar(
        _config(title + (" (log scale)" if log else ""), "", size, fixed_size, legend=False),
        logarithmic=log,
        range=(floor, max(positive)) if log and positive else None,
        zero=floor,
        # the values are in the labels: no scale to read (pygal's x is the value axis)
        show_x_labels=False,
        show_x_guides=False,
        show_y_guides=False,
        y_labels_major=_zero_line(False),
    )
    # pygal stacks bars from the bottom: reversed, the first item is on top; one series
    # holds every bar, each in its own colour
    shown = list(enumerate(items))[::-1]
    chart.x_labels = [f"{label}: {value_format(value)}" for _, (label, value) in shown]
    chart.add(
        title,
        [{"value": _clip(value), "color": PALETTE[i % len(PALETTE)]} for i, (_, value) in shown],
    )
    return _render(chart)


def scatter_chart(
    title: str,
    groups: Sequence[PointGroup],
    *,
    x_title: str,
    y_title: str,
    x_ticks: Mapping[float, str],
    y_ticks: Mapping[float, str],
    size: tuple[int, int] = (640, 300),
    fixed_size: bool = True,
) -> str:
    """Labelled points, one colour per group, over axes marked only at `x_ticks` and
    `y_ticks` (their ends are the axes' ends)."""
    import pygal

    chart = pygal.XY(
        _config(title, "", size, fixed_size, legend=True),
        stroke=False,
        print_labels=True,
        dots_size=6,
        x_title=x_title,
        y_title=y_title,
        x_labels=sorted(x_ticks),
        y_labels=sorted(y_ticks),
        xrange=(min(x_ticks), max(x_ticks)),
        range=(min(y_ticks), max(y_ticks)),
        x_value_formatter=lambda x: x_ticks.get(x, ""),
        value_formatter=lambda y: y_ticks.get(y, ""),
        show_x_guides=True,
        y_labels_major=_zero_line(False),
    )
    for group in groups:
        chart.add(group.name, [{"value": (p.x, p.y), "label": p.label} for p in group.points])
    return _render(chart)


@functools.cache
def _quick_xy() -> Any:
    """pygal's XY with its attribute lookup made cheap. pygal's graphs read every setting
    through a `__getattribute__` that calls itself twice to find the render state; per
    point of a series that is most of the drawing (a third of `aia simulate`'s 35 charts
    of 600 months). This one reads the same values (the state's, else the graph's) in
    one call, so the document is the same; the class keeps pygal's name, which the SVG
    carries as a CSS class."""
    import pygal

    def __getattribute__(self: Any, name: str) -> Any:
        if name[:2] != "__" and name != "state":
            state = object.__getattribute__(self, "__dict__").get("state")
            if state is not None:
                values = state.__dict__
                if name in values:
                    return values[name]
        return object.__getattribute__(self, name)

    return type("XY", (pygal.XY,), {"__getattribute__": __getattribute__})


def _config(
    title: str,
    subtitle: str,
    size: tuple[int, int],
    fixed_size: bool,
    *,
    legend: bool,
    axes: bool = True,
) -> Any:
    from pygal import Config
    from pygal.style import Style

    config = Config()
    config.title = f"{title}\n{subtitle}" if subtitle else title
    config.width, config.height = size
    config.explicit_size = fixed_size
    config.show_legend = legend
    config.legend_at_bottom = False
    config.js = []  # no tooltip script from a CDN
    config.disable_xml_declaration = True  # the same text serves a file and inline HTML
    config.truncate_label = -1
    config.margin = 12
    config.show_x_labels = config.show_y_labels = axes  # no scale to read without data
    config.css = [
        *config.css,
        f"inline:.pygal-chart .axis .major.line:not(.guide){{stroke:{INK};stroke-dasharray:4,3}}",
    ]
    config.style = Style(
        background="#ffffff",
        plot_background="#ffffff",
        foreground=INK,
        foreground_strong=INK,
        foreground_subtle=GRID,
        font_family=FONT,
        title_font_size=15,
        label_font_size=11,
        major_label_font_size=11,
        legend_font_size=12,
        value_font_size=11,
        value_label_font_size=11,
        no_data_font_size=14,
        guide_stroke_color=GRID,
        guide_stroke_dasharray="none",
        # pygal picks "major" guides itself: they look like the others; the one at zero is
        # the only major line that is no guide (see _zero_line)
        major_guide_stroke_color=GRID,
        major_guide_stroke_dasharray="none",
        opacity="1",
        stroke_opacity="1",
        stroke_width="1.6",
        transition="0ms",
        colors=PALETTE,
    )
    return config


def _zero_line(wanted: bool) -> list[float]:
    """pygal's `y_labels_major`: the line at 0 is drawn dashed and dark when it is major.
    Without a list pygal picks majors itself (0 among them), so the other answer is a
    value no label has."""
    return [0.0] if wanted else [-math.inf]


def _flat_range(values: Sequence[float]) -> tuple[float, float] | None:
    """A padded range for values (nearly) all equal, else None (pygal's own). pygal steps
    its ticks across the spread: one that is float noise on the values (1e-13 of 484,
    say) never gets past them, and a subnormal one divides by zero."""
    if not values:
        return None
    low, high = min(values), max(values)
    if high - low > max(1e-9 * max(abs(low), abs(high)), 1e-300):
        return None
    pad = abs(low) * 0.1 or 1.0
    return (low - pad, high + pad)


def _render(chart: Any) -> str:
    chart.add_xml_filter(_inert)
    return str(chart.render(is_unicode=True))


def _inert(root: Any) -> Any:
    """No script (pygal always writes its config as one), no comments (pygal's give the
    date and link its site), and an image role for screen readers."""
    for parent in list(root.iter()):
        for child in list(parent):
            comment = callable(child.tag)  # a comment's tag is the Comment factory
            if comment or child.tag == "script" or str(child.tag).endswith("}script"):
                parent.remove(child)
    root.set("role", "img")
    return root


def _thin(points: Sequence[tuple[float, float]], columns: int) -> list[tuple[float, float]]:
    """At most two points per column of the drawing (more would not show)."""
    # beyond ±1e300 a spread overflows pygal's scale; no chart tells such values apart
    finite = [(_clip(x), _clip(y)) for x, y in points if math.isfinite(x) and math.isfinite(y)]
    if len(finite) <= 2 * columns:
        return finite
    x0, x1 = min(x for x, _ in finite), max(x for x, _ in finite)
    groups: dict[int, list[tuple[float, float]]] = {}
    for x, y in finite:
        column = int((x - x0) / (x1 - x0 or 1) * (columns - 1))
        groups.setdefault(column, []).append((x, y))
    thinned: list[tuple[float, float]] = []
    for column in sorted(groups):
        group = groups[column]
        low = min(group, key=lambda p: p[1])
        high = max(group, key=lambda p: p[1])
        thinned.extend(sorted({low, high}))
    return thinned


def _clip(value: float) -> float:
    return min(1e300, max(-1e300, value))
