"""Households are born, age, fall ill, recover and die.

Mortality follows Gompertz (rising ~8.5 % a year of age) scaled by health; an estate
goes to a random living household after the estate tax. A vacant slot is taken by a
new household (a young adult) with a fixed monthly chance, so the population hovers
just below the slot count and dips when mortality rises. Health drifts towards a
target that falls with age and rises with health spending (the income-health
gradient, Grossman 1972), and seeded shocks knock it down; poor health lowers
productivity and, below a threshold, takes a person out of the labour force.
"""

from __future__ import annotations

import numpy as np

from shared.simulation.month import F32, Month, blocks
from shared.simulation.state import ALIVE, HEALTH_WEIGHT, MONTHS
from shared.simulation.stock_flow import GOVERNMENT, HOUSEHOLDS

ENTRY_AGE = 20 * MONTHS
UNEMPLOYMENT_STRESS = 0.03  # lower health target while looking for work


def demography(mo: Month) -> None:
    b = mo.b
    draw = mo.rng.random(mo.n, dtype=F32)
    dies = np.empty(mo.n, dtype=np.bool_)
    # uniform on [0, 1 - hazard) for survivors
    mo.separation_draw = np.empty(mo.n, dtype=F32)
    for block in blocks(mo.n):
        hazard = mo.tables.mortality.take(mo.age[block].astype(np.intp))  # intp: take's fast path
        hazard *= np.exp(mo.health[block] * F32(-b.mortality_health))
        np.less(draw[block], hazard, out=dies[block])
        np.subtract(draw[block], hazard, out=mo.separation_draw[block])
    dead = np.flatnonzero(dies)
    mo.estate_tax = 0.0
    if dead.size:
        _settle_estates(mo, dead, dies)
    vacant = np.flatnonzero(mo.flags == 0)
    formed = vacant[mo.rng.random(vacant.size) < b.household_formation]
    if formed.size:
        mo.age[formed] = ENTRY_AGE
        mo.health[formed] = np.clip(mo.rng.normal(0.93, 0.04, formed.size), 0.5, 1)
        sigma = b.skill_dispersion
        mo.skill[formed] = mo.rng.lognormal(-sigma * sigma / 2, sigma, formed.size)
        mo.flags[formed] = ALIVE
    mo.alive = (mo.flags & ALIVE).view(np.bool_)
    mo.retired = np.empty(mo.n, dtype=np.bool_)
    mo.in_labour_force = np.empty(mo.n, dtype=np.bool_)
    mo.efficiency = np.empty(mo.n, dtype=F32)
    for block in blocks(mo.n):
        age = mo.age[block]
        age += mo.alive[block]
        np.greater_equal(age, b.retirement_age * MONTHS, out=mo.retired[block])
        in_labour_force = np.greater_equal(
            mo.health[block], F32(b.participation_health), out=mo.in_labour_force[block]
        )
        in_labour_force &= age < b.retirement_age * MONTHS
        mo.employer[block] *= in_labour_force
        # state.efficiency, in place in float32
        efficiency = np.multiply(mo.health[block], F32(HEALTH_WEIGHT), out=mo.efficiency[block])
        efficiency += F32(1 - HEALTH_WEIGHT)
        efficiency *= mo.skill[block]
    mo.population = int(np.count_nonzero(mo.alive))


def _settle_estates(mo: Month, dead: np.ndarray, dies: np.ndarray) -> None:
    """Each estate goes to a random living household (drawn by rejection: O(deaths))."""
    heirs = np.empty(0, dtype=np.int64)
    while heirs.size < dead.size:
        candidates = mo.rng.integers(0, mo.n, 2 * dead.size + 8)
        heir = ((mo.flags[candidates] & ALIVE) > 0) & ~dies[candidates]
        heirs = np.concatenate([heirs, candidates[heir]])
    heirs = heirs[: dead.size]
    estate = mo.deposits[dead]
    taxed = mo.params.policy.fiscal.estate_tax * np.maximum(estate, 0.0)
    mo.estate_tax = float(taxed.sum())
    np.add.at(mo.deposits, heirs, estate - taxed)
    np.add.at(mo.aia, heirs, mo.aia[dead])
    np.add.at(mo.gov, heirs, mo.gov[dead])
    mo.ledger.transfer("estates", HOUSEHOLDS, float(taxed.sum()), GOVERNMENT, mo.estate_tax)
    for array in (mo.deposits, mo.aia, mo.gov):
        array[dead] = 0.0
    for small in (mo.age, mo.health, mo.skill, mo.employer, mo.flags):
        small[dead] = 0


def update_health(mo: Month) -> None:
    """End of month: drift towards the target, then this month's shocks."""
    b = mo.b
    # health spending is a fixed share of spending: relative care = relative spending
    mean_spending = mo.spending_total / max(mo.population, 1)
    health = np.empty(mo.n, dtype=F32)
    for block in blocks(mo.n):
        relative = mo.spending[block].astype(F32)
        relative *= F32(1 / max(mean_spending, 1e-30))
        np.maximum(relative, F32(0.1), out=relative)
        np.minimum(relative, F32(5.0), out=relative)
        gradient = np.log(relative)
        gradient *= F32(b.health_income_gradient)
        target = mo.tables.health.take(mo.age[block].astype(np.intp))
        target += gradient
        looking = mo.in_labour_force[block] & (mo.employer[block] == 0)
        target -= looking * F32(UNEMPLOYMENT_STRESS)
        target -= mo.health[block]
        target *= F32(b.health_recovery)
        np.add(mo.health[block], target, out=health[block])
    draw = mo.rng.random(mo.n, dtype=F32)
    rate = F32(b.health_shock_rate)
    shocked = np.flatnonzero(draw < rate)
    if shocked.size:
        severity = F32(b.health_shock_severity) * (F32(0.5) + draw[shocked] / max(rate, F32(1e-12)))
        health[shocked] -= severity
    np.maximum(health, F32(0.01), out=health)
    np.minimum(health, F32(1.0), out=health)
    health *= mo.alive
    mo.health = health
