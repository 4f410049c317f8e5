"""The fidelity suite's instruments measure what they say (tests/simulation/stylised.py)."""

from __future__ import annotations

import numpy as np

from shared.simulation.model import advance, rng_for
from shared.simulation.params import SimulationParams
from shared.simulation.state import initial_state
from tests.simulation.stylised import hp_cycle


def _dense_hp_cycle(y: np.ndarray, smoothing: float = 1600.0) -> np.ndarray:
    n = y.size
    second_difference = np.zeros((n - 2, n))
    for row in range(n - 2):
        second_difference[row, row : row + 3] = (1.0, -2.0, 1.0)
    trend = np.linalg.solve(np.eye(n) + smoothing * second_difference.T @ second_difference, y)
    return y - trend


def test_the_banded_hp_filter_matches_the_dense_solve() -> None:
    rng = np.random.default_rng(3)
    for n in (5, 40, 240):
        y = np.cumsum(rng.standard_normal(n)) + 0.1 * np.arange(n)
        assert np.abs(hp_cycle(y) - _dense_hp_cycle(y)).max() < 1e-9


def test_a_linear_trend_has_no_cycle_and_a_cycle_survives() -> None:
    quarters = np.arange(200, dtype=float)
    assert np.abs(hp_cycle(0.005 * quarters + 3.0)).max() < 1e-9
    business_cycle = 0.02 * np.sin(2 * np.pi * quarters / 24)  # six years
    kept = hp_cycle(0.005 * quarters + business_cycle)[20:-20]
    assert np.corrcoef(kept, business_cycle[20:-20])[0, 1] > 0.95


def test_price_change_share_and_labour_share_are_what_the_states_show() -> None:
    params = SimulationParams(households=2000, seed=4)
    state = initial_state(params)
    for _ in range(30):
        before = state.firms.price
        state, metrics = advance(state, params, rng_for(params.seed, state.tick))
        changed = np.count_nonzero(state.firms.price[1:] != before[1:]) / (before.size - 1)
        assert metrics.price_change_share == changed
        assert metrics.labour_share is not None and 0 < metrics.labour_share < 1
