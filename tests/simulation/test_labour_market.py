"""The labour market without a matching function (ADR 0049, after Lengnick 2013): job
seekers apply to posted vacancies, and each firm hires applicants up to its posts."""

from __future__ import annotations

import dataclasses

import numpy as np

from shared.simulation.labour import apply_for_jobs
from shared.simulation.model import month_until_spending, rng_for
from shared.simulation.params import RETIRED_BEHAVIOUR, Behaviour, SimulationParams
from shared.simulation.state import State
from tests.simulation.stylised import simulate


def _settled() -> tuple[SimulationParams, State]:
    run = simulate(2000, 36, 3, 0)
    return run.params, run.state


def test_nobody_is_hired_beyond_a_firms_posts_and_only_seekers_are_hired() -> None:
    params, state = _settled()
    mo = month_until_spending(state, params, rng_for(params.seed, state.tick))
    seekers = np.flatnonzero((mo.employer == 0) & mo.in_labour_force)
    assert seekers.size > 20
    posts = np.zeros(mo.f, dtype=np.int64)
    posts[1:4] = (2, 1, 3)  # six posts for many seekers: most are rejected
    before = mo.employer.copy()
    labour = np.zeros(mo.f)
    open_posts, left = apply_for_jobs(mo, posts, seekers, labour)
    hired = np.flatnonzero(mo.employer != before)
    assert np.isin(hired, seekers).all()
    per_firm = np.bincount(mo.employer[hired], minlength=mo.f)
    assert (per_firm <= posts).all() and (open_posts == posts - per_firm).all()
    assert left == seekers.size - hired.size > 0
    assert np.allclose(labour, np.bincount(mo.employer[hired], mo.efficiency[hired], mo.f))


def test_with_few_seekers_posts_stay_open_and_the_better_paying_firm_fills_first() -> None:
    """Two firms with the same posts, one paying twice the other: applications go by
    posts x (wage / mean wage)^2, so over many months the better-paying one fills more."""
    params, state = _settled()
    filled = np.zeros(2)
    for month in range(40):
        mo = month_until_spending(state, params, rng_for(params.seed, 1000 + month))
        seekers = np.flatnonzero((mo.employer == 0) & mo.in_labour_force)[:6]
        wage = state.firms.wage.copy()
        wage[1] = 2.0 * wage[2]
        mo.state = dataclasses.replace(state, firms=dataclasses.replace(state.firms, wage=wage))
        posts = np.zeros(mo.f, dtype=np.int64)
        posts[1:3] = 20  # far more posts than seekers: some stay open
        open_posts, _ = apply_for_jobs(mo, posts, seekers, np.zeros(mo.f))
        assert (open_posts[1:3] > 0).all()
        filled += 20 - open_posts[1:3]
    assert filled[0] > 2 * filled[1]


def test_the_matching_function_is_gone() -> None:
    assert "matching_efficiency" in RETIRED_BEHAVIOUR
    assert "matching_efficiency" not in Behaviour.model_fields
