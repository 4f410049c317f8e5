"""Wages from each firm's own hiring difficulty, and potential output and u* estimated
from the simulated data (ADR 0049): no natural rate is a parameter of the economy.
Also the demographic start that no longer echoes for a century, and the bound on the
average earner's tax rate that keeps policies within the range the model is tested over."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest
from pydantic import ValidationError

from shared.simulation.goods import goods_market, update_firms
from shared.simulation.measurement import potential_output
from shared.simulation.model import advance, month_until_spending, rng_for
from shared.simulation.params import (
    AVERAGE_EARNER_RATE_CAP,
    RETIRED_BEHAVIOUR,
    Behaviour,
    FiscalPolicy,
    SimulationParams,
    TaxBracket,
    stored_params,
)
from shared.simulation.state import ALIVE, MONTHS, initial_state
from tests.simulation.stylised import simulate


def test_a_firm_with_open_posts_raises_its_wage_faster_than_a_fully_staffed_one() -> None:
    """Wage growth a month = (expected inflation + response x (own vacancy rate, capped,
    - unemployment)) / 12, times the productivity gain: two firms alike but for their
    posts differ by exactly the response times the vacancy rate they differ by, and a
    vacancy rate beyond the cap counts as the cap."""
    params = SimulationParams(households=2000, seed=5)
    state = simulate(params.households, 24, params.seed, 0, params).state
    b = params.behaviour

    def growth(vacancy_rates: dict[int, float]) -> np.ndarray:
        mo = month_until_spending(state, params, rng_for(params.seed, state.tick))
        for firm, rate in vacancy_rates.items():
            mo.firm_vacancy_rate[firm] = rate
        firms = update_firms(mo, goods_market(mo))
        gain = firms.productivity[1:] / state.firms.productivity[1:]
        # slot 0 is no firm: firm j is entry j - 1
        return np.concatenate([[0.0], firms.wage[1:] / state.firms.wage[1:] / gain - 1])

    a, c = 1, 2
    staffed = growth({a: 0.0, c: 0.0})
    posts = growth({a: 0.08, c: 0.5})
    assert posts[a] - staffed[a] == pytest.approx(b.wage_tightness_response * 0.08 / MONTHS)
    cap = b.vacancy_pressure_cap
    assert posts[c] - staffed[c] == pytest.approx(b.wage_tightness_response * cap / MONTHS)
    # and with every post filled a firm's wage falls behind expected inflation by the
    # response times unemployment (the pool of seekers it could hire from)
    mo = month_until_spending(state, params, rng_for(params.seed, state.tick))
    expected = (mo.expected_inflation - b.wage_tightness_response * mo.unemployment) / MONTHS
    assert staffed[a] == pytest.approx(expected)


def test_no_natural_rate_is_a_parameter_and_the_estimated_one_follows_unemployment() -> None:
    assert {"natural_unemployment", "wage_unemployment_response"} <= RETIRED_BEHAVIOUR
    assert "natural_unemployment" not in Behaviour.model_fields
    # parameters stored with the old fields still load (ADR 0037)
    old = SimulationParams(households=500).model_dump()
    old["behaviour"] |= {"natural_unemployment": 0.05, "wage_unemployment_response": 0.5}
    assert SimulationParams.model_validate(old) == SimulationParams(households=500)
    run = simulate(3000, 600, 2, 0)
    decade = float(run.series("unemployment_rate")[-240:].mean())
    assert abs(run.state.macro.unemployment_trend - decade) < 0.01


def test_potential_output_is_a_trend_of_real_gdp_and_the_gap_averages_zero() -> None:
    """Holt's trend: on a steady 2 % a year path the gap closes to zero and the trend
    learns the growth; after a 5 % fall in output the gap reads about -5 % at once."""
    macro = initial_state(SimulationParams(households=500)).macro
    growth = 0.02 / MONTHS
    gdp = 100.0
    level, trend_growth = np.log(gdp), 0.0
    for _ in range(240):
        gdp *= 1 + growth
        macro = dataclasses.replace(macro, trend_output=level, trend_growth=trend_growth)
        level, trend_growth, gap = potential_output(macro, gdp)
    assert abs(gap) < 1e-3
    assert trend_growth == pytest.approx(np.log1p(growth), rel=0.05)
    macro = dataclasses.replace(macro, trend_output=level, trend_growth=trend_growth)
    assert potential_output(macro, gdp * (1 + growth) * 0.95)[2] == pytest.approx(-0.05, abs=2e-3)
    # in the default economy the gap has no level of its own: it averages near zero
    gaps = simulate(3000, 360, 3, 120).series("output_gap")
    assert abs(float(gaps.mean())) < 0.01


def test_the_starting_population_is_near_its_stationary_age_structure() -> None:
    """Ages drawn from the survival curve people of usual health meet: the retired share
    in the first five years is within two points of the share fifty years on (with the
    schedule alone it fell from 27 % to 18 % and came back as a wave of entrants)."""
    params = SimulationParams(households=6000, seed=4)
    state = initial_state(params)
    shares = []
    for month in range(660):
        if month % 60 == 0:
            hh = state.households
            alive = (hh.flags & ALIVE) > 0
            retired = hh.age[alive] >= params.behaviour.retirement_age * MONTHS
            shares.append(float(retired.mean()))
        state, _ = advance(state, params, rng_for(params.seed, state.tick))
    assert max(shares) - min(shares) < 0.03
    assert abs(shares[0] - shares[-1]) < 0.02


def test_brackets_taxing_the_average_earner_above_the_tested_range_are_refused() -> None:
    flat = (TaxBracket(threshold=0.0, rate=AVERAGE_EARNER_RATE_CAP + 0.01),)
    with pytest.raises(ValidationError, match="average annual wage"):
        FiscalPolicy(tax_brackets=flat)
    FiscalPolicy(tax_brackets=(TaxBracket(threshold=0.0, rate=AVERAGE_EARNER_RATE_CAP),))
    # a high top rate is another matter: it starts above the average earner
    FiscalPolicy(
        tax_brackets=(TaxBracket(threshold=0.0, rate=0.3), TaxBracket(threshold=3.0, rate=0.75))
    )
    # below one average wage at 70 %, above it at 0: 70 % of the first half, 35 % on average
    FiscalPolicy(
        tax_brackets=(TaxBracket(threshold=0.0, rate=0.7), TaxBracket(threshold=0.5, rate=0.0))
    )
    # a run accepted before the bound reads and goes on as its owner started it
    params = SimulationParams(households=500).model_dump()
    params["policy"]["fiscal"]["tax_brackets"] = [{"threshold": 0.0, "rate": 0.7}]
    restored = stored_params(json.dumps(params))
    assert restored.policy.fiscal.tax_brackets[0].rate == 0.7
    # a later change to its policy must bring the brackets within the bound too: the
    # API answers 400 naming them before anything is published (runs.change_policy)
    with pytest.raises(ValidationError, match="tax_brackets"):
        restored.with_policy_changes({"monetary": {"inflation_target": 0.03}})
    within = [{"threshold": 0.0, "rate": 0.5}]
    changed = restored.with_policy_changes({"fiscal": {"tax_brackets": within}})
    assert changed.policy.fiscal.tax_brackets[0].rate == 0.5
