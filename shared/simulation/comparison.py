"""Two or more runs side by side: their metrics aligned month by month and the
differences of their summary figures, each run against the first (the baseline). The
API (`GET /v1/simulations/compare`) and `aia compare DIR DIR` both build this.

Runs are aligned on the months every run has (1..the shortest run's last month), so a
difference never sets one run's year 10 against another's year 2. Runs of different
model versions compare, with a note saying so (`note`): their differences are partly the
models'."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from shared.simulation.indicators import METRIC_FIELDS
from shared.simulation.model_version import MODEL_VERSION, mixed_models_note

MAX_RUNS = 5
# what a comparison shows unless asked for other metrics: the headline figures
DEFAULT_METRICS: tuple[str, ...] = (
    "gdp_real",
    "gdp_growth",
    "unemployment_rate",
    "inflation",
    "policy_rate",
    "gini_income",
    "gini_wealth",
    "mean_health",
    "public_debt_ratio",
    "aia_velocity",
)
COMPARABLE: frozenset[str] = frozenset(METRIC_FIELDS) - {"tick"}

Record = Mapping[str, Any]


@dataclass(frozen=True)
class Run:
    """One run to compare: its id (or directory), size and seed, its months and the
    model version that produced them."""

    id: str
    households: int
    seed: int
    records: Sequence[Record]
    model_version: int = MODEL_VERSION


def compare(runs: Sequence[Run], metrics: Sequence[str] = DEFAULT_METRICS) -> dict[str, Any]:
    """The runs' `metrics` over the months they share, each run's summary (the last shared
    month and the mean over the shared months) and its differences from the first run."""
    if not 2 <= len(runs) <= MAX_RUNS:
        raise ValueError(f"compare between 2 and {MAX_RUNS} runs")
    unknown = [m for m in metrics if m not in COMPARABLE]
    if unknown:
        raise ValueError(f"no metric named {', '.join(unknown)}")
    months = min(len(run.records) for run in runs)
    aligned = [_first_months(run.records, months) for run in runs]
    summaries = [_summary(records, metrics) for records in aligned]
    baseline = summaries[0]
    return {
        "baseline": runs[0].id,
        "note": mixed_models_note([run.model_version for run in runs]),
        "ticks": [int(r["tick"]) for r in aligned[0]],
        "series": {
            metric: {
                run.id: [r[metric] for r in records]
                for run, records in zip(runs, aligned, strict=True)
            }
            for metric in metrics
        },
        "runs": [
            {
                "id": run.id,
                "households": run.households,
                "seed": run.seed,
                "model_version": run.model_version,
                "months": len(run.records),
                **summary,
            }
            for run, summary in zip(runs, summaries, strict=True)
        ],
        "differences": [
            {
                "id": run.id,
                "last": _difference(summary["last"], baseline["last"]),
                "mean": _difference(summary["mean"], baseline["mean"]),
            }
            for run, summary in zip(runs[1:], summaries[1:], strict=True)
        ],
    }


def _first_months(records: Sequence[Record], months: int) -> list[Record]:
    ordered = sorted(records, key=lambda r: int(r["tick"]))
    return ordered[:months]


def _summary(
    records: Sequence[Record], metrics: Sequence[str]
) -> dict[str, dict[str, float | None]]:
    last = records[-1] if records else None
    return {
        "last": {m: _number(last[m]) if last else None for m in metrics},
        "mean": {m: _mean([r[m] for r in records]) for m in metrics},
    }


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def _mean(values: Sequence[Any]) -> float | None:
    """The mean of the months that have a value (growth has none in the first year)."""
    present = [float(v) for v in values if v is not None]
    return sum(present) / len(present) if present else None


def _difference(
    figures: Mapping[str, float | None], baseline: Mapping[str, float | None]
) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for metric, value in figures.items():
        base = baseline[metric]
        out[metric] = None if value is None or base is None else value - base
    return out
