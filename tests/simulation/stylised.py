"""Measuring a run the way the macro ABM literature does (quarterly or annual
aggregates after a burn-in), for the fidelity tests."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from shared.simulation.indicators import TickMetrics
from shared.simulation.model import advance, rng_for
from shared.simulation.params import SimulationParams
from shared.simulation.state import State, initial_state


@dataclass
class Run:
    params: SimulationParams
    records: list[TickMetrics]
    state: State
    burn_in: int

    def series(self, name: str) -> NDArray[np.float64]:
        return np.array([getattr(r, name) for r in self.records[self.burn_in :]], dtype=float)

    def quarterly(self, name: str) -> NDArray[np.float64]:
        x = self.series(name)
        return x[: len(x) // 3 * 3].reshape(-1, 3).mean(axis=1)

    def quarterly_inflation(self) -> NDArray[np.float64]:
        """CPI change over each quarter, annualised: the inflation of the same months
        the quarter's unemployment is averaged over."""
        cpi = self.series("cpi")
        ends = cpi[3 : len(cpi) // 3 * 3 + 1 : 3]
        starts = cpi[0 : len(ends) * 3 : 3]
        return (ends / starts) ** 4 - 1

    def okun_slope(self) -> float:
        """Okun's law as estimated by Ball, Leigh & Loungani (2017): the change in the
        unemployment rate (points) over four quarters regressed on real GDP growth (%)
        over the same four quarters."""
        gdp, u = self.quarterly("gdp_real"), self.quarterly("unemployment_rate")
        growth = (gdp[4:] / gdp[:-4] - 1) * 100
        change = (u[4:] - u[:-4]) * 100
        return float(np.polyfit(growth, change, 1)[0])


def simulate(
    households: int, months: int, seed: int, burn_in: int, params: SimulationParams | None = None
) -> Run:
    params = params or SimulationParams(households=households, seed=seed)
    state = initial_state(params)
    records = []
    for _ in range(months):
        state, metrics = advance(state, params, rng_for(params.seed, state.tick))
        records.append(metrics)
    return Run(params=params, records=records, state=state, burn_in=burn_in)


def correlation(a: NDArray[np.float64], b: NDArray[np.float64]) -> float:
    n = min(len(a), len(b))
    return float(np.corrcoef(a[:n], b[:n])[0, 1])


def skewness(x: NDArray[np.float64]) -> float:
    centred = x - x.mean()
    return float((centred**3).mean() / (centred**2).mean() ** 1.5)
