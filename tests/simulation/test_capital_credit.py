"""Firms' capital, their bank loans and the bank's capital requirement (ADR 0044):
shared/simulation/capital.py, firm_credit.py and bank.py."""

from __future__ import annotations

import dataclasses
from functools import cache

import numpy as np
import pytest

from shared.simulation.bank import CAPITAL_REQUIREMENT, bank_lending
from shared.simulation.capital import desired_investment, goods_price
from shared.simulation.firm_credit import LOAN_MONTHS, LOAN_TO_VALUE, RECOVERY
from shared.simulation.fiscal import public_debt
from shared.simulation.goods import BANKRUPTCY_MONTHS, goods_market, update_firms
from shared.simulation.indicators import TickMetrics
from shared.simulation.model import advance, month_until_spending, rng_for
from shared.simulation.month import Month
from shared.simulation.params import SimulationParams
from shared.simulation.state import State, initial_state
from tests.simulation.stylised import Run, correlation

HOUSEHOLDS = 2000
PARAMS = SimulationParams(households=HOUSEHOLDS, seed=11)


@cache
def _run() -> tuple[list[State], list[TickMetrics]]:
    state = initial_state(PARAMS)
    states, records = [state], []
    for _ in range(360):
        state, metrics = advance(state, PARAMS, rng_for(PARAMS.seed, state.tick))
        states.append(state)
        records.append(metrics)
    return states, records


def _with(state: State, **macro: float) -> State:
    return dataclasses.replace(state, macro=dataclasses.replace(state.macro, **macro))


def test_capital_and_loans_are_never_negative_and_output_stays_within_capacity() -> None:
    states, records = _run()
    for state in states:
        assert state.firms.capital.min() >= 0 and state.firms.loans.min() >= 0
    utilisation = np.array([r.capacity_utilisation for r in records])
    assert utilisation.max() <= 1 + 1e-12
    assert 0.6 < utilisation.mean() < 0.95  # planned for 0.8: binding only in booms
    assert max(r.firm_loans for r in records if r.firm_loans is not None) > 0  # firms borrow
    assert max(r.sfc_error for r in records) < 1e-9


def test_investment_follows_expected_sales() -> None:
    """Across firms, a firm that expects to sell more wants more capital; over time,
    investment moves with output (the accelerator)."""
    states, records = _run()
    state = states[-1]
    mo = Month(state, PARAMS, rng_for(PARAMS.seed, state.tick))
    mo.real_rate_gap = 0.0
    wanted = desired_investment(mo)
    more = dataclasses.replace(state.firms, expected_sales=state.firms.expected_sales * 1.2)
    mo_more = Month(dataclasses.replace(state, firms=more), PARAMS, rng_for(PARAMS.seed, 0))
    mo_more.real_rate_gap = 0.0
    raised = desired_investment(mo_more)
    active = wanted > 0
    assert active.sum() > 10 and np.all(raised[active] > wanted[active])
    run = Run(params=PARAMS, records=records, state=state, burn_in=120)
    assert correlation(run.cycle("investment"), run.cycle("gdp_real")) > 0.5


def test_the_bank_lends_no_more_than_its_capital_requirement_allows() -> None:
    """With equity just above the requirement on what it has lent, new credit is
    rationed: firms' new loans stay within the room and households' lines shrink."""
    states, _ = _run()
    state = states[200]
    probe = Month(state, PARAMS, rng_for(PARAMS.seed, state.tick))
    lending = bank_lending(probe)
    # equity covers the requirement plus a tenth of the band: room for little new credit
    tight = _with(state, bank_equity=CAPITAL_REQUIREMENT * lending * 1.02)
    mo = month_until_spending(tight, PARAMS, rng_for(PARAMS.seed, tight.tick))
    assert 0 < mo.credit_supply < 1
    goods_market(mo)
    assert mo.new_loans <= mo.credit_room + 1e-9
    allowed = (tight.macro.bank_equity + mo.recapitalisation) / CAPITAL_REQUIREMENT
    assert mo.bank_lending + mo.new_loans <= allowed + 1e-9
    calm = month_until_spending(state, PARAMS, rng_for(PARAMS.seed, state.tick))
    assert mo.spending_total <= calm.spending_total  # lines rationed, never widened


def test_a_failed_firms_unsecured_loan_is_the_banks_loss_and_the_entrant_takes_the_plant() -> None:
    states, _ = _run()
    state = states[200]
    firms = state.firms
    k = int(np.argmax(firms.capital[1:])) + 1
    # a loan of twice the plant's lending value, so the failing firm cannot borrow to
    # invest this month (its plant then only wears)
    price = goods_price(Month(state, PARAMS, rng_for(PARAMS.seed, state.tick)))
    wages = float(firms.wage[k] * firms.expected_sales[k] / firms.productivity[k])
    loan = max(5.0 * wages, 2 * LOAN_TO_VALUE * price * float(firms.capital[k]))
    overdraft = 50 * loan  # far beyond the bankruptcy limit: the firm fails this month
    deposits, loans = firms.deposits.copy(), firms.loans.copy()
    deposits[k] -= overdraft
    loans[k] += loan
    # the bank lent both, holding fewer bonds: the books still sum to zero
    failing = dataclasses.replace(
        _with(state, bank_bonds=state.macro.bank_bonds - overdraft - loan),
        firms=dataclasses.replace(firms, deposits=deposits, loans=loans),
    )
    after, metrics = advance(failing, PARAMS, rng_for(PARAMS.seed, failing.tick))
    assert metrics.sfc_error < 1e-9
    assert after.firms.capital[k] == pytest.approx(
        firms.capital[k] * (1 - PARAMS.behaviour.depreciation), rel=1e-9
    )
    mo = month_until_spending(failing, PARAMS, rng_for(PARAMS.seed, failing.tick))
    update_firms(mo, goods_market(mo))
    # the entrant owes what the plant secures (its own repayment starts next month); the
    # rest of the loan, after this month's repayment, and the overdraft are written off
    owed = loans[k] * (1 - 1 / LOAN_MONTHS)
    secured = RECOVERY * LOAN_TO_VALUE * mo.capital_price * firms.capital[k]
    assert 0 < secured < owed
    assert after.firms.loans[k] == pytest.approx(secured, rel=1e-9)
    assert metrics.write_offs is not None
    assert metrics.write_offs >= owed - secured + 0.9 * overdraft
    # and any other failed firms' unsecured loans: all a loss to the bank's equity
    assert mo.loan_losses >= owed - secured
    bank_equity = (
        failing.macro.bank_equity
        + mo.recapitalisation
        + mo.bank_income
        - mo.bank_dividend
        - mo.written_off
        - mo.household_written_off
        - mo.loan_losses
    )
    assert after.macro.bank_equity == pytest.approx(bank_equity, rel=1e-12)


def test_bankruptcies_are_the_exits_of_insolvent_firms() -> None:
    """A month's bankruptcies are the firms closed because their debt passed the limit
    (ADR 0051): part of its exits, which also close firms whose market share fell too
    small. A firm pushed deep into overdraft is counted in both."""
    states, records = _run()
    exits = np.array([r.firm_exits for r in records])
    bankruptcies = np.array([r.firm_bankruptcies for r in records])
    assert (bankruptcies <= exits).all()
    assert 0 < bankruptcies.sum() < exits.sum()
    state = states[200]
    k = int(np.argmax(state.firms.capital[1:])) + 1
    firms = state.firms
    wages = float(firms.wage[k] * firms.expected_sales[k] / firms.productivity[k])
    overdraft = float(firms.deposits[k]) + 10 * BANKRUPTCY_MONTHS * wages  # far past the limit
    deposits = state.firms.deposits.copy()
    deposits[k] -= overdraft
    failing = dataclasses.replace(
        _with(state, bank_bonds=state.macro.bank_bonds - overdraft),
        firms=dataclasses.replace(state.firms, deposits=deposits),
    )
    _, before = advance(state, PARAMS, rng_for(PARAMS.seed, state.tick))
    _, after = advance(failing, PARAMS, rng_for(PARAMS.seed, failing.tick))
    assert before.firm_bankruptcies is not None and after.firm_bankruptcies is not None
    assert after.firm_bankruptcies == before.firm_bankruptcies + 1
    assert after.firm_exits == before.firm_exits + 1
    assert after.sfc_error < 1e-9


def test_a_bank_below_half_its_requirement_is_recapitalised_with_public_debt() -> None:
    states, _ = _run()
    state = states[200]
    # a loss on its bonds (say a haircut) leaves the bank with negative equity
    loss = 1.5 * abs(state.macro.bank_equity)
    broke = _with(
        state,
        bank_equity=state.macro.bank_equity - loss,
        bank_bonds=state.macro.bank_bonds - loss,
    )
    after, metrics = advance(broke, PARAMS, rng_for(PARAMS.seed, broke.tick))
    calm, _ = advance(state, PARAMS, rng_for(PARAMS.seed, state.tick))
    assert metrics.sfc_error < 1e-9
    assert metrics.bank_recapitalisation is not None and metrics.bank_recapitalisation > 0
    assert (
        metrics.bank_capital_ratio is not None and metrics.bank_capital_ratio >= CAPITAL_REQUIREMENT
    )
    assert after.macro.bank_equity > 0
    # to where it lends normally again: households keep their credit lines
    mo = month_until_spending(broke, PARAMS, rng_for(PARAMS.seed, broke.tick))
    assert mo.credit_supply == pytest.approx(1.0)
    # paid by the government: its debt (less the haircut) rises by about the injection
    extra_debt = public_debt(after.macro) - public_debt(calm.macro) + loss
    assert extra_debt == pytest.approx(metrics.bank_recapitalisation, rel=0.05)
