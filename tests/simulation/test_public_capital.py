"""Public capital (ADR 0053, shared/simulation/public_capital.py): the index follows
public purchases' share of GDP over the capital's lifetime, and every firm's
productivity answers its changes with the output elasticity."""

from __future__ import annotations

import dataclasses

import numpy as np

from shared.simulation.goods import goods_market, update_firms
from shared.simulation.model import advance, month_until_spending, rng_for
from shared.simulation.params import SimulationParams
from shared.simulation.state import initial_state

HOUSEHOLDS = 2000
PARAMS = SimulationParams(households=HOUSEHOLDS, seed=5)
NO_PURCHASES = PARAMS.with_policy_changes({"fiscal": {"public_spending": 0.0}})


def _with_elasticity(params: SimulationParams, elasticity: float) -> SimulationParams:
    behaviour = params.behaviour.model_copy(update={"public_capital_elasticity": elasticity})
    return params.model_copy(update={"behaviour": behaviour})


def test_without_purchases_the_index_wears_down_at_its_depreciation() -> None:
    """Nothing bought, nothing built: each month the index keeps (1 - depreciation)."""
    state = initial_state(NO_PURCHASES)
    start = state.macro.public_capital
    months = 120
    for _ in range(months):
        state, _ = advance(state, NO_PURCHASES, rng_for(NO_PURCHASES.seed, state.tick))
    kept = (1 - NO_PURCHASES.behaviour.public_capital_depreciation) ** months
    assert np.isclose(state.macro.public_capital, start * kept, rtol=1e-12)


def test_every_firms_productivity_moves_by_the_index_to_the_elasticity() -> None:
    """The same month with and without the elasticity: every firm's new productivity
    differs by exactly (index after / index before) ** elasticity, entrants included
    (they start at their sector's average)."""
    state = initial_state(PARAMS)
    for _ in range(24):
        state, _ = advance(state, PARAMS, rng_for(PARAMS.seed, state.tick))
    # an index well above what purchases now buy: it falls this month
    state = dataclasses.replace(state, macro=dataclasses.replace(state.macro, public_capital=0.3))
    firms = {}
    months = {}
    for elasticity in (0.0, 0.08):
        params = _with_elasticity(PARAMS, elasticity)
        mo = month_until_spending(state, params, rng_for(params.seed, state.tick))
        firms[elasticity] = update_firms(mo, goods_market(mo))
        months[elasticity] = mo
    after = months[0.08].public_capital
    assert months[0.0].public_capital == after
    assert 0.0 < after < 0.3
    gain = (after / 0.3) ** 0.08
    ratio = firms[0.08].productivity[1:] / firms[0.0].productivity[1:]
    assert np.allclose(ratio, gain, rtol=1e-12)
    assert gain < 1


def test_an_economy_that_stops_buying_loses_productivity_over_decades() -> None:
    """Twenty years without purchases: the index falls to 43 % of where it started, and
    productivity ends lower than in the same economy whose firms do not depend on public
    capital: by about 0.08 x ln(0.43), -6.7 %, give or take what the different path of
    demand adds. Compared over the last five years (seed 5: -4.8 %; a single month's
    figure swings with the cycle, -1.3 % in the last)."""
    productivity = {}
    for elasticity in (0.0, 0.08):
        params = _with_elasticity(NO_PURCHASES, elasticity)
        state = initial_state(params)
        last: list[float] = []
        for _ in range(240):
            state, metrics = advance(state, params, rng_for(params.seed, state.tick))
            last = [*last[-59:], metrics.labor_productivity]
        productivity[elasticity] = float(np.mean(last))
    assert productivity[0.08] < 0.97 * productivity[0.0]
