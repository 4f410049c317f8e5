"""One metric of a run drawn over simulated years: the same chart for `aia simulate`'s
charts/ directory and the API's `GET /v1/simulations/{id}/charts/{metric}.svg`. A month
without a value (growth in the first year) has no point rather than a made-up one."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from shared.charts import Series, compact, line_chart, percent
from shared.simulation.indicators import METRIC_INFO


def metric_chart(
    metric: str, records: Iterable[Mapping[str, Any]], households: int, seed: int
) -> str:
    info = METRIC_INFO[metric]
    points = [(int(r["tick"]) / 12, float(r[metric])) for r in records if r[metric] is not None]
    return line_chart(
        info.title,
        [Series(info.title, points)],
        x_title="Simulated years",
        y_title=info.unit,
        y_format=percent if info.percent else compact,
        subtitle=f"{households:,} households, seed {seed}",
        no_data_text="no data yet",
    )
