"""Guards over the whole policy space: 50 random valid policies (drawn within the
bounds the API and the web form validate, ADR 0036), each 2,000 households for 600
months. Every month the state is finite (the model's own guard raises otherwise, and
the final state is checked here again), the books balance to 1e-9, tokens are
conserved, and unemployment and inflation stay in sane ranges:

- unemployment in [0, 0.70] every month;
- inflation (year on year) in [-0.40, +0.40] every month after the first year.

The ranges are wide on purpose: they hold the model to "no explosion, no collapse to
nonsense" for any lever setting, not to realism (the fidelity tests do that for the
calibrated economy). One case per draw, so `make test`'s two workers share them; each
draw is replayable by its index (numpy generator seeded [POLICY_SEED, index])."""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import ValidationError

from shared.simulation.model import advance, rng_for
from shared.simulation.params import Behaviour, SimulationParams
from shared.simulation.state import MONTHS, initial_state
from tests.simulation.random_policies import field_range, random_policy

POLICY_SEED = 2
POLICIES = 50
HOUSEHOLDS = 2000
MONTHS_RUN = 600
UNEMPLOYMENT = (0.0, 0.70)
INFLATION = (-0.40, 0.40)
BOOKS = 1e-9


def drawn(index: int) -> SimulationParams:
    policy = random_policy(np.random.default_rng([POLICY_SEED, index]))
    return SimulationParams(households=HOUSEHOLDS, seed=index, policy=policy)


def run_and_check(params: SimulationParams) -> tuple[float, float, float, float]:
    """(lowest, highest unemployment; lowest, highest inflation after the first year)."""
    state = initial_state(params)
    u_low = u_high = pi_low = pi_high = float("nan")
    for _ in range(MONTHS_RUN):
        state, m = advance(state, params, rng_for(params.seed, state.tick))
        assert m.sfc_error < BOOKS and m.token_error < BOOKS, m.tick
        u_low, u_high = (
            np.nanmin([u_low, m.unemployment_rate]),
            np.nanmax([u_high, m.unemployment_rate]),
        )
        if m.tick > MONTHS:
            pi_low, pi_high = np.nanmin([pi_low, m.inflation]), np.nanmax([pi_high, m.inflation])
    hh, firms = state.households, state.firms
    for array in (
        hh.health,
        hh.skill,
        hh.deposits,
        hh.aia,
        hh.gov,
        firms.price,
        firms.wage,
        firms.productivity,
        firms.deposits,
        firms.inventory,
        firms.markup,
    ):
        assert np.isfinite(array).all()
    return float(u_low), float(u_high), float(pi_low), float(pi_high)


# Draws the model fails today, each kept visible (strict: it must start passing once
# the model is fixed, and then leave this list). See ADR 0036. Draw 16 (a persistent
# primary deficit whose interest fed demand: inflation 69 %) left it with ADR 0040: its
# bonds now find no buyer, and austerity and the debt brake bound its debt.
# draws expected to leave the ranges, with why (a strict xfail: one that passes fails)
# none since the bank recovers part of a failed firm's loan from its plant (ADR 0044):
# draw 11 (a flat 66 % tax) peaked at 71.8 % unemployment before, 69.4 % before capital
KNOWN_UNSTABLE: dict[int, str] = {}


def _cases() -> list[object]:
    return [
        pytest.param(i, marks=pytest.mark.xfail(strict=True, reason=KNOWN_UNSTABLE[i]))
        if i in KNOWN_UNSTABLE
        else i
        for i in range(POLICIES)
    ]


@pytest.mark.slow
@pytest.mark.parametrize("index", _cases())
def test_a_random_valid_policy_keeps_the_economy_finite_balanced_and_sane(index: int) -> None:
    params = drawn(index)
    u_low, u_high, pi_low, pi_high = run_and_check(params)
    replay = f"policy {index}: {params.policy.model_dump_json()}"
    assert UNEMPLOYMENT[0] <= u_low and u_high <= UNEMPLOYMENT[1], (u_low, u_high, replay)
    assert INFLATION[0] <= pi_low and pi_high <= INFLATION[1], (pi_low, pi_high, replay)


@pytest.mark.slow
@pytest.mark.parametrize("seed", [0, 1])
def test_expectations_at_their_least_anchored_stay_finite_without_a_taylor_response(
    seed: int,
) -> None:
    """Experienced inflation learning as fast as its bound allows, credibility won and lost
    as fast as its bound allows and lost at the smallest miss, and a central bank that does
    not respond: inflation stays in range (at expectations_learning 0.1 it reached 49 % a
    year in ADR 0045's model, so the bound is 0.05; ADR 0050)."""
    fastest = field_range(Behaviour, "expectations_learning")[1]
    assert fastest == 0.05
    behaviour = Behaviour(
        expectations_learning=fastest,
        credibility_learning=field_range(Behaviour, "credibility_learning")[1],
        credibility_tolerance=field_range(Behaviour, "credibility_tolerance")[0],
    )
    params = SimulationParams(
        households=HOUSEHOLDS, seed=seed, behaviour=behaviour
    ).with_policy_changes({"monetary": {"inflation_response": 0.0, "output_gap_response": 0.0}})
    u_low, u_high, pi_low, pi_high = run_and_check(params)
    assert UNEMPLOYMENT[0] <= u_low and u_high <= UNEMPLOYMENT[1]
    assert INFLATION[0] <= pi_low and pi_high <= INFLATION[1]
    with pytest.raises(ValidationError):
        Behaviour(expectations_learning=0.1)
