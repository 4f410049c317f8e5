"""The working set of one month: copies of the state's arrays that the steps of
`advance` update in place, plus what one step hands to the next. Private to a tick;
the input `State` is never modified unless the caller gives it up (`in_place`)."""

from __future__ import annotations

from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray

from shared.simulation.params import Behaviour, SimulationParams
from shared.simulation.state import HEALTH_REFERENCE, MONTHS, State, health_target
from shared.simulation.stock_flow import Ledger

F32 = np.float32
F64Array = NDArray[np.float64]
F32Array = NDArray[np.float32]
BoolArray = NDArray[np.bool_]
IntArray = NDArray[np.intp]
AGE_SLOTS = 1 << 16
_A = TypeVar("_A", bound=NDArray[Any])


class Tables:
    """Per-age schedules, looked up by age in months (slot 0, a vacant slot, is zero)."""

    def __init__(self, b: Behaviour) -> None:
        months = np.arange(AGE_SLOTS)  # every uint16 age, so lookups need no clamp
        years = months / MONTHS
        annual = b.mortality_at_20 * np.exp(b.mortality_growth * np.maximum(years - 20, 0))
        hazard = (1 - np.exp(-annual / MONTHS)) * np.exp(b.mortality_health * HEALTH_REFERENCE)
        hazard[0] = 0.0
        self.mortality = hazard.astype(F32)
        self.health = health_target(years).astype(F32)


_TABLES: dict[Behaviour, Tables] = {}


def tables_for(b: Behaviour) -> Tables:
    tables = _TABLES.get(b)
    if tables is None:
        if len(_TABLES) > 64:
            _TABLES.clear()
        tables = _TABLES[b] = Tables(b)
    return tables


class Month:
    # set by the constructor
    params: SimulationParams
    b: Behaviour
    rng: np.random.Generator
    state: State
    ledger: Ledger
    tables: Tables
    n: int
    f: int  # firm slots, including slot 0
    age: NDArray[np.uint16]
    health: F32Array
    skill: F32Array
    employer: NDArray[np.int32]
    deposits: F64Array
    aia: F64Array
    gov: F64Array
    flags: NDArray[np.uint8]
    suppliers: NDArray[np.integer[Any]]
    # central bank
    inflation: float
    rate: float
    neutral_shift: float
    expected_inflation: float
    experienced_inflation: float
    credibility: float
    real_rate_gap: float
    appetite: float
    demand_shock: float
    public_capital: float
    # demography
    alive: BoolArray
    retired: BoolArray
    in_labour_force: BoolArray
    efficiency: F32Array
    separation_draw: F32Array
    population: int
    estate_tax: float
    # the budget (fiscal.py)
    tax_surcharge: float
    brake_cut: float
    fiscal_cut: float  # share of transfers and purchases cut this month
    entitlement_cut: float  # share of benefits, pensions and minimum income cut
    discretionary_cut: float  # share of basic income and purchases cut
    entitlements_planned: float
    coupons_due: float
    coupon_share: float  # share of coupons paid (below 1: a default)
    coupons_paid: float
    transfers_planned: float
    purchases_planned: float
    # money at the start of the month
    interest: F64Array
    dividends: F64Array
    firm_cash: F64Array
    firm_interest: F64Array
    government_interest: float
    treasury_interest: float
    bank_income: float
    bank_dividend: float
    treasury_payout: float
    owners: F64Array
    owners_total: float
    holders: IntArray
    staked_gov: F64Array  # over `holders`
    # tokens
    aia_minted: float
    aia_rewards: float
    treasury_aia: float
    # labour and production
    labour: F64Array
    planned: F64Array
    hours: F64Array
    output: F64Array
    wage_bill: F64Array
    labour_force: int
    employed: int
    unemployment: float
    vacancy_rate: float
    firm_vacancy_rate: F64Array  # a firm's posts over its staff plus posts
    unit_wage: float
    average_wage: float
    # incomes
    disposable: F64Array
    jobless: BoolArray  # in the labour force (not retired) and without a job
    transfers_total: float
    tax_total: float
    spending: F64Array
    spending_total: float
    # markets
    revenue: F64Array
    demand: F64Array
    stocked_out: BoolArray  # firms that rationed a buyer this month
    invested: F64Array
    public_paid: float
    household_paid: float
    platform_value: float
    platform_money: float
    aia_paid: float
    aia_burned: float
    aia_price: float
    exits: int
    bankruptcies: int  # exits of firms whose debt passed the limit (the rest: too small)
    written_off: float
    # capital and credit (capital.py, firm_credit.py, bank.py)
    capacity: F64Array
    capital_price: float
    loans: F64Array
    new_loans: float
    loan_losses: float
    bank_lending: float
    bank_capital_ratio: float
    credit_room: float
    credit_supply: float  # share of new credit asked for that the bank grants
    credit_rationed: float
    recapitalisation: float
    # credit (credit.py)
    household_written_off: float
    household_defaults: int

    def __init__(
        self,
        state: State,
        params: SimulationParams,
        rng: np.random.Generator,
        *,
        in_place: bool = False,
    ) -> None:
        """The month's household arrays are copies of the state's, or, `in_place`, the
        state's own where they are writeable (model.advance)."""
        self.params, self.b, self.rng, self.state = params, params.behaviour, rng, state
        self.tables = tables_for(params.behaviour)
        hh = state.households
        self.n, self.f = state.size, int(state.firms.price.size)

        def own(array: _A) -> _A:
            return array if in_place and array.flags.writeable else array.copy()

        self.age = own(hh.age)
        self.health = own(hh.health)
        self.skill = own(hh.skill)
        self.employer = own(hh.employer)
        self.deposits = own(hh.deposits)
        self.aia = own(hh.aia)
        self.gov = own(hh.gov)
        self.flags = own(hh.flags)
        self.suppliers = own(hh.suppliers)
        self.ledger = Ledger(opening=sector_money(self.deposits, state.firms.deposits, state))


# households per block of an element-wise pass: a block's temporaries (a few arrays of
# 16,384 values) stay in the core's cache, where over all households each temporary
# goes to memory and back (ADR 0057: the blocked steps 8-23 % faster at 1M households);
# one block at 10,000
BLOCK = 16_384


def blocks(n: int) -> list[slice]:
    """`n` households as consecutive slices of at most BLOCK. Only element-wise work goes
    block by block: sums stay over whole arrays, so results are the same to the bit."""
    return [slice(start, min(start + BLOCK, n)) for start in range(0, n, BLOCK)]


def sector_money(deposits: F64Array, firm_deposits: F64Array, state: State) -> list[float]:
    m = state.macro
    return [
        float(deposits.sum()),
        float(firm_deposits[1:].sum()),
        m.government,
        # the bank's net claim on money: equity less bonds and loans
        m.bank_equity - m.bank_bonds - float(state.firms.loans[1:].sum()),
        m.treasury_fiat,
    ]


def distribute(total: float, weights: F64Array, weight_total: float, alive: BoolArray) -> F64Array:
    """`total` shared in proportion to `weights` (equally among the living if none)."""
    if weight_total > 0:
        return weights * (total / weight_total)
    return np.multiply(alive, total / max(int(np.count_nonzero(alive)), 1), dtype=np.float64)
