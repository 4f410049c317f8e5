"""Stock-flow consistency (Caiani et al. 2016, JEDC 69: every row and column of the
transaction-flow matrix sums to zero each period) and token conservation (supply =
minted - burned = sum of holdings) every tick of a long run."""

from __future__ import annotations

import numpy as np

from shared.simulation.model import advance, rng_for
from shared.simulation.month import Month
from shared.simulation.params import SimulationParams
from shared.simulation.state import initial_state
from tests.simulation.stylised import Run


def test_money_is_stock_flow_consistent_every_month_of_a_long_run(baseline: Run) -> None:
    errors = [r.sfc_error for r in baseline.records]
    assert len(errors) == 720
    assert max(errors) < 1e-9


def test_token_supply_is_minted_minus_burned_and_the_sum_of_holdings_every_month(
    baseline: Run,
) -> None:
    assert max(r.token_error for r in baseline.records) < 1e-9
    m, households = baseline.state.macro, baseline.state.households
    held = float(households.aia.sum()) + m.treasury_aia
    assert abs(held - (m.aia_minted - m.aia_burned)) < 1e-9 * held
    assert baseline.records[-1].aia_supply == held
    assert abs(float(households.gov.sum()) - (m.gov_minted - m.gov_burned)) < 1e-9 * m.gov_minted
    assert m.aia_burned > 0 and m.aia_minted > held  # tokens were burned and minted


def test_sector_balances_sum_to_zero_and_the_ledger_catches_a_leak() -> None:
    params = SimulationParams(households=2000, seed=3)
    state = initial_state(params)
    for _ in range(24):
        state, metrics = advance(state, params, rng_for(params.seed, state.tick))
        m = state.macro
        balances = (
            float(state.households.deposits.sum())
            + float(state.firms.deposits.sum())
            + m.government
            + m.treasury_fiat
        )
        # the bank holds bonds and firms' loans against the accounts: they sum to its
        # bonds and loans less its equity
        net = balances + m.bank_equity - m.bank_bonds - float(state.firms.loans.sum())
        assert abs(net) < 1e-9 * float(np.abs(state.households.deposits).sum())
        assert metrics.sfc_error < 1e-9
    # a unit of money created out of nothing shows in the check
    month = Month(state, params, rng_for(params.seed, state.tick))
    month.ledger.record("wages", 0, 1.0)
    closing = [
        float(month.deposits.sum()),
        float(state.firms.deposits[1:].sum()),
        m.government,
        m.bank_equity - m.bank_bonds,
        m.treasury_fiat,
    ]
    assert month.ledger.error(closing) > 1e-9
