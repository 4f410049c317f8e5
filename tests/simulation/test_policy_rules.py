"""The Taylor rule (Taylor 1993) and the progressive income tax, as plain functions."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.typing import NDArray

from shared.simulation.params import FiscalPolicy, MonetaryPolicy, TaxBracket
from shared.simulation.policy_rules import TaxSchedule, smoothed_policy_rate, taylor_rate


def annual_tax(
    schedule: TaxSchedule, annual_income: NDArray[np.float64], average_wage: float
) -> NDArray[np.float64]:
    """The reference: annual tax on annual income (both in money), in float64."""
    income = np.asarray(annual_income, dtype=np.float64)
    out = np.zeros_like(income)
    for threshold, step in zip(schedule.thresholds, schedule.steps, strict=True):
        out += step * np.maximum(income - threshold * 12.0 * average_wage, 0.0)
    return out


def effective_rate(
    schedule: TaxSchedule, annual_income: NDArray[np.float64], average_wage: float
) -> NDArray[np.float64]:
    income = np.asarray(annual_income, dtype=np.float64)
    tax = annual_tax(schedule, income, average_wage)
    return np.divide(tax, income, out=np.zeros_like(income), where=income > 0)


def test_taylor_1993_at_target_and_zero_gap_gives_four_percent() -> None:
    # Taylor (1993): i = pi + 0.5 y + 0.5 (pi - 2) + 2 -> 4 % at pi = 2 %, y = 0
    assert taylor_rate(MonetaryPolicy(), 0.02, 0.0) == pytest.approx(0.04, abs=1e-12)


def test_taylor_rate_rises_one_and_a_half_points_per_point_of_inflation() -> None:
    policy = MonetaryPolicy()
    slope = (taylor_rate(policy, 0.03, 0.0) - taylor_rate(policy, 0.02, 0.0)) / 0.01
    assert slope == pytest.approx(1.5, abs=1e-9)
    gap_slope = (taylor_rate(policy, 0.02, 0.01) - taylor_rate(policy, 0.02, 0.0)) / 0.01
    assert gap_slope == pytest.approx(0.5, abs=1e-9)


def test_taylor_rate_respects_the_floor() -> None:
    policy = MonetaryPolicy()
    assert taylor_rate(policy, -0.05, -0.1) == policy.lower_bound == 0.0
    assert taylor_rate(MonetaryPolicy(lower_bound=0.005), -0.05, 0.0) == 0.005
    assert smoothed_policy_rate(policy, 0.0, -0.05, -0.1) == 0.0


def test_smoothing_moves_part_of_the_way() -> None:
    policy = MonetaryPolicy(smoothing=0.8)
    assert smoothed_policy_rate(policy, 0.02, 0.02, 0.0) == pytest.approx(0.8 * 0.02 + 0.2 * 0.04)


def test_effective_tax_rate_is_non_decreasing_and_continuous_at_thresholds() -> None:
    schedule = TaxSchedule(FiscalPolicy())
    wage = 1.7
    income = np.linspace(0, 10 * 12 * wage, 200_001)
    rate = effective_rate(schedule, income, wage)
    assert np.all(np.diff(rate) >= -1e-12)
    for bracket in FiscalPolicy().tax_brackets[1:]:
        at = bracket.threshold * 12 * wage
        below, above = annual_tax(schedule, np.array([at * (1 - 1e-12), at * (1 + 1e-12)]), wage)
        assert abs(above - below) < 1e-9 * at
    top = FiscalPolicy().tax_brackets[-1].rate
    assert rate[-1] < top and effective_rate(schedule, np.array([1e9]), wage)[0] == pytest.approx(
        top, abs=1e-3
    )


def test_monthly_tax_is_a_twelfth_of_the_annual_tax_on_twelve_months() -> None:
    schedule = TaxSchedule(FiscalPolicy())
    monthly = np.array([0.0, 0.3, 0.9, 1.8, 4.0, 40.0])
    annual = annual_tax(schedule, monthly * 12, 1.3) / 12
    assert schedule.monthly_tax(monthly, 1.3) == pytest.approx(annual, rel=1e-6)


def test_brackets_must_start_at_zero_and_increase() -> None:
    with pytest.raises(ValueError, match="start at 0"):
        FiscalPolicy(tax_brackets=(TaxBracket(threshold=0.5, rate=0.2),))
    with pytest.raises(ValueError, match="strictly increasing"):
        FiscalPolicy(
            tax_brackets=(
                TaxBracket(threshold=0, rate=0.1),
                TaxBracket(threshold=2, rate=0.2),
                TaxBracket(threshold=1, rate=0.3),
            )
        )
