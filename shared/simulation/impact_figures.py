"""The figures of an impact preview: from the monthly series of each run with and without
the change, per measure and horizon, the difference changed minus unchanged for each seed,
their mean, range and 95 % t-interval. Pure: the handler gives it the stored series.

A rate or a Gini is averaged over the year that ends at the horizon (a year smooths the
month-to-month noise of a small economy); a stock (public debt, token supply) is its
level at the horizon. Differences of rates and Ginis are in points; of GDP and token
supply, in percent of the unchanged value (their levels depend on the economy's size)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from shared.ports.impact import HORIZON_YEARS, ImpactFigure
from shared.simulation.events import ImpactHeadline
from shared.simulation.indicators import TickMetrics

MONTHS = 12 * HORIZON_YEARS[-1]
Series = Mapping[str, Sequence[float]]  # measure -> one value per month, in order


@dataclass(frozen=True)
class Measure:
    name: str  # the TickMetrics field
    title: str
    unit: str
    averaged: bool  # over the horizon's year (else the level at its end)
    relative: bool  # percent of the unchanged value (else points: the difference x 100)


MEASURES: tuple[Measure, ...] = (
    Measure("unemployment_rate", "Unemployment", "percentage points", True, False),
    Measure("inflation", "Inflation", "percentage points", True, False),
    Measure("gdp_real", "Real GDP", "% of the unchanged value", True, True),
    Measure("gini_income", "Income Gini", "Gini points (0-100)", True, False),
    Measure("gini_wealth", "Wealth Gini", "Gini points (0-100)", True, False),
    Measure("public_debt_ratio", "Public debt", "percentage points of GDP", False, False),
    Measure("aia_supply", "AIA token supply", "% of the unchanged value", False, True),
)

# two-sided 95 % quantiles of Student's t by degrees of freedom (beyond: the normal's)
_T95 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262}


def monthly_values(metrics: Sequence[TickMetrics]) -> dict[str, list[float]]:
    """What a run keeps of its months: the measures' values, in order."""
    return {m.name: [float(getattr(t, m.name)) for t in metrics] for m in MEASURES}


def _at(series: Sequence[float], years: int, measure: Measure) -> float:
    values = np.asarray(series[(years - 1) * 12 : years * 12], dtype=np.float64)
    if values.size < 12:
        raise ValueError(f"{measure.name}: a run ended before {years} years")
    return float(values.mean()) if measure.averaged else float(values[-1])


def _difference(changed: float, unchanged: float, measure: Measure) -> float:
    if measure.relative:
        return (changed / unchanged - 1.0) * 100.0 if unchanged else math.nan
    return (changed - unchanged) * 100.0


def figures(runs: Sequence[tuple[Series, Series]]) -> list[ImpactFigure]:
    """Per measure and horizon, from (changed, unchanged) series of each seed. A
    difference that is not a finite number (a zero baseline) is a `ValueError`: the
    preview fails rather than publish it."""
    rows: list[ImpactFigure] = []
    for measure in MEASURES:
        for years in HORIZON_YEARS:
            per_seed = [
                _difference(
                    _at(changed[measure.name], years, measure),
                    _at(unchanged[measure.name], years, measure),
                    measure,
                )
                for changed, unchanged in runs
            ]
            if not all(math.isfinite(d) for d in per_seed):
                raise ValueError(f"{measure.name} at {years} years has no finite difference")
            rows.append(_row(measure, years, per_seed))
    return rows


def _row(measure: Measure, years: int, per_seed: list[float]) -> ImpactFigure:
    values = np.asarray(per_seed)
    mean = float(values.mean())
    t_low = t_high = None
    if values.size > 1:
        half = _T95.get(values.size - 1, 1.96) * float(values.std(ddof=1)) / math.sqrt(values.size)
        t_low, t_high = mean - half, mean + half
    return ImpactFigure(
        measure=measure.name,
        title=measure.title,
        unit=measure.unit,
        years=years,
        per_seed=[round(v, 6) for v in per_seed],
        mean=round(mean, 6),
        low=round(float(values.min()), 6),
        high=round(float(values.max()), 6),
        t_low=None if t_low is None else round(t_low, 6),
        t_high=None if t_high is None else round(t_high, 6),
    )


def headlines(rows: Sequence[ImpactFigure]) -> list[ImpactHeadline]:
    """The ten-year row of each measure, for the mail."""
    last = HORIZON_YEARS[-1]
    return [
        ImpactHeadline(title=r.title, unit=r.unit, mean=r.mean, low=r.low, high=r.high)
        for r in rows
        if r.years == last
    ]
