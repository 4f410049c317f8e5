"""One month of the economy: `advance(state, params, rng) -> (state, metrics)`.

Pure: the input state is not modified (the month works on copies, see `Month`), unless
the caller gives it up with `in_place=True`: then the month works on the state's own
writeable arrays (a loaded state's read-only views are still copied), which saves a copy
of every household array a month (~6 ms of a 1M-household month). Every loop that keeps
only the newest state (a run's ticks, an impact run, `aia simulate`) does so.
Every step is vectorised over households, with no Python loop per household; firms
join households through one `bincount` of labour and gathers by `employer`, and only
small subsets (deaths, new households, job seekers, token holders) are indexed.

Order within a month: the central bank sets the rate from last month's inflation and
output gap; the budget is planned (debt brake, crisis austerity); demography; debts
beyond the credit line are defaulted on; the bank is recapitalised if it must be and
sets how much new credit it grants; interest on opening balances, coupons, and
dividends of last month's profits; firms service their loans; token rewards and
staking; the labour market and production (within the plant's capacity); wages,
transfers and the income tax; households buy through their supplier links (firms'
investment, paid from cash and new loans, as bulk demand); platform services are
settled in AIA; firms update productivity, wages, markups, prices and shares, install
what they invested, and the weakest exit (their loans written off); the government
sells bonds for its deficit; health evolves; the books are checked.
"""

from __future__ import annotations

import numpy as np

from shared.simulation.bank import credit_conditions
from shared.simulation.capital import cap_output
from shared.simulation.credit import household_defaults
from shared.simulation.demography import demography, update_health
from shared.simulation.finance import central_bank, incomes, opening_flows, spend
from shared.simulation.firm_credit import service_loans
from shared.simulation.fiscal import plan_budget, sell_bonds
from shared.simulation.goods import goods_market, update_firms
from shared.simulation.indicators import TickMetrics
from shared.simulation.labour import labour_market, pay_wages
from shared.simulation.measurement import measure
from shared.simulation.month import Month
from shared.simulation.params import SimulationParams
from shared.simulation.state import State
from shared.simulation.token_economy import platform_payments, rewards_and_staking


def rng_for(seed: int, tick: int) -> np.random.Generator:
    """The random stream of one month: a function of (seed, tick) only, so a run
    resumed from stored state draws exactly what an uninterrupted run would."""
    return np.random.Generator(np.random.PCG64([seed, tick]))


def advance(
    state: State, params: SimulationParams, rng: np.random.Generator, *, in_place: bool = False
) -> tuple[State, TickMetrics]:
    """The next month and its metrics. With `in_place`, `state` must not be used again:
    its writeable household arrays become the new state's."""
    mo = month_until_spending(state, params, rng, in_place=in_place)
    market = goods_market(mo)
    platform_payments(mo, params.policy.tokens.platform_share)
    firms = update_firms(mo, market)
    budget = sell_bonds(mo)
    update_health(mo)
    return measure(mo, firms, budget)


def month_until_spending(
    state: State, params: SimulationParams, rng: np.random.Generator, *, in_place: bool = False
) -> Month:
    """The first part of `advance`, up to what households plan to spend: the one home of
    that order, which tests reading a month's incomes and spending also use."""
    mo = Month(state, params, rng, in_place=in_place)
    central_bank(mo)
    plan_budget(mo)
    demography(mo)
    household_defaults(mo)
    credit_conditions(mo)
    opening_flows(mo)
    service_loans(mo)
    rewards_and_staking(mo)
    labour_market(mo)
    cap_output(mo)
    incomes(mo, pay_wages(mo))
    spend(mo)
    return mo
