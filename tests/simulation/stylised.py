"""Measuring a run the way the macro ABM literature does (quarterly aggregates after a
burn-in, HP-filtered cycles of logs), for the fidelity tests and `nox -s fidelity`.

Everything here is computed from a run's monthly metrics (what `aia simulate` writes),
by this code, not by the model: the model cannot grade itself. `FIGURES` is the issue
17 list of figures with their targets (docs/decisions/0041-fidelity-suite-and-policy-
answers.md)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import combinations

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

    def real(self, name: str) -> NDArray[np.float64]:
        """A money flow in money of tick 0, quarterly."""
        monthly = self.series(name) / self.series("cpi")
        return monthly[: len(monthly) // 3 * 3].reshape(-1, 3).mean(axis=1)

    def cycle(self, name: str) -> NDArray[np.float64]:
        """The HP cycle (lambda 1600) of the log of a real flow, quarterly."""
        quarterly = self.quarterly(name) if name == "gdp_real" else self.real(name)
        return hp_cycle(np.log(np.maximum(quarterly, 1e-300)))


def hp_cycle(y: NDArray[np.float64], smoothing: float = 1600.0) -> NDArray[np.float64]:
    """Hodrick-Prescott (1997): the trend t minimises sum (y - t)^2 + smoothing *
    sum (second difference of t)^2, so (I + smoothing D'D) t = y with D the (n-2) x n
    second-difference matrix; the cycle is y - t. D'D is pentadiagonal: the system is
    solved as a banded one (O(n), no scipy)."""
    n = y.size
    if n < 3:
        return np.zeros(n)
    # the five diagonals of I + smoothing D'D, as rows of a (5, n) band
    band = np.zeros((5, n))
    main = np.full(n, 6.0)
    main[[0, -1]] = 1.0
    main[[1, -2]] = 5.0
    first = np.full(n - 1, -4.0)
    first[[0, -1]] = -2.0
    band[2] = 1 + smoothing * main
    band[1, :-1] = smoothing * first  # below the diagonal: a[2 + j - i, j] = A[i, j]
    band[3, 1:] = smoothing * first  # above it
    band[0, :-2] = smoothing
    band[4, 2:] = smoothing
    trend = _banded_symmetric_solve(band, y.astype(np.float64))
    return y - trend


def _banded_symmetric_solve(
    band: NDArray[np.float64], rhs: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Gaussian elimination without pivoting on a pentadiagonal band (rows: offsets
    -2..+2 as in `hp_cycle`); safe here because I + smoothing D'D is symmetric positive
    definite. A loop over the series' quarters (a few hundred), not over households."""
    n = rhs.size
    a = band.copy()  # a[2 + j - i, j] holds A[i, j]
    b = rhs.copy()
    for k in range(n - 1):
        pivot = a[2, k]
        for i in range(k + 1, min(k + 3, n)):
            factor = a[2 + k - i, k] / pivot
            if factor == 0.0:
                continue
            for j in range(k, min(k + 3, n)):
                a[2 + j - i, j] -= factor * a[2 + j - k, j]
            b[i] -= factor * b[k]
    x = np.zeros(n)
    for i in range(n - 1, -1, -1):
        upper = sum(a[2 + j - i, j] * x[j] for j in range(i + 1, min(i + 3, n)))
        x[i] = (b[i] - upper) / a[2, i]
    return x


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


# --- the issue 17 figures --------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One figure of the fidelity suite: how it is measured on a run, its target as
    text, and the test of a measured value against that target."""

    name: str
    target: str
    measure: Callable[[Run], float]
    meets: Callable[[float], bool]


def _sd_ratio(name: str) -> Callable[[Run], float]:
    return lambda run: float(run.cycle(name).std() / run.cycle("gdp_real").std())


def _ten_year_spread(run: Run) -> float:
    """Largest minus smallest 10-year mean of the labour share (120 months each)."""
    share = run.series("labour_share")
    decades = share[: share.size // 120 * 120].reshape(-1, 120).mean(axis=1)
    return float(decades.max() - decades.min()) if decades.size else float("nan")


def _bankruptcy_cycle(run: Run) -> float:
    """Quarterly bankruptcies (firms closed by debt past the limit) against the HP cycle
    of log real GDP: negative when firms fail in downturns. Exits of firms whose market
    share fell too small are not bankruptcies (ADR 0051)."""
    return correlation(run.quarterly("firm_bankruptcies"), run.cycle("gdp_real"))


def _inflation_miss(run: Run) -> float:
    return float(run.series("inflation").mean() - run.params.policy.monetary.inflation_target)


FIGURES: tuple[Figure, ...] = (
    Figure(
        "mean unemployment",
        "0.04-0.09",
        lambda run: float(run.series("unemployment_rate").mean()),
        lambda v: 0.04 <= v <= 0.09,
    ),
    Figure("inflation minus target", "within ±0.01", _inflation_miss, lambda v: abs(v) <= 0.01),
    Figure("sd(C)/sd(Y)", "0.5-0.9", _sd_ratio("consumption"), lambda v: 0.5 <= v <= 0.9),
    Figure("sd(I)/sd(Y)", "2-4", _sd_ratio("investment"), lambda v: 2 <= v <= 4),
    Figure(
        "corr(I,Y)",
        ">= 0.7",
        lambda run: correlation(run.cycle("investment"), run.cycle("gdp_real")),
        lambda v: v >= 0.7,
    ),
    Figure("Okun slope", "-0.6 to -0.2", lambda run: run.okun_slope(), lambda v: -0.6 <= v <= -0.2),
    Figure(
        "Phillips correlation",
        "< 0",
        lambda run: correlation(run.quarterly_inflation(), run.quarterly("unemployment_rate")),
        lambda v: v < 0,
    ),
    Figure(
        "Beveridge correlation",
        "< 0",
        lambda run: correlation(run.quarterly("vacancy_rate"), run.quarterly("unemployment_rate")),
        lambda v: v < 0,
    ),
    Figure(
        "income Gini",
        "0.30-0.45",
        lambda run: float(run.series("gini_income").mean()),
        lambda v: 0.30 <= v <= 0.45,
    ),
    Figure(
        "wealth Gini",
        "0.60-0.85",
        lambda run: float(run.series("gini_wealth").mean()),
        lambda v: 0.60 <= v <= 0.85,
    ),
    Figure(
        "firms changing price a month",
        "0.09-0.15",
        lambda run: float(run.series("price_change_share").mean()),
        lambda v: 0.09 <= v <= 0.15,
    ),
    Figure(
        "bankruptcies a year",
        "> 0",
        lambda run: float(
            run.series("firm_bankruptcies").sum() / (run.series("firm_bankruptcies").size / 12)
        ),
        lambda v: v > 0,
    ),
    Figure("corr(bankruptcies, cycle)", "< 0", _bankruptcy_cycle, lambda v: v < 0),
    Figure(
        "labour share: spread of 10-year means",
        "<= 0.05",
        _ten_year_spread,
        lambda v: v <= 0.05,
    ),
)

INDEPENDENCE = Figure(
    "corr(u) across seeds, demand shock off",
    "< 0.5",
    lambda run: float("nan"),  # measured over several runs: `unemployment_tracking`
    lambda v: v < 0.5,
)


def figure(name: str) -> Figure:
    return next(f for f in (*FIGURES, INDEPENDENCE) if f.name == name)


def unemployment_tracking(runs: Sequence[Run]) -> float:
    """The largest correlation between two seeds' quarterly unemployment paths: a model
    whose cycles are driven by its own deterministic dynamics (a markup sawtooth) has
    seeds that track each other once the shared shock process is switched off."""
    paths = [run.quarterly("unemployment_rate") for run in runs]
    return max(correlation(a, b) for a, b in combinations(paths, 2))


def without_demand_shock(params: SimulationParams) -> SimulationParams:
    behaviour = params.behaviour.model_copy(update={"demand_shock_volatility": 0.0})
    return params.model_copy(update={"behaviour": behaviour})
