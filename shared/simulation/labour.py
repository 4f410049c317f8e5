"""Firms plan production from expected sales and their inventory, hire and fire
towards the labour that plan needs, and vary hours (within a band) to meet it.

Separations are drawn per worker with a probability set by the firm (quits plus
layoffs of a share of any excess staff); matching is a Cobb-Douglas function of job
seekers and vacancies, and a new hire picks a firm in proportion to its vacancies by
binary search on their cumulative sum. Everything is O(households) apart from the
seekers' and movers' subsets: no sort.
"""

from __future__ import annotations

import numpy as np

from shared.simulation.month import F32, Month
from shared.simulation.stock_flow import FIRMS, HOUSEHOLDS


def labour_market(mo: Month) -> None:
    b, firms = mo.b, mo.state.firms
    f = mo.f
    target = firms.expected_sales * (1 + b.inventory_target)
    planned = firms.expected_sales + b.inventory_adjustment * (
        target - firms.expected_sales - firms.inventory
    )
    np.maximum(planned, 0.0, out=planned)
    productivity = np.maximum(firms.productivity, 1e-12)
    needed = planned / productivity
    needed[0] = 0.0
    # employers as intp once: bincount and gathers convert an int32 index on every call,
    # which costs more than the work itself
    employer = mo.employer.astype(np.intp)
    labour = np.bincount(employer, weights=mo.efficiency, minlength=f).astype(np.float64)
    labour[0] = 0.0

    # separations: quits, plus a share of any staff beyond what the plan needs
    excess = (labour - needed) / np.maximum(labour, 1e-12)
    leave = (b.firing_speed * np.clip(excess, 0.0, 1.0) + b.separation_rate).astype(F32)
    leave[0] = 0
    leaving = np.flatnonzero(mo.separation_draw < leave.take(employer))
    leaving = leaving[mo.employer[leaving] > 0]
    if leaving.size:
        movers = mo.employer[leaving]
        labour -= np.bincount(movers, weights=mo.efficiency[leaving], minlength=f)
        mo.employer[leaving] = 0

    # matching
    vacancies = b.hiring_speed * np.maximum(needed - labour, 0.0)
    vacancies[0] = 0.0
    # each firm's own hiring difficulty, for its wage (goods.update_firms)
    mo.firm_vacancy_rate = vacancies / np.maximum(vacancies + labour, 1e-12)
    looking = mo.employer == 0
    looking &= mo.in_labour_force
    seekers = np.flatnonzero(looking)
    mo.labour_force = int(np.count_nonzero(mo.in_labour_force))
    mean_seeker = float(mo.efficiency[seekers].mean()) if seekers.size else 1.0
    openings = float(vacancies.sum()) / max(mean_seeker, 1e-9)  # headcount
    matches = min(b.matching_efficiency * np.sqrt(seekers.size * openings), seekers.size, openings)
    hired = seekers[mo.rng.random(seekers.size) < matches / max(seekers.size, 1)]
    if hired.size and openings > 0:
        cdf = np.cumsum(vacancies)
        firm = np.searchsorted(cdf, mo.rng.random(hired.size) * cdf[-1], side="right")
        firm = np.clip(firm, 1, f - 1).astype(np.int32)
        mo.employer[hired] = firm
        labour += np.bincount(firm, weights=mo.efficiency[hired], minlength=f)
    unemployed = seekers.size - hired.size
    mo.employed = mo.labour_force - unemployed
    mo.unemployment = unemployed / max(mo.labour_force, 1)
    mo.vacancy_rate = openings / max(openings + mo.employed, 1.0)

    # production: hours close what staffing cannot, within the band
    capacity = productivity * labour
    capacity[0] = 0.0
    hours = planned / np.maximum(capacity, 1e-12)
    np.clip(hours, 1 - b.hours_range, 1 + b.hours_range, out=hours)
    mo.labour, mo.planned, mo.hours = labour, planned, hours
    mo.output = capacity * hours


def pay_wages(mo: Month) -> np.ndarray:
    """Pay per efficiency unit-hour times hours times the worker's efficiency."""
    pay_rate = mo.state.firms.wage * mo.hours
    pay_rate[0] = 0.0
    wages = pay_rate.take(mo.employer.astype(np.intp))
    wages *= mo.efficiency
    mo.wage_bill = pay_rate * mo.labour
    bill = float(mo.wage_bill.sum())
    mo.ledger.transfer("wages", FIRMS, bill, HOUSEHOLDS, float(wages.sum()))
    worked = float((mo.hours * mo.labour).sum())
    mo.unit_wage = bill / worked if worked > 0 else mo.state.macro.unit_wage
    mo.average_wage = bill / max(mo.employed, 1)
    return wages
