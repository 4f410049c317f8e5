"""Money between households, firms, the bank, the government and the treasury:
the policy rate, interest, dividends, wages, transfers, the income tax and spending."""

from __future__ import annotations

import numpy as np

from shared.simulation.credit import JOBLESS_LINE
from shared.simulation.fiscal import pay_coupons
from shared.simulation.month import F32, Month, blocks, distribute
from shared.simulation.params import FiscalPolicy
from shared.simulation.policy_rules import (
    TaxSchedule,
    smoothed_policy_rate,
    updated_neutral_shift,
)
from shared.simulation.state import MONTHS, STAKED
from shared.simulation.stock_flow import BANK, FIRMS, GOVERNMENT, HOUSEHOLDS, TREASURY

BANK_CAPITAL_RATIO = 0.08  # equity the bank keeps, as a share of household deposits
CASH_BUFFER_MONTHS = 3.0  # firms pay out cash beyond this many months of wages
# the least share of planned spending a high real rate leaves: intertemporal substitution
# is weak (Havranek 2015: an elasticity of about 0.3-0.5), so a real rate even 20 points
# above neutral puts off about a tenth of spending, not half (ADR 0050)
APPETITE_FLOOR = 0.9


def central_bank(mo: Month) -> None:
    """The rate for this month, set from last month's inflation and output gap."""
    state, b, policy = mo.state, mo.b, mo.params.policy.monetary
    m = state.macro
    mo.inflation = year_on_year(state.history[0], m.cpi, state.tick)
    mo.neutral_shift = updated_neutral_shift(policy, m.neutral_shift, mo.inflation)
    mo.rate = smoothed_policy_rate(
        policy, m.policy_rate, mo.inflation, m.output_gap, mo.neutral_shift
    )
    expectations(mo)
    mo.real_rate_gap = (mo.rate - mo.expected_inflation) - policy.neutral_real_rate
    shock = float(mo.rng.standard_normal())
    mo.demand_shock = b.demand_shock_persistence * m.demand_shock + (
        b.demand_shock_volatility * shock
    )


def expectations(mo: Month) -> None:
    """Expected inflation, earned (ADR 0050): experienced inflation is adaptive (Cagan
    1956), and the target is believed only as far as the central bank has delivered it
    (cf. Demertzis, Marcellino & Viegi 2012 on anchoring). Credibility moves by
    `credibility_learning` a month towards exp(-((pi - pi*) / `credibility_tolerance`)^2):
    near 1 while inflation stays near target, towards 0 while it does not. Expected
    inflation is credibility x pi* + (1 - credibility) x experienced. No wage norm:
    wages follow this and each firm's own hiring difficulty (goods.update_firms)."""
    m, b = mo.state.macro, mo.b
    target = mo.params.policy.monetary.inflation_target
    mo.experienced_inflation = m.experienced_inflation + b.expectations_learning * (
        mo.inflation - m.experienced_inflation
    )
    miss = (mo.inflation - target) / b.credibility_tolerance
    earned = float(np.exp(-miss * miss))
    mo.credibility = m.credibility + b.credibility_learning * (earned - m.credibility)
    mo.expected_inflation = (
        mo.credibility * target + (1 - mo.credibility) * mo.experienced_inflation
    )


def opening_flows(mo: Month) -> None:
    """Interest on opening balances; last month's profits paid out as dividends."""
    m, firms, b = mo.state.macro, mo.state.firms, mo.b
    monthly = mo.rate / MONTHS
    spread = mo.params.policy.monetary.loan_spread / MONTHS
    interest = np.empty(mo.n)
    for block in blocks(mo.n):
        deposits = mo.deposits[block]
        debt = np.minimum(deposits, 0.0)
        debt *= spread
        np.multiply(deposits, monthly, out=interest[block])
        interest[block] += debt
    mo.interest = interest
    mo.firm_interest = firms.deposits * monthly + np.minimum(firms.deposits, 0.0) * spread
    # the government's account: an overdraft (left by a failed bond sale) costs the loan rate
    mo.government_interest = m.government * monthly + min(m.government, 0.0) * spread
    mo.treasury_interest = m.treasury_fiat * monthly
    household_interest = float(interest.sum())
    firm_interest = float(mo.firm_interest.sum())
    mo.bank_income = -(
        household_interest + firm_interest + mo.government_interest + mo.treasury_interest
    )
    ledger = mo.ledger
    ledger.record("interest", HOUSEHOLDS, household_interest)
    ledger.record("interest", FIRMS, firm_interest)
    ledger.record("interest", GOVERNMENT, mo.government_interest)
    ledger.record("interest", TREASURY, mo.treasury_interest)
    ledger.record("interest", BANK, mo.bank_income)
    household_coupons = pay_coupons(mo)

    cash = firms.deposits + mo.firm_interest
    usual_wages = firms.wage * firms.expected_sales / np.maximum(firms.productivity, 1e-12)
    paid = b.dividend_payout * np.maximum(firms.profit, 0.0)
    paid += 0.1 * np.maximum(cash - CASH_BUFFER_MONTHS * usual_wages - paid, 0.0)
    np.minimum(paid, np.maximum(cash, 0.0), out=paid)
    paid[0] = 0.0
    mo.firm_cash = cash - paid
    owners = mo.deposits - b.equity_threshold * m.average_wage
    np.maximum(owners, 0.0, out=owners)
    mo.owners = owners
    mo.owners_total = float(owners.sum())
    bank_target = BANK_CAPITAL_RATIO * mo.owners_total
    mo.bank_dividend = max(m.bank_profit + 0.05 * (m.bank_equity - bank_target), 0.0)
    equity_payout = float(paid.sum()) + mo.bank_dividend
    # households' bonds are held pro rata to savings, like equity: coupons go with dividends
    mo.dividends = distribute(equity_payout + household_coupons, owners, mo.owners_total, mo.alive)

    # the treasury's money goes to AIA_GOV stakers
    mo.holders = np.flatnonzero(mo.gov != 0)  # on a mask: ~8x faster than on floats
    mo.staked_gov = mo.gov[mo.holders] * ((mo.flags[mo.holders] & STAKED) > 0)
    staked_total = float(mo.staked_gov.sum())
    mo.treasury_payout = m.treasury_fiat + mo.treasury_interest
    if staked_total > 0 and mo.treasury_payout > 0:
        mo.dividends[mo.holders] += mo.staked_gov * (mo.treasury_payout / staked_total)
    else:
        mo.treasury_payout = 0.0
    ledger.record("dividends", FIRMS, -float(paid.sum()))
    ledger.record("dividends", BANK, -mo.bank_dividend)
    ledger.record("dividends", TREASURY, -mo.treasury_payout)
    ledger.record("dividends", GOVERNMENT, -household_coupons)  # households' coupons
    ledger.record("dividends", HOUSEHOLDS, float(mo.dividends.sum()))


def incomes(mo: Month, wages: np.ndarray) -> None:
    """Transfers, the progressive income tax, and disposable income."""
    fiscal = mo.params.policy.fiscal
    n = mo.n
    # the debt brake's or a crisis's cuts (fiscal.plan_budget): a crisis cuts entitlements last
    keep = 1 - mo.entitlement_cut
    basic = fiscal.basic_income * mo.average_wage
    schedule = _schedule(fiscal)
    jobless = np.empty(n, dtype=np.bool_)
    entitlement = np.empty(n, dtype=F32)
    transfers = np.empty(n)
    tax = np.empty(n, dtype=F32)
    disposable = np.empty(n)
    # element-wise, a block of households at a time; the totals below sum whole arrays
    for block in blocks(n):
        out_of_work = np.equal(mo.employer[block], 0, out=jobless[block])
        out_of_work &= mo.alive[block]
        out_of_work &= ~mo.retired[block]
        owed_to = np.multiply(out_of_work, F32(fiscal.unemployment_benefit), out=entitlement[block])
        owed_to += mo.retired[block] * F32(fiscal.pension)
        owed_to *= mo.skill[block]  # benefits replace a share of the usual pay ...
        if fiscal.minimum_income > 0:  # ... and never fall below a minimum income
            floor = (out_of_work | mo.retired[block]) * F32(
                fiscal.minimum_income * mo.average_wage / mo.unit_wage
            )
            np.maximum(owed_to, floor, out=owed_to)
        received = np.multiply(owed_to, mo.unit_wage * keep, dtype=np.float64, out=transfers[block])
        if fiscal.basic_income > 0:
            received += mo.alive[block] * (basic * (1 - mo.discretionary_cut))
        base = wages[block] + received
        base += mo.dividends[block]
        taxable = np.maximum(mo.interest[block], 0.0)
        taxable += base
        owes = schedule.monthly_tax(taxable, mo.average_wage)
        if mo.tax_surcharge > 0:  # the debt brake's flat surcharge
            owes += (np.maximum(taxable, 0.0) * mo.tax_surcharge).astype(F32)
        tax[block] = owes
        base += mo.interest[block]
        np.subtract(base, owes, out=disposable[block])
    mo.jobless = jobless
    owed = float(entitlement.sum(dtype=np.float64)) * mo.unit_wage
    mo.entitlements_planned = owed
    paid = owed * keep
    planned = owed
    if fiscal.basic_income > 0:
        planned += basic * mo.population
        paid += basic * mo.population * (1 - mo.discretionary_cut)
    mo.transfers_planned = planned
    mo.transfers_total = paid
    mo.ledger.transfer("transfers", GOVERNMENT, paid, HOUSEHOLDS, float(transfers.sum()))
    mo.tax_total = float(tax.sum(dtype=np.float64))
    mo.ledger.transfer("taxes", HOUSEHOLDS, mo.tax_total, GOVERNMENT, mo.tax_total)
    mo.disposable = disposable


_SCHEDULES: dict[FiscalPolicy, TaxSchedule] = {}


def _schedule(fiscal: FiscalPolicy) -> TaxSchedule:
    schedule = _SCHEDULES.get(fiscal)
    if schedule is None:
        if len(_SCHEDULES) > 64:
            _SCHEDULES.clear()
        schedule = _SCHEDULES[fiscal] = TaxSchedule(fiscal)
    return schedule


def spend(mo: Month) -> None:
    """C = a1 YD + a2 V(-1) (Godley & Lavoie): spending out of this month's earned
    income and out of savings, a2 falling with skill (the rich save more), scaled by
    an appetite that follows the real-rate gap and the demand shock with a lag; a
    floor financed by credit, a credit line as the ceiling. Capital income is saved
    first and spent out of wealth."""
    b = mo.b
    # intertemporal substitution has limits: at most a tenth of spending is put off,
    # however high the real rate (a deflation at the rate's floor, with expectations that
    # learn it, otherwise feeds on itself: ADR 0050)
    called_for = max(1 - b.rate_sensitivity * mo.real_rate_gap, APPETITE_FLOOR)
    called_for *= float(np.exp(mo.demand_shock))
    # habits: spending moves towards what the real rate and confidence call for over
    # about two years (ADR 0051), as monetary policy's effect on spending peaks
    appetite = mo.state.macro.appetite
    appetite += b.appetite_adjustment * (called_for - appetite)
    mo.appetite = appetite
    # savings held in bonds (pro rata to deposits above the equity threshold) count
    in_bonds = mo.owners_total > 0 and mo.state.macro.household_bonds > 0
    bond_share = mo.state.macro.household_bonds / mo.owners_total if in_bonds else 0.0
    subsistence = b.subsistence * mo.average_wage
    line = b.borrowing_limit * mo.average_wage * mo.credit_supply  # rationed by bank.py
    spending = np.empty(mo.n)
    for block in blocks(mo.n):
        thrift = mo.skill[block] - F32(1)
        thrift *= F32(b.thrift_by_skill)
        thrift += F32(1)
        np.maximum(thrift, F32(0.2), out=thrift)
        from_wealth = F32(b.consumption_from_wealth) / thrift
        earned = mo.disposable[block] - mo.dividends[block]
        earned -= mo.interest[block]
        np.maximum(earned, 0.0, out=earned)
        earned *= b.propensity_to_consume
        deposits = mo.deposits[block]
        if in_bonds:
            planned = mo.owners[block] * bond_share
            planned += deposits
        else:
            planned = deposits.copy()
        planned *= from_wealth
        planned += earned
        planned *= appetite
        deposits += mo.disposable[block]
        floor = mo.alive[block] * subsistence
        np.maximum(planned, floor, out=planned)
        ceiling = deposits + line
        # the bank lends less to someone out of work (one masked pass, no temporary)
        np.subtract(ceiling, (1 - JOBLESS_LINE) * line, out=ceiling, where=mo.jobless[block])
        np.maximum(ceiling, 0.0, out=ceiling)
        np.minimum(planned, ceiling, out=spending[block])
    mo.spending = spending
    mo.spending_total = float(spending.sum())


def year_on_year(history: np.ndarray, value: float, tick: int) -> float:
    """Change over the last 12 months; annualised from tick 0 in the first year."""
    before = float(history[tick % MONTHS])
    if before <= 0 or tick == 0:
        return 0.0
    if tick >= MONTHS:
        return value / before - 1
    return float((value / before) ** (MONTHS / tick) - 1)


def growth_over_year(history: np.ndarray, value: float, tick: int) -> float | None:
    """Change over the last 12 months; None in the first year. Unlike the inflation the
    policy rule needs from month one, reported growth is not annualised: one month's
    change raised to the twelfth power read as 93 % growth."""
    if tick < MONTHS:
        return None
    before = float(history[tick % MONTHS])
    return value / before - 1 if before > 0 else None
