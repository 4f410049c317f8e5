"""The labour market (after Lengnick 2013, section 2.2): firms plan production from
expected sales and their inventory, post what that plan lacks as vacancies, and vary
hours (within a band) to meet it; the unemployed apply to posted vacancies. Each firm
sets its wage from its own hiring difficulty (goods.update_firms, ADR 0049).

Separations are drawn per worker with a probability set by the firm (quits plus
layoffs of a share of any excess staff). A firm posts its missing labour as whole posts
(in typical seekers, rounded at random so none is lost on average). Each job seeker
applies, with probability `search_intensity`, to one firm drawn in proportion to its
open posts times (its wage / the mean wage)^`wage_appeal` (binary search on their
cumulative sum); a firm takes applicants up to its open posts, in random order; those
rejected or not applying try once more. There is no matching function: unemployment,
vacancies and the job-finding rate come out of the applications. Everything is
O(households) apart from the seekers' and applicants' subsets.
"""

from __future__ import annotations

import numpy as np

from shared.simulation.month import F32, Month
from shared.simulation.stock_flow import FIRMS, HOUSEHOLDS

SEARCH_ROUNDS = 2  # applications a month: the rejected and the idle try once more


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

    # vacancies: the missing labour as whole posts of a typical seeker
    looking = mo.employer == 0
    looking &= mo.in_labour_force
    seekers = np.flatnonzero(looking)
    mo.labour_force = int(np.count_nonzero(mo.in_labour_force))
    mean_seeker = float(mo.efficiency[seekers].mean()) if seekers.size else 1.0
    missing = b.hiring_speed * np.maximum(needed - labour, 0.0) / max(mean_seeker, 1e-9)
    posts = np.floor(missing + mo.rng.random(f)).astype(np.int64)
    posts[0] = 0
    openings = int(posts.sum())
    staff = labour / max(mean_seeker, 1e-9)
    _, remaining = apply_for_jobs(mo, posts, seekers, labour)
    # each firm's own hiring difficulty, for its wage (goods.update_firms): the posts it
    # had to open over its staff and posts
    mo.firm_vacancy_rate = posts / np.maximum(posts + staff, 1e-12)
    mo.employed = mo.labour_force - remaining
    mo.unemployment = remaining / max(mo.labour_force, 1)
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


def apply_for_jobs(
    mo: Month, posts: np.ndarray, seekers: np.ndarray, labour: np.ndarray
) -> tuple[np.ndarray, int]:
    """Seekers apply to posts; each firm takes applicants up to its open posts, in random
    order. Hires update `mo.employer` and `labour` in place. Returns the posts left open
    and the number of seekers left without a job."""
    b, firms, rng = mo.b, mo.state.firms, mo.rng
    wage = firms.wage
    mean_wage = float(wage[1:].mean()) if mo.f > 1 else 1.0  # slot 0 is no firm
    appeal = (np.maximum(wage, 0.0) / max(mean_wage, 1e-300)) ** b.wage_appeal
    appeal[0] = 0.0
    open_posts = posts.copy()
    remaining = seekers
    for _ in range(SEARCH_ROUNDS):
        weight = open_posts * appeal
        cdf = np.cumsum(weight)
        if remaining.size == 0 or cdf[-1] <= 0:
            break
        applying = remaining[rng.random(remaining.size) < b.search_intensity]
        firm = np.searchsorted(cdf, rng.random(applying.size) * cdf[-1], side="right")
        np.clip(firm, 1, mo.f - 1, out=firm)
        # applicants grouped by firm, in random order within it; the first open_posts of
        # each group are taken, so no firm hires beyond its posts
        order = np.argsort(firm + rng.random(applying.size), kind="stable")
        chosen = firm[order]
        rank = np.arange(chosen.size) - np.searchsorted(chosen, chosen, side="left")
        taken = rank < open_posts[chosen]
        hired, hired_firm = applying[order[taken]], chosen[taken]
        mo.employer[hired] = hired_firm.astype(np.int32)
        open_posts -= np.bincount(hired_firm, minlength=mo.f)
        labour += np.bincount(hired_firm, weights=mo.efficiency[hired], minlength=mo.f)
        remaining = remaining[mo.employer[remaining] == 0]
    return open_posts, int(remaining.size)
