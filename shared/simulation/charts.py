"""A small SVG line-chart renderer (no plotting library): a title, y axis with "nice"
ticks and grid lines, an x axis in years, the series as one polyline, and a zero line
when the values change sign. Long series are thinned to at most two points per pixel
column (each column's minimum and maximum), so spikes survive."""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

WIDTH, HEIGHT = 760, 360
LEFT, RIGHT, TOP, BOTTOM = 72, 24, 44, 52
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
LINE = "#1f6feb"
INK = "#24292f"
GRID = "#d0d7de"


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high] (1, 2 or 5 times a power of ten apart)."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return [0.0]
    if high <= low:
        pad = abs(low) * 0.1 or 1.0
        low, high = low - pad, high + pad
    raw = (high - low) / max(count, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first, last = math.floor(low / step + 1e-9), math.ceil(high / step - 1e-9)
    return [round(i * step, 12) for i in range(first, last + 1)]


def _format(value: float, percent: bool, step: float) -> str:
    if percent:
        decimals = max(0, -math.floor(math.log10(step * 100))) if step > 0 else 0
        return f"{value * 100:.{min(decimals, 3)}f}%"
    magnitude = abs(value)
    if magnitude >= 1e6:
        return f"{value / 1e6:.3g}M"
    if magnitude >= 1e4:
        return f"{value / 1e3:.3g}k"
    decimals = max(0, -math.floor(math.log10(step))) if step > 0 else 0
    return f"{value:.{min(decimals, 4)}f}"


def _thin(xs: Sequence[float], ys: Sequence[float]) -> list[tuple[float, float]]:
    points = [(x, y) for x, y in zip(xs, ys, strict=True) if math.isfinite(y)]
    if len(points) <= 2 * PLOT_W:
        return points
    x0, x1 = points[0][0], points[-1][0]
    columns: dict[int, list[tuple[float, float]]] = {}
    for x, y in points:
        column = int((x - x0) / (x1 - x0 or 1) * (PLOT_W - 1))
        columns.setdefault(column, []).append((x, y))
    thinned: list[tuple[float, float]] = []
    for column in sorted(columns):
        group = columns[column]
        low = min(group, key=lambda p: p[1])
        high = max(group, key=lambda p: p[1])
        thinned.extend(sorted({low, high}))
    return thinned


def line_chart(
    ticks: Sequence[int],
    values: Sequence[float],
    *,
    title: str,
    y_label: str,
    percent: bool = False,
    subtitle: str = "",
) -> str:
    """An SVG document plotting `values` against simulated time (ticks are months)."""
    xs = [t / 12 for t in ticks]
    points = _thin(xs, values)
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="system-ui, sans-serif" '
        f'role="img" aria-label="{escape(title)}">'
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>'
        f'<text x="{LEFT}" y="24" font-size="16" font-weight="600" fill="{INK}">'
        f"{escape(title)}</text>"
    )
    if subtitle:
        head += (
            f'<text x="{WIDTH - RIGHT}" y="24" font-size="12" fill="#57606a" '
            f'text-anchor="end">{escape(subtitle)}</text>'
        )
    if not points:
        return (
            head + f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle" '
            f'font-size="14" fill="#57606a">no data yet</text></svg>'
        )
    x_low, x_high = points[0][0], points[-1][0]
    if x_high <= x_low:
        x_high = x_low + 1 / 12
    y_values = [y for _, y in points]
    y_ticks = nice_ticks(min(y_values), max(y_values))
    y_low, y_high = y_ticks[0], y_ticks[-1]
    if y_high <= y_low:
        y_high = y_low + 1
    y_step = y_ticks[1] - y_ticks[0] if len(y_ticks) > 1 else 1.0
    x_ticks = [t for t in nice_ticks(x_low, x_high, 8) if x_low - 1e-9 <= t <= x_high + 1e-9]

    def px(x: float) -> float:
        return LEFT + (x - x_low) / (x_high - x_low) * PLOT_W

    def py(y: float) -> float:
        return TOP + PLOT_H - (y - y_low) / (y_high - y_low) * PLOT_H

    parts = [head]
    for y in y_ticks:
        parts.append(
            f'<line x1="{LEFT}" y1="{py(y):.1f}" x2="{LEFT + PLOT_W}" y2="{py(y):.1f}" '
            f'stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{LEFT - 8}" y="{py(y) + 4:.1f}" font-size="11" fill="{INK}" '
            f'text-anchor="end">{escape(_format(y, percent, y_step))}</text>'
        )
    if y_low < 0 < y_high:
        parts.append(
            f'<line x1="{LEFT}" y1="{py(0):.1f}" x2="{LEFT + PLOT_W}" y2="{py(0):.1f}" '
            f'stroke="{INK}" stroke-width="1" stroke-dasharray="4 3"/>'
        )
    for x in x_ticks:
        parts.append(
            f'<line x1="{px(x):.1f}" y1="{TOP + PLOT_H}" x2="{px(x):.1f}" '
            f'y2="{TOP + PLOT_H + 5}" stroke="{INK}"/>'
            f'<text x="{px(x):.1f}" y="{TOP + PLOT_H + 19}" font-size="11" fill="{INK}" '
            f'text-anchor="middle">{x:g}</text>'
        )
    parts.append(
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + PLOT_H}" stroke="{INK}"/>'
        f'<line x1="{LEFT}" y1="{TOP + PLOT_H}" x2="{LEFT + PLOT_W}" y2="{TOP + PLOT_H}" '
        f'stroke="{INK}"/>'
        f'<text x="{LEFT + PLOT_W / 2}" y="{HEIGHT - 12}" font-size="12" fill="{INK}" '
        f'text-anchor="middle">Simulated years</text>'
        f'<text x="16" y="{TOP + PLOT_H / 2}" font-size="12" fill="{INK}" text-anchor="middle" '
        f'transform="rotate(-90 16 {TOP + PLOT_H / 2})">{escape(y_label)}</text>'
    )
    path = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in points)
    parts.append(
        f'<polyline fill="none" stroke="{LINE}" stroke-width="1.6" '
        f'stroke-linejoin="round" points="{path}"/>'
    )
    parts.append("</svg>")
    return "".join(parts)
