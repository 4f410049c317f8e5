"""A new economy starts where the default economy settles (ADR 0055): state.initial_state
drawing from shared/simulation/settled_shape.json (scripts/settled_shape.py writes it).

The plain start (`settled_start=False`, what the shape is measured from) is the control:
its households' wealth, the public debt and firms' loans take decades to reach where
the default economy goes, and each check here fails for it."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

from shared.simulation import settled_shape as settled
from shared.simulation.fiscal import public_debt
from shared.simulation.model import advance, rng_for
from shared.simulation.params import SimulationParams
from shared.simulation.start_shape import SHAPE_PROBABILITIES, draw, household_cell
from shared.simulation.state import MONTHS, State, initial_state

HOUSEHOLDS = 4000
SEEDS = (31, 32, 33, 34)
YEARS = 10


def _slow_stocks(state: State) -> dict[str, float]:
    h, f, m = state.households, state.firms, state.macro
    alive = h.alive
    pay = m.unit_wage * h.skill[alive] * (0.4 + 0.6 * h.health[alive])
    staff = np.bincount(h.employer, weights=h.skill * (0.4 + 0.6 * h.health), minlength=f.wage.size)
    return {
        "household_deposits": float(h.deposits[alive].sum() / pay.sum()),
        "public_debt": public_debt(m) / (MONTHS * m.nominal_gdp),
        "firm_loans": float(f.loans[1:].sum() / (f.wage[1:] * staff[1:]).sum()),
        "credibility": m.credibility,
    }


@cache
def _paths(settled_start: bool) -> dict[str, np.ndarray]:
    """Each seed's slow stocks at the start and after YEARS, and its monthly
    unemployment and inflation."""
    starts, ends, unemployment, inflation = [], [], [], []
    for seed in SEEDS:
        params = SimulationParams(households=HOUSEHOLDS, seed=seed)
        state = initial_state(params, settled_start=settled_start)
        starts.append(list(_slow_stocks(state).values()))
        u, pi = [], []
        for _ in range(YEARS * MONTHS):
            state, metrics = advance(state, params, rng_for(seed, state.tick), in_place=True)
            u.append(metrics.unemployment_rate)
            pi.append(metrics.inflation)
        ends.append(list(_slow_stocks(state).values()))
        unemployment.append(u)
        inflation.append(pi)
    return {
        "start": np.array(starts),
        "end": np.array(ends),
        "unemployment": np.array(unemployment).mean(axis=0),
        "inflation": np.array(inflation).mean(axis=0),
    }


@pytest.mark.parametrize(
    ("index", "stock", "within"),
    [(0, "household_deposits", 0.1), (1, "public_debt", 0.15), (2, "firm_loans", 0.25)],
)
def test_the_slow_stocks_start_where_they_settle_and_stay(
    index: int, stock: str, within: float
) -> None:
    """Households' savings over their pay, the public debt over GDP and firms' loans over
    their wage bill: at the start as settled (the generated shape's sums), and after ten
    years within `within` of where they started, in every seed. From the plain start
    savings are half of that and grow 40 %; the debt and firms' loans grow by more."""
    settled_value = {
        "household_deposits": settled.SETTLED["household_deposits"],
        "firm_loans": settled.SETTLED["firm_loans"],
    }
    runs = _paths(True)
    start, end = runs["start"][:, index], runs["end"][:, index]
    if stock in settled_value:
        assert start == pytest.approx(settled_value[stock], rel=0.05)
    assert (np.abs(end / start - 1) < within).all(), (stock, start, end)
    plain = _paths(False)
    plain_start, plain_end = plain["start"][:, index], plain["end"][:, index]
    assert (np.abs(plain_end / np.maximum(plain_start, 1e-9) - 1) > within).all(), stock


def test_the_central_bank_starts_believed() -> None:
    runs = _paths(True)
    assert (runs["start"][:, 3] == settled.SETTLED["credibility"]).all()
    assert (runs["end"][:, 3] > 0.8).all()
    assert (_paths(False)["start"][:, 3] == 0.5).all()


def test_the_first_years_look_like_the_settled_ones() -> None:
    """Unemployment and inflation over the seeds, two years at a time: within a point of
    where the default economy settles (its long runs' means) from the first years on."""
    runs = _paths(True)
    for name, settled_mean in (
        ("unemployment", settled.SETTLED_UNEMPLOYMENT),
        ("inflation", settled.SETTLED_INFLATION),
    ):
        spans = runs[name].reshape(-1, 2 * MONTHS).mean(axis=1)
        assert (np.abs(spans - settled_mean) < 0.01).all(), (name, spans, settled_mean)


def test_a_small_economy_starts_settled_and_keeps_its_books() -> None:
    """The smallest valid economy (10 firms, 2 of them health firms) draws its start and
    its first months balance to 1e-9, money and tokens."""
    params = SimulationParams(households=200, seed=3)
    state = initial_state(params)
    assert state.firms.price.size == 11
    assert (state.firms.capital[1:] > 0).all() and (state.firms.expected_sales[1:] > 0).all()
    for _ in range(24):
        state, metrics = advance(state, params, rng_for(params.seed, state.tick))
        assert metrics.sfc_error < 1e-9 and metrics.token_error < 1e-9


def test_every_firm_starts_with_staff_plant_and_customers() -> None:
    """Jobs go to firms by their shares systematically, so no firm starts without staff
    (and so without sales, plant or a loan to build one) by chance."""
    params = SimulationParams(households=HOUSEHOLDS, seed=5)
    state = initial_state(params)
    firms, households = state.firms, state.households
    staff = np.bincount(households.employer, minlength=firms.price.size)[1:]
    links = np.bincount(households.suppliers.ravel(), minlength=firms.price.size)[1:]
    assert staff.min() >= 1 and links.min() >= 1 and firms.capital[1:].min() > 0


def test_a_draw_keeps_each_cells_quantiles() -> None:
    """Drawn values fall between a cell's extremes, and their quantiles are the cell's."""
    rng = np.random.default_rng(1)
    table = np.stack([np.linspace(0.0, 1.0, SHAPE_PROBABILITIES.size), SHAPE_PROBABILITIES * 10])
    cell = np.repeat(np.array([0, 1]), 100_000)
    values = draw(rng, table, cell)
    first, second = values[:100_000], values[100_000:]
    assert first.min() >= 0.0 and first.max() <= 1.0
    assert np.quantile(second, [0.1, 0.5, 0.9]) == pytest.approx([1.0, 5.0, 9.0], abs=0.05)


def test_cells_are_skill_bin_age_band_and_status() -> None:
    skill = np.array([0.5, 1.0, 2.0, 3.0])
    years = np.array([25.0, 45.0, 70.0, 90.0])
    status = np.array([2, 1, 0, 0])
    cells = household_cell(skill, years, status)
    assert list(cells % 3) == [2, 1, 0, 0]
    assert len(set(cells.tolist())) == 4 and cells.min() >= 0
