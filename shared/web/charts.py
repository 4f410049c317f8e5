"""What a chart on a page is fed (charts.js draws it with uPlot): the x values and named
series, as JSON in the page (macros.html.j2: chart) or from a page's JSON route."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TypedDict


class Series(TypedDict):
    label: str
    values: list[float | None]
    unit: str


class ChartData(TypedDict):
    x: list[float] | list[str]
    x_label: str
    series: list[Series]


def series(label: str, values: Sequence[float | None], unit: str = "") -> Series:
    """NaN and infinities become gaps (JSON has neither; the chart leaves a hole)."""
    return {
        "label": label,
        "values": [None if v is None or not math.isfinite(v) else float(v) for v in values],
        "unit": unit,
    }


def chart_data(x: Sequence[float] | Sequence[str], x_label: str, lines: list[Series]) -> ChartData:
    if any(len(s["values"]) != len(x) for s in lines):
        raise ValueError("every series needs one value per x")
    return {"x": list(x), "x_label": x_label, "series": lines}  # type: ignore[typeddict-item]
