"""The state of one economy: arrays over households and firms plus a few aggregates.

Households live in fixed slots (the `households` parameter is the capacity); a slot is
vacant after a death until a new household forms in it. Firm arrays have one extra
slot, index 0, standing for "no firm": a household's `employer` is 0 when it has no
job, so per-firm quantities can be gathered for every household without a mask.

Money is float64 (stock-flow consistency is checked to 1e-9); everything else uses the
smallest type that holds it: 49 bytes per household (firms add about 5 more).
A household's supplier links (`suppliers`, one row per link: GOODS_LINKS goods firms,
then HEALTH_LINKS health firms) are firm slots as uint16 while the firms fit in it,
else int32.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import numpy as np
from numpy.typing import NDArray

from shared.simulation import settled_shape as settled
from shared.simulation.params import Behaviour, SimulationParams
from shared.simulation.start_shape import (
    COLUMN,
    STATUSES,
    FirmStart,
    firm_rows,
    firm_start,
    household_band,
    household_deposits,
    household_health,
    household_status,
)

ALIVE = np.uint8(1)
STAKED = np.uint8(2)
GOODS, HEALTH = 0, 1
MONTHS = 12
# a new economy's public capital index (public_capital.py): the share of GDP the default
# policy's purchases settle at once public debt has built up (11-12 %; the debt target
# steers them below the 22 % planned), so the default economy's productivity does not
# drift while the index settles
PUBLIC_CAPITAL_START = 0.115
HEALTH_REFERENCE = 0.8  # mortality is the schedule's at this health
HEALTH_WEIGHT = 0.6  # the share of a worker's efficiency that poor health can take away
GOODS_LINKS = 3  # goods firms a household buys from (Lengnick 2013 uses 7; 3 keeps it small)
HEALTH_LINKS = 2
LINKS = GOODS_LINKS + HEALTH_LINKS
LINK_SECTORS = np.array([GOODS] * GOODS_LINKS + [HEALTH] * HEALTH_LINKS, dtype=np.uint8)


@dataclass(frozen=True)
class Households:
    age: NDArray[np.uint16]  # months
    health: NDArray[np.float32]  # [0, 1]
    skill: NDArray[np.float32]  # lognormal, mean 1
    employer: NDArray[np.int32]  # firm slot, 0 = none
    deposits: NDArray[np.float64]  # bank balance; negative = loan
    aia: NDArray[np.float64]  # AIA utility tokens
    gov: NDArray[np.float64]  # AIA_GOV governance tokens
    flags: NDArray[np.uint8]  # ALIVE | STAKED
    suppliers: NDArray[np.integer[Any]]  # (LINKS, households): firm slots the household buys from

    @property
    def alive(self) -> NDArray[np.bool_]:
        return (self.flags & ALIVE).astype(np.bool_)


@dataclass(frozen=True)
class Firms:
    sector: NDArray[np.uint8]  # GOODS or HEALTH
    productivity: NDArray[np.float64]  # output per efficiency unit-month
    price: NDArray[np.float64]
    wage: NDArray[np.float64]  # pay per efficiency unit-month at normal hours
    markup: NDArray[np.float64]  # price over unit labour cost, minus 1
    price_age: NDArray[np.float64]  # months since the price last changed
    inventory: NDArray[np.float64]  # real units
    expected_sales: NDArray[np.float64]  # real units per month
    share: NDArray[np.float64]  # smoothed share of its sector's sales
    deposits: NDArray[np.float64]
    profit: NDArray[np.float64]  # last month's, paid out this month
    capital: NDArray[np.float64]  # the plant, in units of goods (capital.py)
    loans: NDArray[np.float64]  # owed to the bank (firm_credit.py)


@dataclass(frozen=True)
class Macro:
    """Scalars carried from month to month (all float64 in the stored layout)."""

    policy_rate: float
    neutral_shift: float  # the central bank's correction of r*
    expected_inflation: float  # credibility x target + (1 - credibility) x experienced
    experienced_inflation: float  # adaptive: what inflation has been (Cagan 1956)
    credibility: float  # [0, 1]: how far the target is believed, earned by delivering it
    appetite: float  # households' spending appetite, following the real rate with a lag
    public_capital: float  # public purchases' share of GDP, averaged over its lifetime
    trend_output: float  # Holt trend of log real GDP (monthly): estimated potential output
    trend_growth: float  # its monthly growth
    unemployment_trend: float  # unemployment smoothed over a decade: the estimated u*
    demand_shock: float
    cpi: float
    average_wage: float  # monthly pay of an employed worker
    unit_wage: float  # pay per efficiency unit-month
    unemployment: float
    output_gap: float
    nominal_gdp: float
    trend_gdp: float  # smoothed nominal GDP, what public purchases scale with
    government: float  # the government's account at the bank; negative = an overdraft
    treasury_fiat: float  # the platform treasury's account
    treasury_aia: float
    bank_equity: float
    bank_profit: float  # last month's, paid out this month
    aia_price: float  # money per AIA
    aia_minted: float
    aia_burned: float
    gov_minted: float
    gov_burned: float
    # public finance (fiscal.py): bonds, their yield, the debt brake and crises
    household_bonds: float  # government bonds held by households (pro rata to savers)
    bank_bonds: float  # government bonds held by the bank
    bond_yield: float  # annual yield on new issues
    debt_cost: float  # annual coupon paid on the stock (new issues roll in slowly)
    tax_surcharge: float  # flat income-tax rate the debt brake adds
    brake_cut: float  # share of transfers and purchases the debt brake cuts
    public_revenue: float  # last month's taxes
    public_outlays: float  # last month's transfers and purchases before any cut
    public_entitlements: float  # the part of them owed as benefits, pensions, minimum income
    fiscal_crisis: float  # 1 when last month no buyer financed the deficit

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))


@dataclass(frozen=True)
class State:
    tick: int  # months completed
    households: Households
    firms: Firms
    macro: Macro
    history: NDArray[np.float64]  # (2, 12): CPI and real GDP of the last 12 months

    @property
    def size(self) -> int:
        return int(self.households.age.size)


def initial_state(params: SimulationParams, *, settled_start: bool = True) -> State:
    """A new economy, its slow stocks drawn from where the default economy settles
    (start_shape.py, ADR 0055): households' wealth by skill and age, firms' loans, cash,
    stocks, markups and price ages, the bank's equity, households' bonds and the central
    bank's credibility. `settled_start=False` draws the plain economy the shape was
    measured from (scripts/settled_shape.py), which takes about 30 years to settle."""
    rng = np.random.default_rng(np.random.SeedSequence([params.seed, 0xC0FFEE]))
    b = params.behaviour
    n, f = params.households, params.firms

    sigma = b.skill_dispersion
    skill = rng.lognormal(-sigma * sigma / 2, sigma, n).astype(np.float32)
    age_years = _stationary_ages(params, rng, n)
    age = (age_years * MONTHS).astype(np.uint16)
    usual = usual_health(age_years, b)
    health = np.clip(usual + rng.normal(0, 0.05, n), 0.05, 1).astype(np.float32)

    sector = np.zeros(f + 1, dtype=np.uint8)
    n_health = max(2, round(f * b.health_firms_share))
    sector[1 : n_health + 1] = HEALTH
    rows = firm_rows(rng, sector) if settled_start else None
    share = np.zeros(f + 1)
    if rows is not None:  # a few large firms and many small ones, as competition leaves them
        share[1:] = rows[1:, COLUMN["share"]]
    else:
        share[1:] = rng.lognormal(0, 0.3, f)
    share = normalise_shares(share, sector)
    # households' supplier links: in proportion to the settled links each firm has (small
    # firms keep more customers than sales), else to shares
    link_weight = share if rows is None else normalise_shares(rows[:, COLUMN["links"]], sector)

    working = (age_years < params.behaviour.retirement_age) & (health >= b.participation_health)
    slow = plain_scalars(params)  # rates, credibility, unemployment, the bank's equity
    if settled_start:
        slow = {k: settled.SETTLED[k] for k in slow}
        # as many too ill to work as settle by skill and age (demography.py)
        band = household_band(skill, age_years)
        too_ill = rng.random(n) < settled.TOO_ILL[band]
        working = (age_years < params.behaviour.retirement_age) & ~too_ill
    employed = working & (rng.random(n) >= slow["unemployment"])
    if settled_start:
        status = household_status(employed, working)
        cell = band * STATUSES + status
        health = household_health(rng, age_years, cell, status, b)
    # job i goes to firm j with probability proportional to its share of the economy's
    # labour (consumption weights: goods 1 - health share, health its share)
    weight = share[1:] * np.where(
        sector[1:] == HEALTH, b.health_spending_share, 1 - b.health_spending_share
    )
    cdf = np.cumsum(weight)
    employer = np.zeros(n, dtype=np.int32)
    jobs = int(employed.sum())
    if settled_start:
        # systematic: each firm its share of the jobs, give or take one, so that none
        # starts without staff by chance; who gets which job is random
        places = (rng.random() + np.arange(jobs)) * (cdf[-1] / max(jobs, 1))
        picks = rng.permutation(np.searchsorted(cdf, places) + 1)
    else:
        picks = np.searchsorted(cdf, rng.random(jobs) * cdf[-1]) + 1
    employer[employed] = np.minimum(picks, f).astype(np.int32)

    aia = np.full(n, 0.03)  # about a month of platform spending
    holders = rng.random(n) < 0.2
    gov = np.where(holders, rng.pareto(1.5, n) + 1.0, 0.0)
    flags = np.full(n, ALIVE, dtype=np.uint8)
    flags[holders & (rng.random(n) < params.policy.tokens.staking_target)] |= STAKED

    productivity = np.ones(f + 1)
    wage = np.ones(f + 1)
    if rows is not None:
        # wages follow productivity (firms' own, labour.py), so unit costs, and prices,
        # differ less than either: one wage for all set cheap, productive firms against
        # dear ones, and the customers moving to them outran their hiring
        productivity[1:] = rows[1:, COLUMN["productivity"]]
        wage[1:] = productivity[1:] * rows[1:, COLUMN["unit_cost"]]
    else:
        productivity[1:] = rng.lognormal(0, 0.05, f)
    productivity[0] = wage[0] = 0.0
    own_pay = efficiency(skill, health)
    staff = np.bincount(employer, weights=own_pay, minlength=f + 1).astype(np.float64)
    staff[0] = 0.0
    pay = float(own_pay[employed].mean()) if employed.any() else 1.0
    if rows is not None:
        deposits = household_deposits(rng, own_pay, cell)
        start = firm_start(rows, share, sector, wage, productivity, staff)
    else:
        deposits = 6.0 * skill * rng.lognormal(-0.5, 1.0, n)
        start = plain_firm_start(b, wage, productivity, staff)

    households = Households(
        age=age,
        health=health,
        skill=skill,
        employer=employer,
        deposits=deposits,
        aia=aia,
        gov=gov,
        flags=flags,
        suppliers=random_suppliers(rng, link_weight, sector, n),
    )
    firms = Firms(
        sector=sector,
        productivity=productivity,
        price=start.price,
        wage=wage,
        markup=start.markup,
        price_age=start.price_age,
        inventory=start.inventory,
        expected_sales=start.expected_sales,
        share=share,
        deposits=start.deposits,
        profit=np.zeros(f + 1),
        capital=start.capital,
        loans=start.loans,
    )
    household_money = float(deposits.sum())
    bank_equity = slow["bank_equity"] * household_money
    # what firms expect to sell: with staff for more (hours vary), GDP at what the staff
    # could make read as a 3 % output gap in the first month, and the rate was cut
    monthly_gdp = float((start.price * start.expected_sales).sum())
    macro = Macro(
        policy_rate=slow["policy_rate"],
        neutral_shift=slow["neutral_shift"],
        expected_inflation=slow["expected_inflation"],
        experienced_inflation=slow["experienced_inflation"],
        credibility=slow["credibility"],
        appetite=slow["appetite"],
        public_capital=slow["public_capital"],  # public_capital.py
        trend_output=float(np.log(max(monthly_gdp, 1e-300))),
        trend_growth=slow["trend_growth"],
        unemployment_trend=slow["unemployment_trend"],
        demand_shock=0.0,
        cpi=1.0,
        average_wage=pay,
        unit_wage=1.0,
        unemployment=slow["unemployment"],
        output_gap=0.0,
        nominal_gdp=monthly_gdp,
        trend_gdp=monthly_gdp,
        # every balance is someone's claim on the bank, which holds the public debt
        # as bonds against them: the accounts sum to bonds + loans - equity
        government=0.0,
        treasury_fiat=0.0,
        treasury_aia=0.03 * n,
        bank_equity=bank_equity,
        bank_profit=0.0,
        aia_price=1.0,
        aia_minted=float(aia.sum()) + 0.03 * n,
        aia_burned=0.0,
        gov_minted=float(gov.sum()),
        gov_burned=0.0,
        household_bonds=slow["household_bonds"] * household_money,
        bank_bonds=household_money
        + float(start.deposits.sum())
        + bank_equity
        - float(start.loans.sum()),
        bond_yield=slow["bond_yield"],
        debt_cost=slow["debt_cost"],
        tax_surcharge=slow["tax_surcharge"],
        brake_cut=0.0,
        public_revenue=0.0,
        public_outlays=0.0,
        public_entitlements=0.0,
        fiscal_crisis=0.0,
    )
    history = np.empty((2, MONTHS))
    history[0] = 1.0
    history[1] = monthly_gdp
    return State(tick=0, households=households, firms=firms, macro=macro, history=history)


def efficiency(skill: NDArray[Any], health: NDArray[Any]) -> NDArray[Any]:
    """What a worker makes (and is paid) an hour, in units of a healthy worker of skill 1:
    the month's `efficiency` (demography.py) for a start or a snapshot of the state, in
    the arrays' own precision."""
    return skill * ((1 - HEALTH_WEIGHT) + HEALTH_WEIGHT * health)


def plain_scalars(params: SimulationParams) -> dict[str, float]:
    """The plain start's scalars (scripts/settled_shape.py measures from it): a new
    central bank half believed, rates and expectations at the policy's neutral and
    target, the appetite the neutral rate calls for, public capital at what the default
    policy's purchases come to, no bonds with households; the bank's equity and
    households' bonds are shares of households' money."""
    monetary = params.policy.monetary
    neutral = monetary.neutral_real_rate + monetary.inflation_target
    return {
        "credibility": 0.5,
        "appetite": 1.0,
        "public_capital": PUBLIC_CAPITAL_START,
        "unemployment_trend": 0.06,
        "unemployment": 0.06,
        "policy_rate": neutral,
        "expected_inflation": monetary.inflation_target,
        "experienced_inflation": monetary.inflation_target,
        "neutral_shift": 0.0,
        "bond_yield": neutral,
        "debt_cost": neutral,
        "tax_surcharge": 0.0,
        "trend_growth": 0.0,
        "bank_equity": 0.08,
        "household_bonds": 0.0,
    }


def plain_firm_start(
    b: Behaviour,
    wage: NDArray[np.float64],
    productivity: NDArray[np.float64],
    staff: NDArray[np.float64],
) -> FirmStart:
    """The plain start's firms: the normal markup, prices at it, expected sales what the
    staff make, stocks at target, plants for that output at normal utilisation, two
    months of wages in cash and no debt."""
    output = productivity * staff
    markup = np.full(wage.size, b.markup)
    markup[0] = 0.0
    return FirmStart(
        expected_sales=output.copy(),
        inventory=output * b.inventory_target,
        capital=b.capital_output_ratio * output / b.normal_utilisation,
        loans=np.zeros(wage.size),
        deposits=2.0 * staff * wage,
        markup=markup,
        price=(1 + markup) * wage / np.maximum(productivity, 1e-300) * (productivity > 0),
        price_age=np.zeros(wage.size),
    )


def link_dtype(firm_slots: int) -> type[np.integer[Any]]:
    return np.uint16 if firm_slots <= 1 << 16 else np.int32


def random_suppliers(
    rng: np.random.Generator,
    share: NDArray[np.float64],
    sector: NDArray[np.uint8],
    households: int,
) -> NDArray[np.integer[Any]]:
    """Links drawn in proportion to market share, each row from its sector's firms (the
    starting prices are alike: the order within a sector is the draw's)."""
    links = np.empty((LINKS, households), dtype=link_dtype(share.size))
    for row, link_sector in enumerate(LINK_SECTORS):
        links[row] = draw_firms(rng, share, sector, int(link_sector), households)
    return links


_GUIDED_STEPS = 4  # steps past a cell's first firm before a draw falls back on bisection


def draw_firms(
    rng: np.random.Generator,
    share: NDArray[np.float64],
    sector: NDArray[np.uint8],
    wanted: int,
    count: int,
) -> NDArray[np.intp]:
    """`count` firms of sector `wanted`, each drawn with probability its share: the
    first firm whose cumulative share passes a uniform draw, the firm a binary search
    finds. It is found from a guide table (Chen & Asau 1974): the shares' total cut into
    as many cells as firms, each knowing the firms that end before it, so a draw steps
    over about one firm where a binary search over 50,000 firms misses the cache about
    16 times (30-40 ms of a 1M-household month's link revisions; ADR 0056)."""
    slots = np.flatnonzero(sector == wanted)
    slots = slots[slots > 0]
    cumulative = np.cumsum(share.take(slots))
    total = float(cumulative[-1])
    if not total > 0:  # no shares to go by: any firm of the sector
        return slots.take(rng.integers(0, slots.size, count))
    point = rng.random(count) * total
    cells = slots.size
    scale = cells / total
    # per cell, the firms whose cumulative share ends in an earlier cell: a draw in the
    # cell starts after them, one firm sooner so that rounding never starts it too late
    ends = np.minimum((cumulative * scale).astype(np.intp), cells)
    ended_before = np.concatenate(([0], np.cumsum(np.bincount(ends, minlength=cells))))
    cell = np.minimum((point * scale).astype(np.intp), cells - 1)
    at: NDArray[np.intp] = np.maximum(ended_before.take(cell) - 1, 0)
    cumulative[-1] = np.inf  # every draw ends at the last firm at the latest
    ahead = np.flatnonzero(cumulative.take(at) <= point)
    for _ in range(_GUIDED_STEPS):
        if not ahead.size:
            break
        at[ahead] += 1
        ahead = ahead.take(np.flatnonzero(cumulative.take(at.take(ahead)) <= point.take(ahead)))
    # the few in a cell crowded with small firms: a binary search (the same firm)
    at[ahead] = np.searchsorted(cumulative, point.take(ahead), side="right")
    return slots.take(at)


def normalise_shares(
    share: NDArray[np.float64], sector: NDArray[np.uint8] | NDArray[np.intp]
) -> NDArray[np.float64]:
    """Shares summing to 1 within each sector; slot 0 (no firm) holds none."""
    totals = np.bincount(sector[1:], weights=share[1:], minlength=2)
    out = share / np.maximum(totals[sector], 1e-300)
    out[0] = 0.0
    return out


def health_target(years: NDArray[np.float64]) -> NDArray[np.float64]:
    """The health a person's health drifts towards at an age (demography.update_health),
    before the income gradient and unemployment's stress."""
    return np.clip(0.95 - 0.007 * np.maximum(years - 35, 0), 0.2, 1)


def usual_health(years: NDArray[np.float64], b: Behaviour) -> NDArray[np.float64]:
    """Mean health at an age once shocks and recovery balance: the target less the
    shocks' monthly loss over the monthly recovery (0.07 below it by default)."""
    shortfall = b.health_shock_rate * b.health_shock_severity / max(b.health_recovery, 1e-3)
    return np.clip(health_target(years) - shortfall, 0.05, 1)


def _stationary_ages(
    params: SimulationParams, rng: np.random.Generator, n: int
) -> NDArray[np.float64]:
    """Adult ages drawn from the survival curve of the mortality people of usual health
    meet (demography: the schedule scaled by exp(mortality_health (0.8 - health))), so
    the population starts near its stationary age structure. With the schedule alone
    (mortality at health 0.8, above what the old have) 27 % started retired against a
    later 20 %, and their deaths echoed as waves of entrants for a century (ADR 0049)."""
    b = params.behaviour
    years = np.arange(20, 110, 1 / MONTHS)
    annual = b.mortality_at_20 * np.exp(b.mortality_growth * (years - 20))
    monthly = -np.expm1(-annual / MONTHS)
    monthly *= np.exp(b.mortality_health * (HEALTH_REFERENCE - usual_health(years, b)))
    survival = np.cumprod(1 - np.minimum(monthly, 1.0))
    cdf = np.cumsum(survival)
    picks = np.searchsorted(cdf, rng.random(n) * cdf[-1])
    return np.asarray(years[np.minimum(picks, years.size - 1)], dtype=np.float64)
