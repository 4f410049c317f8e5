"""A government that faces its budget (ADR 0040; Godley & Lavoie 2007 ch. 4-5 for the
bond market, Caiani et al. 2016 for the bank as residual buyer).

The government keeps an account at the bank and finances its deficit by selling
bonds at the end of each month, to households (pro rata to savers, a portfolio share
that rises with the spread) and to the bank (the rest). Buyers ask the policy rate plus
a spread that rises with the debt ratio above a safe level and with a primary deficit
above 5 % of GDP; beyond a maximum spread nobody buys: a fiscal crisis. The month after a
crisis the government must balance its budget with what it collects: transfers and
purchases are cut to what revenue leaves after the coupons and a twelfth of the
overdraft the failed sale left, and if revenue does not cover the coupons, the unpaid
part is defaulted on (holders simply do not get it). The coupon on the stock moves
towards the yield on new issues as bonds roll over (average maturity two years).

The debt brake (a policy rule) acts earlier and smoothly: above the debt ceiling it
targets a consolidation of `brake_strength` x (debt ratio - ceiling) of GDP, raised
partly by a flat income-tax surcharge and partly by cutting transfers and purchases,
approached at `brake_speed` a month.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.simulation.month import Month
from shared.simulation.state import MONTHS, Macro
from shared.simulation.stock_flow import BANK, GOVERNMENT, HOUSEHOLDS

MATURITY_MONTHS = 24.0  # average maturity: a 24th of the stock rolls over each month
OVERDRAFT_REPAYMENT_MONTHS = 12.0  # a crisis overdraft is paid down over a year
DEFICIT_ALLOWANCE = 0.05  # primary deficit/GDP that carries no premium
MAX_SURCHARGE = 0.2  # the brake's income-tax surcharge is at most 20 points
# households' bonds as a share of their savings: a base share rising with the spread
# (Tobin's portfolio choice, as in Godley & Lavoie's model PC), adjusted gradually
HOUSEHOLD_BOND_SHARE = 0.15
HOUSEHOLD_BOND_SHARE_PER_SPREAD = 3.0
HOUSEHOLD_BOND_SHARE_MAX = 0.5
PORTFOLIO_ADJUSTMENT = 1 / MONTHS


def public_debt(m: Macro) -> float:
    """Bonds outstanding less the government's money (an overdraft adds to it)."""
    return m.household_bonds + m.bank_bonds - m.government


def plan_budget(mo: Month) -> None:
    """The month's budget, set from last month's figures before any money moves: the
    debt brake's surcharge and cut, and after a failed bond sale the forced austerity
    and any default on coupons."""
    m, fiscal = mo.state.macro, mo.params.policy.fiscal
    annual_gdp = max(MONTHS * m.trend_gdp, 1e-12)
    excess = max(public_debt(m) / annual_gdp - fiscal.debt_ceiling, 0.0)
    consolidation = fiscal.brake_strength * excess  # a share of GDP
    surcharge_target = min(fiscal.brake_tax_share * consolidation, MAX_SURCHARGE)
    cut_target = (1 - fiscal.brake_tax_share) * consolidation * m.trend_gdp
    cut_target = min(cut_target / max(m.public_outlays, 1e-12), 1.0)
    speed = fiscal.brake_speed
    mo.tax_surcharge = m.tax_surcharge + speed * (surcharge_target - m.tax_surcharge)
    mo.brake_cut = m.brake_cut + speed * (cut_target - m.brake_cut)

    bonds = m.household_bonds + m.bank_bonds
    mo.coupons_due = m.debt_cost / MONTHS * bonds
    mo.coupon_share = 1.0
    mo.fiscal_cut = mo.entitlement_cut = mo.discretionary_cut = mo.brake_cut
    if m.fiscal_crisis > 0:
        crisis_budget(mo)


def crisis_budget(mo: Month) -> None:
    """No buyer: outlays must fit in what the government collects, in an order of
    priority. Entitlements (benefits, pensions, the minimum income: the automatic
    stabilisers) are paid first, then coupons (what revenue does not cover is defaulted
    on), then the basic income and purchases from what is left. Paying coupons first
    took every transfer away in a deep crisis: demand collapsed with the benefits meant
    to hold it up (u past 70 % in random policies)."""
    m = mo.state.macro
    cash = max(m.public_revenue + min(m.government, 0.0) / OVERDRAFT_REPAYMENT_MONTHS, 0.0)
    entitlements = m.public_entitlements
    discretionary = max(m.public_outlays - entitlements, 0.0)
    to_entitlements = min(cash, entitlements)
    left = cash - to_entitlements
    if mo.coupons_due > 0:
        mo.coupon_share = min(left / mo.coupons_due, 1.0)
    left -= mo.coupons_due * mo.coupon_share
    kept = min(max(left, 0.0), discretionary)
    mo.entitlement_cut = (
        max(mo.brake_cut, 1 - to_entitlements / entitlements) if entitlements > 0 else mo.brake_cut
    )
    mo.discretionary_cut = max(mo.brake_cut, 1 - kept / max(discretionary, 1e-12))
    planned = max(m.public_outlays, 1e-12)
    mo.fiscal_cut = (
        entitlements * mo.entitlement_cut + discretionary * mo.discretionary_cut
    ) / planned


def pay_coupons(mo: Month) -> float:
    """Coupons paid this month: the households' share (returned, for the caller to
    distribute with dividends) and the bank's (added to its income)."""
    m = mo.state.macro
    paid = mo.coupons_due * mo.coupon_share
    bonds = m.household_bonds + m.bank_bonds
    to_households = paid * m.household_bonds / bonds if bonds > 0 else 0.0
    to_bank = paid - to_households
    mo.coupons_paid = paid
    mo.bank_income += to_bank
    # households' coupons reach them with dividends: that row records them (finance.py),
    # or a month whose dividends are all coupons would leave a row of pure rounding
    mo.ledger.transfer("coupons", GOVERNMENT, to_bank, BANK, to_bank)
    return to_households


def public_purchases(mo: Month) -> float:
    """Purchases planned as a share of trend GDP, steered towards the debt target,
    then cut by the brake or a crisis."""
    fiscal, m = mo.params.policy.fiscal, mo.state.macro
    debt_ratio = public_debt(m) / max(MONTHS * m.trend_gdp, 1e-12)
    share = fiscal.public_spending * (1 - fiscal.debt_response * (debt_ratio - fiscal.debt_target))
    share = min(max(share, 0.0), 2 * fiscal.public_spending)
    mo.purchases_planned = share * m.trend_gdp
    return mo.purchases_planned * (1 - mo.discretionary_cut)


@dataclass(frozen=True)
class Budget:
    """The government's closing position and the bond market's outcome."""

    government: float
    household_bonds: float
    bank_bonds: float
    bond_yield: float
    debt_cost: float
    crisis: bool
    revenue: float
    outlays_planned: float


def sell_bonds(mo: Month) -> Budget:
    """End of month: the government sells bonds for its overdraft (or retires bonds
    with spare money); households rebalance towards their portfolio share, the bank
    takes the rest. If the spread buyers ask exceeds the maximum, nothing is sold."""
    m, b = mo.state.macro, mo.b
    revenue = mo.tax_total + mo.estate_tax
    account = (
        m.government
        + mo.government_interest
        - mo.coupons_paid
        + revenue
        - mo.public_paid
        - mo.transfers_total
        - mo.recapitalisation  # the bank's, if it needed one (bank.py)
    )
    bonds = m.household_bonds + m.bank_bonds
    annual_gdp = max(MONTHS * m.trend_gdp, 1e-12)
    debt_ratio = (bonds - account) / annual_gdp
    # buyers judge the budget the government intends (after its debt brake), not what
    # a crisis forced on it: access returns once the policy itself is financeable
    intended = (mo.transfers_planned + mo.purchases_planned) * (1 - mo.brake_cut)
    primary_deficit = (intended - revenue) * MONTHS / annual_gdp
    spread = b.debt_risk_premium * max(debt_ratio - b.safe_debt_ratio, 0.0)
    spread += b.deficit_risk_premium * max(primary_deficit - DEFICIT_ALLOWANCE, 0.0)
    crisis = spread > b.max_bond_spread
    bond_yield = mo.rate + min(spread, b.max_bond_spread)
    issue = -max(account, 0.0) if crisis else -account
    issue = max(issue, -bonds)  # spare money retires bonds, at most all of them
    account += issue

    # households move towards their share of savings in bonds; the bank holds the rest
    share = min(
        HOUSEHOLD_BOND_SHARE + HOUSEHOLD_BOND_SHARE_PER_SPREAD * spread, HOUSEHOLD_BOND_SHARE_MAX
    )
    wealth = mo.owners_total + m.household_bonds
    wanted = min(share * wealth, bonds + issue)
    bought = PORTFOLIO_ADJUSTMENT * (wanted - m.household_bonds)
    bought = min(bought, 0.5 * mo.owners_total)
    bought = min(bought, bonds + issue - m.household_bonds)  # retired bonds leave them too
    if mo.owners_total <= 0:
        bought = -m.household_bonds  # no savers left to hold them: the bank buys them back
        if bought < 0:
            mo.deposits += mo.alive * (-bought / max(mo.population, 1))
    else:
        mo.deposits -= mo.owners * (bought / mo.owners_total)
    household_bonds = m.household_bonds + bought
    bank_bonds = bonds + issue - household_bonds
    ledger = mo.ledger
    ledger.record("bonds", GOVERNMENT, issue)
    ledger.record("bonds", HOUSEHOLDS, -bought)
    ledger.record("bonds", BANK, -(issue - bought))

    rolled = bonds / MATURITY_MONTHS + max(issue, 0.0)
    kept = bonds - bonds / MATURITY_MONTHS
    total = kept + rolled
    debt_cost = (m.debt_cost * kept + bond_yield * rolled) / total if total > 0 else bond_yield
    return Budget(
        government=account,
        household_bonds=household_bonds,
        bank_bonds=bank_bonds,
        bond_yield=bond_yield,
        debt_cost=debt_cost,
        crisis=crisis,
        revenue=revenue,
        outlays_planned=mo.transfers_planned + mo.purchases_planned,
    )
