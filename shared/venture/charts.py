"""Small inline SVG charts for the HTML report (no scripts, no CDN: the page works
offline and in mail clients). Every label is escaped."""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from markupsafe import Markup

from shared.venture.narrative import usd

W, H, PAD = 640, 260, 48
COLOURS = ("#2563eb", "#16a34a", "#d97706", "#9333ea", "#dc2626", "#0891b2")


def _svg(body: str, title: str, height: int = H) -> Markup:
    return Markup(  # noqa: S704 - every interpolated label is escaped by the callers
        f"<svg role='img' viewBox='0 0 {W} {height}' width='100%' "
        f"xmlns='http://www.w3.org/2000/svg'><title>{escape(title)}</title>{body}</svg>"
    )


def bars(items: Sequence[tuple[str, float]], title: str, *, log: bool = False) -> Markup:
    """Horizontal bars; `log` for values that span orders of magnitude (TAM vs SOM)."""
    if not items:
        return Markup("")
    row = 34
    height = PAD + row * len(items)

    def scale(value: float) -> float:
        if value <= 0:
            return 0.0
        return math.log10(value) if log else value

    floor = min(scale(v) for _, v in items if v > 0) - 1 if log else 0.0
    top = max(scale(v) for _, v in items) or 1.0
    width = W - 2 * PAD - 140
    parts = []
    for i, (label, value) in enumerate(items):
        length = width * max(0.0, (scale(value) - floor) / (top - floor or 1))
        y = 20 + i * row
        parts.append(
            f"<text x='0' y='{y + 16}' font-size='12'>{escape(label)}</text>"
            f"<rect x='140' y='{y}' width='{length:.1f}' height='22' "
            f"fill='{COLOURS[i % len(COLOURS)]}'/>"
            f"<text x='{146 + length:.1f}' y='{y + 16}' font-size='12'>{escape(usd(value))}</text>"
        )
    note = " (log scale)" if log else ""
    parts.append(
        f"<text x='0' y='{height - 6}' font-size='11' fill='#555'>{escape(title + note)}</text>"
    )
    return _svg("".join(parts), title, height)


def lines(series: dict[str, Sequence[tuple[float, float]]], title: str, x_label: str) -> Markup:
    points = [p for s in series.values() for p in s]
    if not points:
        return Markup("")
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    x0, x1 = min(xs), max(xs)
    y0, y1 = min(0.0, min(ys)), max(ys) or 1.0

    def at(x: float, y: float) -> str:
        px = PAD + (W - 2 * PAD) * ((x - x0) / ((x1 - x0) or 1))
        py = H - PAD - (H - 2 * PAD) * ((y - y0) / ((y1 - y0) or 1))
        return f"{px:.1f},{py:.1f}"

    parts = [
        f"<line x1='{PAD}' y1='{H - PAD}' x2='{W - PAD}' y2='{H - PAD}' stroke='#999'/>",
        f"<text x='{PAD}' y='{H - PAD + 16}' font-size='11'>{escape(f'{x0:g}')}</text>",
        f"<text x='{W - PAD - 30}' y='{H - PAD + 16}' font-size='11'>{escape(f'{x1:g}')}</text>",
        f"<text x='{W / 2 - 30:.0f}' y='{H - 8}' font-size='11' fill='#555'>"
        f"{escape(x_label)}</text>",
        f"<text x='4' y='{PAD - 8}' font-size='11'>{escape(usd(y1))}</text>",
    ]
    if y0 < 0:
        parts.append(
            f"<line x1='{PAD}' y1='{at(x0, 0).split(',')[1]}' x2='{W - PAD}' "
            f"y2='{at(x0, 0).split(',')[1]}' stroke='#dc2626' stroke-dasharray='4'/>"
        )
    for i, (name, data) in enumerate(series.items()):
        colour = COLOURS[i % len(COLOURS)]
        path = " ".join(at(x, y) for x, y in data)
        parts.append(f"<polyline fill='none' stroke='{colour}' stroke-width='2' points='{path}'/>")
        parts.append(
            f"<text x='{W - PAD - 120}' y='{16 + 14 * i}' font-size='12' fill='{colour}'>"
            f"{escape(name)}</text>"
        )
    return _svg("".join(parts), title)


def scatter(points: Sequence[tuple[str, float, float, bool]], title: str) -> Markup:
    """Positioning map: x price (0-1), y breadth (0-1); ours in red."""
    if not points:
        return Markup("")
    side = H - 2 * PAD
    top, mid_x, mid_y = PAD / 2, PAD + side, PAD / 2 + side / 2
    parts = [
        f"<rect x='{PAD}' y='{top}' width='{side * 2}' height='{side}' fill='none' stroke='#999'/>",
        f"<line x1='{mid_x}' y1='{top}' x2='{mid_x}' y2='{top + side}' stroke='#ddd'/>",
        f"<line x1='{PAD}' y1='{mid_y}' x2='{PAD + 2 * side}' y2='{mid_y}' stroke='#ddd'/>",
        f"<text x='{PAD}' y='{H - 10}' font-size='11' fill='#555'>"
        "price (low to high) / feature breadth (up)</text>",
    ]
    for name, x, y, ours in points:
        px, py = PAD + x * side * 2, PAD / 2 + (1 - y) * side
        colour = "#dc2626" if ours else "#2563eb"
        parts.append(
            f"<circle cx='{px:.1f}' cy='{py:.1f}' r='6' fill='{colour}'/>"
            f"<text x='{px + 8:.1f}' y='{py + 4:.1f}' font-size='12'>{escape(name)}</text>"
        )
    return _svg("".join(parts), title)
