"""A new economy drawn from where the default economy settles (ADR 0055).

settled_shape.py (its data written by scripts/settled_shape.py from long runs of the
default economy) holds its shape as ratios: households' deposits over their own pay by skill,
age and work, as quantiles; firms as whole rows of FIRM_COLUMNS (drawn together, so a
firm short of plant is not also short of staff and stock by chance); and the sums the
draws are scaled to. `initial_state` draws from it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from shared.simulation import settled_shape as settled
from shared.simulation.params import Behaviour

AGE_BANDS = np.array([20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0])  # years: the bands' starts
# skill bins by rank: fifths, the top fifth split finer, since wealth concentrates there
# and what a household spends out of it falls with its skill (finance.spend)
SKILL_BINS = np.array([0.2, 0.4, 0.6, 0.8, 0.9, 0.95, 0.99])  # the bins' upper rank bounds
OUT, SEEKING, EMPLOYED = 0, 1, 2  # out of the labour force (retired or too ill), looking, in work
STATUSES = 3
CELLS = (SKILL_BINS.size + 1) * AGE_BANDS.size * STATUSES
# the quantiles kept per cell: the extremes, every 5 %, and the top tail finer, since the
# top 1 % hold much of households' wealth
SHAPE_PROBABILITIES = np.array(
    [0.0, 0.01, *np.arange(0.05, 0.951, 0.05), 0.98, 0.99, 0.995, 0.998, 0.999, 1.0]
)
FIRM_COLUMNS = (
    "share",  # over the sector's mean share
    "links",  # households' supplier links to it, over the sector's mean
    "expected",  # expected sales over what the staff make at normal hours
    "productivity",  # over the sector's mean
    "unit_cost",  # wage over productivity, over the sector's mean
    "stock",  # over expected sales
    "capital",  # over expected sales
    "loans",  # over the wage bill
    "deposits",  # over the wage bill
    "markup",
    "price_gap",  # posted price over the price the markup calls for
    "price_age",  # months since the price changed
)
COLUMN = {name: i for i, name in enumerate(FIRM_COLUMNS)}


def skill_bin(skill: NDArray[np.floating]) -> NDArray[np.intp]:
    """0 to SKILL_BINS.size: the bin of each household's skill rank in the population."""
    order = np.argsort(skill, kind="stable")
    rank = np.empty(skill.size, dtype=np.float64)
    rank[order] = (np.arange(skill.size) + 0.5) / max(skill.size, 1)
    return np.asarray(np.searchsorted(SKILL_BINS, rank), dtype=np.intp)


def household_band(skill: NDArray[np.floating], years: NDArray[np.floating]) -> NDArray[np.intp]:
    """Skill bin, then age band: a cell before its status (one sort of the skills)."""
    band = np.clip(np.searchsorted(AGE_BANDS, years, side="right") - 1, 0, AGE_BANDS.size - 1)
    return np.asarray(skill_bin(skill) * AGE_BANDS.size + band, dtype=np.intp)


def household_cell(
    skill: NDArray[np.floating], years: NDArray[np.floating], status: NDArray[np.integer]
) -> NDArray[np.intp]:
    """0 to CELLS - 1: skill bin, then age band, then OUT, SEEKING or EMPLOYED."""
    return np.asarray(household_band(skill, years) * STATUSES + status, dtype=np.intp)


def household_status(
    employed: NDArray[np.bool_], in_labour_force: NDArray[np.bool_]
) -> NDArray[np.intp]:
    """EMPLOYED, SEEKING (in the labour force without a job) or OUT of it."""
    return np.where(employed, EMPLOYED, np.where(in_labour_force, SEEKING, OUT))


def draw(
    rng: np.random.Generator, table: NDArray[np.float64], cell: NDArray[np.intp]
) -> NDArray[np.float64]:
    """One value per cell entry from that cell's row of quantiles (at
    SHAPE_PROBABILITIES), linear between them."""
    position = np.interp(rng.random(cell.size), SHAPE_PROBABILITIES, np.arange(table.shape[1]))
    low = np.minimum(position.astype(np.intp), table.shape[1] - 2)
    frac = position - low
    return np.asarray(
        table[cell, low] + frac * (table[cell, low + 1] - table[cell, low]), dtype=np.float64
    )


def household_deposits(
    rng: np.random.Generator, own_pay: NDArray[np.floating], cell: NDArray[np.intp]
) -> NDArray[np.float64]:
    """Deposits over each household's own pay at work (at a unit wage of 1), drawn by its
    cell; savings then scaled so the sum is the settled one (debts kept as drawn): the
    draw loses how wealth rises with pay within a cell, and with it a tenth of the sum."""
    pay = own_pay.astype(np.float64)
    deposits = pay * draw(rng, settled.DEPOSITS, cell)
    saving = deposits > 0
    savings = float(deposits[saving].sum())
    if savings > 0:
        want = settled.SETTLED["household_deposits"] * float(pay.sum())
        deposits[saving] *= (want - float(deposits[~saving].sum())) / savings
    return deposits


def household_health(
    rng: np.random.Generator,
    years: NDArray[np.float64],
    cell: NDArray[np.intp],
    status: NDArray[np.intp],
    b: Behaviour,
) -> NDArray[np.float32]:
    """Health as settled for a household's skill, age band and status, within the bounds
    its status implies (in the labour force at or above `participation_health`, below it
    if out of it before retirement age)."""
    health = draw(rng, settled.HEALTH, cell)
    threshold = b.participation_health
    in_force = status != OUT
    health = np.where(in_force, np.maximum(health, threshold), health)
    too_ill = (status == OUT) & (years < b.retirement_age)
    health = np.where(too_ill, np.minimum(health, threshold - 1e-3), health)
    return np.clip(health, 0.05, 1).astype(np.float32)


def firm_rows(rng: np.random.Generator, sector: NDArray[np.uint8]) -> NDArray[np.float64]:
    """A settled firm's row of FIRM_COLUMNS for each firm slot, from its own sector's
    rows (slot 0, no firm, gets zeros)."""
    out = np.zeros((sector.size, len(FIRM_COLUMNS)))
    for code, table in ((0, settled.FIRMS_GOODS), (1, settled.FIRMS_HEALTH)):
        slots = np.flatnonzero(sector == code)
        slots = slots[slots > 0]
        out[slots] = table[rng.integers(0, len(table), slots.size)]
    return out


@dataclass(frozen=True)
class FirmStart:
    expected_sales: NDArray[np.float64]
    inventory: NDArray[np.float64]
    capital: NDArray[np.float64]
    loans: NDArray[np.float64]
    deposits: NDArray[np.float64]
    markup: NDArray[np.float64]
    price: NDArray[np.float64]
    price_age: NDArray[np.float64]


def firm_start(
    rows: NDArray[np.float64],
    share: NDArray[np.float64],
    sector: NDArray[np.uint8],
    wage: NDArray[np.float64],
    productivity: NDArray[np.float64],
    staff: NDArray[np.float64],
) -> FirmStart:
    """Firms' stocks from their rows, given their share, wage, productivity and staff (in
    efficiency units); each sum scaled to the settled ratio of sums (the mean of firms'
    ratios is not the ratio of their sums). Expected sales are what the staff make times
    the firm's ratio, or, for a firm without staff, its share of what its sector's staff
    make (sales, plant and stock sized on nothing stayed nothing: no plant, no loan)."""
    column = {name: rows[:, i] for name, i in COLUMN.items()}
    made = productivity * staff
    bill = wage * staff
    by_share = share * np.bincount(sector, weights=made, minlength=2)[sector]
    expected = np.where(made > 0, made * column["expected"], by_share)
    expected = _scaled(expected, "firm_expected", made)
    markup = column["markup"].copy()
    return FirmStart(
        expected_sales=expected,
        inventory=_scaled(expected * column["stock"], "firm_stock", expected),
        capital=_scaled(expected * column["capital"], "firm_capital", expected),
        loans=_scaled(bill * column["loans"], "firm_loans", bill),
        deposits=_scaled(bill * column["deposits"], "firm_deposits", bill),
        markup=markup,
        price=(1 + markup) * wage / np.maximum(productivity, 1e-300) * column["price_gap"],
        price_age=column["price_age"].copy(),
    )


def _scaled(
    values: NDArray[np.float64], ratio: str, base: NDArray[np.float64]
) -> NDArray[np.float64]:
    """`values` (slot 0 cleared) times what makes their sum the settled `ratio` of base's."""
    values[0] = 0.0
    total = float(values.sum())
    want = settled.SETTLED[ratio] * float(base[1:].sum())
    return values * (want / total) if total > 0 else values
