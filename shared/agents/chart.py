"""A small SVG line chart, drawn by hand (no plotting library, no script, no external
reference): one line per series over a few labelled points, y from 0 to 1. Every text
is XML-escaped, so an agent's name cannot inject markup."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

PALETTE = ("#7c3aed", "#0f766e", "#b45309", "#2563eb", "#dc2626", "#047857", "#db2777", "#4b5563")
WIDTH, HEIGHT = 600, 280
LEFT, RIGHT, TOP, BOTTOM = 44, 170, 36, 40
Y_TICKS = (0.0, 0.25, 0.5, 0.75, 1.0)
MAX_SERIES = len(PALETTE)


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]  # one per label; None: no point that day


def _text(value: str) -> str:
    return escape(value, {'"': "&quot;"})


def _x(index: int, count: int) -> float:
    span = WIDTH - LEFT - RIGHT
    return LEFT + (span * index / (count - 1) if count > 1 else span / 2)


def _y(value: float) -> float:
    clamped = min(1.0, max(0.0, value))
    return TOP + (HEIGHT - TOP - BOTTOM) * (1.0 - clamped)


def line_chart(title: str, labels: Sequence[str], series: Sequence[Series]) -> str:
    """The chart as an SVG document. At most MAX_SERIES lines (the first ones)."""
    if not labels:
        raise ValueError("a chart needs at least one label")
    shown = list(series)[:MAX_SERIES]
    count = len(labels)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{_text(title)}" '
        'font-family="Helvetica, Arial, sans-serif" font-size="11">',
        f"<title>{_text(title)}</title>",
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
        f'<text x="{LEFT}" y="20" font-size="14" font-weight="bold" fill="#111827">'
        f"{_text(title)}</text>",
    ]
    for tick in Y_TICKS:
        y = _y(tick)
        parts.append(
            f'<line class="grid" x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
            'stroke="#e5e7eb" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#6b7280">'
            f"{tick:.2f}</text>"
        )
    for i, label in enumerate(labels):
        parts.append(
            f'<text x="{_x(i, count):.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" '
            f'fill="#6b7280">{_text(label)}</text>'
        )
    for n, line in enumerate(shown):
        color = PALETTE[n]
        points = [(_x(i, count), _y(v)) for i, v in enumerate(line.values[:count]) if v is not None]
        if len(points) > 1:
            coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            parts.append(
                f'<polyline class="series" points="{coords}" fill="none" stroke="{color}" '
                'stroke-width="2" stroke-linejoin="round"/>'
            )
        parts.extend(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{color}"/>' for x, y in points)
        legend_y = TOP + 16 * n
        parts.append(
            f'<rect x="{WIDTH - RIGHT + 14}" y="{legend_y - 8}" width="10" height="10" '
            f'fill="{color}"/>'
        )
        parts.append(
            f'<text class="legend" x="{WIDTH - RIGHT + 30}" y="{legend_y + 1}" fill="#111827">'
            f"{_text(line.name[:24])}</text>"
        )
    if not shown:
        parts.append(
            f'<text x="{(LEFT + WIDTH - RIGHT) / 2:.0f}" y="{HEIGHT / 2:.0f}" '
            'text-anchor="middle" fill="#6b7280">no tasks this week</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
