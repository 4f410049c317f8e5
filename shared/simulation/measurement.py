"""The month's closing: government, bank and treasury accounts, the new state, the
price index and GDP, and the metrics record (with the stock-flow check); a month
that leaves the finite numbers raises `EconomyDiverged` (see guards).

Inequality is measured on disposable income and on net wealth (deposits, AIA at its
price and a household's share of the households' bonds) of living households: every
household up to 65,536 of them, above that a fixed systematic sample of 65,536 slots
(every k-th: slots are filled at random, so the sample is unbiased; its standard error
on a Gini is about 0.002).
"""

from __future__ import annotations

import numpy as np

from shared.simulation.dot import dot
from shared.simulation.finance import growth_over_year
from shared.simulation.fiscal import Budget, public_debt
from shared.simulation.guards import check_finite
from shared.simulation.indicators import TickMetrics
from shared.simulation.inequality import gini
from shared.simulation.month import F64Array, Month, sector_money
from shared.simulation.state import MONTHS, STAKED, Firms, Households, Macro, State

INEQUALITY_SAMPLE = 65_536
TREND_WEIGHT = 1 / 24  # smoothing of the GDP trend public purchases follow
# potential output: Holt's linear trend of log real GDP, level and growth weights a month
POTENTIAL_LEVEL_WEIGHT = 1 / 12
POTENTIAL_GROWTH_WEIGHT = 1 / 12
NATURAL_RATE_WEIGHT = 1 / 120  # the estimated u*: unemployment smoothed over a decade


def measure(mo: Month, firms: Firms, budget: Budget) -> tuple[State, TickMetrics]:
    state, m = mo.state, mo.state.macro
    government = budget.government
    written_off = mo.written_off + mo.household_written_off + mo.loan_losses
    bank_equity = (
        m.bank_equity + mo.recapitalisation + mo.bank_income - mo.bank_dividend - written_off
    )
    treasury_fiat = m.treasury_fiat + mo.treasury_interest - mo.treasury_payout + mo.platform_money

    old = state.firms
    nominal_gdp = float((old.price * mo.output).sum()) + mo.platform_value
    real_gdp = nominal_gdp / m.cpi
    gdp_growth = growth_over_year(state.history[1], real_gdp, state.tick)
    # chained CPI: firms' smoothed market shares (times their sector's sales) weight the
    # price changes. This month's sales would not do: a firm that sold out sells much
    # and then raises its price, one stuck with goods sells little and then cuts, so
    # sales weights drift the index up (chain drift) and expectations learn the drift.
    change = firms.price / np.maximum(old.price, 1e-300)
    change[0] = 1.0
    sector = old.sector.astype(np.intp)
    sector_sales = np.bincount(sector, weights=mo.revenue, minlength=2)
    weights = old.share * sector_sales.take(sector)
    weights /= max(float(weights.sum()), 1e-300)
    cpi = m.cpi * float(np.exp(dot(weights, np.log(np.maximum(change, 1e-12)))))
    history = state.history.copy()
    history[0, state.tick % MONTHS] = m.cpi
    history[1, state.tick % MONTHS] = real_gdp

    trend_output, trend_growth, output_gap = potential_output(m, real_gdp)
    real_output = float(mo.output.sum())

    macro = Macro(
        policy_rate=mo.rate,
        neutral_shift=mo.neutral_shift,
        expected_inflation=mo.expected_inflation,
        experienced_inflation=mo.experienced_inflation,
        credibility=mo.credibility,
        appetite=mo.appetite,
        public_capital=mo.public_capital,
        trend_output=trend_output,
        trend_growth=trend_growth,
        unemployment_trend=m.unemployment_trend
        + NATURAL_RATE_WEIGHT * (mo.unemployment - m.unemployment_trend),
        demand_shock=mo.demand_shock,
        cpi=cpi,
        average_wage=mo.average_wage,
        unit_wage=mo.unit_wage,
        unemployment=mo.unemployment,
        output_gap=output_gap,
        nominal_gdp=nominal_gdp,
        trend_gdp=m.trend_gdp + TREND_WEIGHT * (nominal_gdp - m.trend_gdp),
        government=government,
        treasury_fiat=treasury_fiat,
        treasury_aia=mo.treasury_aia,
        bank_equity=bank_equity,
        bank_profit=mo.bank_income - written_off,
        aia_price=mo.aia_price,
        aia_minted=m.aia_minted + mo.aia_minted,
        aia_burned=m.aia_burned + mo.aia_burned,
        gov_minted=m.gov_minted,
        gov_burned=m.gov_burned,
        household_bonds=budget.household_bonds,
        bank_bonds=budget.bank_bonds,
        bond_yield=budget.bond_yield,
        debt_cost=budget.debt_cost,
        tax_surcharge=mo.tax_surcharge,
        brake_cut=mo.brake_cut,
        public_revenue=budget.revenue,
        public_outlays=budget.outlays_planned,
        public_entitlements=mo.entitlements_planned,
        fiscal_crisis=float(budget.crisis),
    )
    households = Households(
        age=mo.age,
        health=mo.health,
        skill=mo.skill,
        employer=mo.employer,
        deposits=mo.deposits,
        aia=mo.aia,
        gov=mo.gov,
        flags=mo.flags,
        suppliers=mo.suppliers,
    )
    new_state = State(
        tick=state.tick + 1, households=households, firms=firms, macro=macro, history=history
    )
    money = sector_money(mo.deposits, firms.deposits, new_state)
    sfc_error = mo.ledger.error(money)
    aia_supply = float(mo.aia.sum()) + mo.treasury_aia
    gov_supply = float(mo.gov.sum())
    # relative to all ever minted: when burning leaves a small supply, minted - burned
    # is a difference of large sums whose rounding is not a leak
    token_error = max(
        abs(aia_supply - (macro.aia_minted - macro.aia_burned))
        / max(aia_supply, macro.aia_minted, 1e-300),
        abs(gov_supply - (macro.gov_minted - macro.gov_burned))
        / max(gov_supply, macro.gov_minted, 1e-300),
    )
    step = max(1, mo.n // INEQUALITY_SAMPLE)
    sample = mo.alive[::step]
    wealth = mo.deposits[::step][sample] + mo.aia[::step][sample] * mo.aia_price
    if mo.owners_total > 0:  # households' bonds are held pro rata to savings
        wealth += mo.owners[::step][sample] * (budget.household_bonds / mo.owners_total)
    staked = (mo.flags[mo.holders] & STAKED) > 0
    sizes = mo.labour[1:]
    metrics = TickMetrics(
        tick=new_state.tick,
        gdp_nominal=nominal_gdp,
        gdp_real=real_gdp,
        gdp_growth=gdp_growth,
        labor_productivity=real_gdp / max(mo.employed, 1),
        unemployment_rate=mo.unemployment,
        inflation=mo.inflation,
        policy_rate=mo.rate,
        output_gap=output_gap,
        tax_revenue=mo.tax_total + mo.estate_tax,
        gini_income=gini(mo.disposable[::step][sample]),
        gini_wealth=gini(wealth),
        mean_health=float(mo.health.sum(dtype=np.float64)) / max(mo.population, 1),
        population=mo.population,
        aia_supply=aia_supply,
        aia_velocity=MONTHS * (mo.aia_paid + mo.aia_rewards) / max(aia_supply, 1e-300),
        aia_gov_supply=gov_supply,
        vacancy_rate=mo.vacancy_rate,
        participation_rate=mo.labour_force / max(mo.population, 1),
        employment=mo.employed,
        cpi=m.cpi,
        average_wage=mo.average_wage,
        consumption=mo.household_paid,
        investment=float(mo.invested.sum()),
        public_spending=mo.public_paid,
        government_balance=public_debt(m) - public_debt(macro),
        public_debt_ratio=public_debt(macro) / max(MONTHS * nominal_gdp, 1e-300),
        bond_yield=budget.bond_yield,
        fiscal_cut=mo.fiscal_cut,
        fiscal_crisis=int(budget.crisis),
        aia_price=mo.aia_price,
        aia_minted=macro.aia_minted,
        aia_burned=macro.aia_burned,
        aia_gov_staked_share=float(mo.gov[mo.holders][staked].sum()) / max(gov_supply, 1e-300),
        aia_gov_gini=gini(mo.gov[::step][sample]),
        firms_hiring=int(np.count_nonzero(sizes)),
        firm_exits=mo.exits,
        firm_size_skewness=_skewness(sizes),
        sfc_error=sfc_error,
        token_error=token_error,
        labour_share=float(mo.wage_bill.sum()) / nominal_gdp if nominal_gdp > 0 else 0.0,
        # slot 0 is "no firm"; an entrant's opening price counts as a change
        price_change_share=float(np.count_nonzero(firms.price[1:] != old.price[1:]))
        / max(mo.f - 1, 1),
        capacity_utilisation=real_output / max(float(mo.capacity[1:].sum()), 1e-300),
        firm_loans=float(firms.loans[1:].sum()),
        credit_rationed=mo.credit_rationed,
        bank_capital_ratio=mo.bank_capital_ratio,
        bank_recapitalisation=mo.recapitalisation,
        write_offs=written_off,
        expected_inflation=mo.expected_inflation,
        central_bank_credibility=mo.credibility,
        firm_bankruptcies=mo.bankruptcies,
        public_capital=mo.public_capital,
    )
    totals = (
        ("households' deposits (sum)", money[0]),
        ("households' AIA (sum)", aia_supply),
        ("households' AIA_GOV (sum)", gov_supply),
        ("households' health (sum)", metrics.mean_health),
        ("households' skill (sum)", float(mo.skill.sum(dtype=np.float64))),
    )
    check_finite(new_state.tick, totals, firms, macro, metrics)
    return new_state, metrics


def potential_output(m: Macro, real_gdp: float) -> tuple[float, float, float]:
    """Potential output estimated from the simulated data, not from a natural rate:
    Holt's linear trend of log real GDP (level and growth smoothed at
    POTENTIAL_LEVEL_WEIGHT and POTENTIAL_GROWTH_WEIGHT a month). The output gap is real
    GDP over the trend's forecast for this month. Returns (level, growth, gap)."""
    log_gdp = float(np.log(max(real_gdp, 1e-300)))
    forecast = m.trend_output + m.trend_growth
    surprise = log_gdp - forecast
    level = forecast + POTENTIAL_LEVEL_WEIGHT * surprise
    growth = m.trend_growth + POTENTIAL_GROWTH_WEIGHT * (level - m.trend_output - m.trend_growth)
    return level, growth, float(np.expm1(surprise))


def _skewness(x: F64Array) -> float:
    if x.size < 3:
        return 0.0
    centred = x - x.mean()
    sd = float(np.sqrt(dot(centred, centred) / x.size))
    return dot(centred * centred, centred) / x.size / sd**3 if sd > 0 else 0.0
