"""The policy rules as plain functions: the Taylor rule and the progressive income tax."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from shared.simulation.params import FiscalPolicy, MonetaryPolicy

NEUTRAL_SHIFT_LIMIT = 0.04


def taylor_rate(
    policy: MonetaryPolicy, inflation: float, output_gap: float, neutral_shift: float = 0.0
) -> float:
    """Taylor (1993): i = r* + pi + a_pi (pi - pi*) + a_y gap, floored at the lower bound.
    All annual fractions; with the defaults i(0.02, 0) = 0.04 and di/dpi = 1.5.
    `neutral_shift` is the central bank's running correction of r* (see below)."""
    rate = (
        policy.neutral_real_rate
        + neutral_shift
        + inflation
        + policy.inflation_response * (inflation - policy.inflation_target)
        + policy.output_gap_response * output_gap
    )
    return max(rate, policy.lower_bound)


def smoothed_policy_rate(
    policy: MonetaryPolicy,
    previous: float,
    inflation: float,
    output_gap: float,
    neutral_shift: float = 0.0,
) -> float:
    """Interest smoothing: move a share (1 - smoothing) of the way to the rule each month."""
    target = taylor_rate(policy, inflation, output_gap, neutral_shift)
    rate = policy.smoothing * previous + (1 - policy.smoothing) * target
    return max(rate, policy.lower_bound)


def updated_neutral_shift(policy: MonetaryPolicy, shift: float, inflation: float) -> float:
    """The central bank re-estimates the neutral rate from persistent inflation misses
    (an integral term, as running r* estimates do in practice): a year of inflation one
    point above target raises its r* by `neutral_rate_learning` points."""
    step = policy.neutral_rate_learning * (inflation - policy.inflation_target) / 12
    return min(max(shift + step, -NEUTRAL_SHIFT_LIMIT), NEUTRAL_SHIFT_LIMIT)


class TaxSchedule:
    """Marginal-rate brackets on annual income measured in average annual wages.

    The tax is a sum of hinges, (rate_k - rate_k-1) * max(y - threshold_k, 0): continuous
    everywhere, and while marginal rates do not fall the average rate never falls as
    income rises. Evaluated in float32 (a few passes per bracket); the amounts paid and
    received are the same rounded numbers, so the books still balance exactly."""

    def __init__(self, policy: FiscalPolicy) -> None:
        self.thresholds = np.array([b.threshold for b in policy.tax_brackets])
        rates = np.array([b.rate for b in policy.tax_brackets])
        self.steps = np.diff(rates, prepend=0.0)

    def monthly_tax(
        self, monthly_income: NDArray[np.float64], average_wage: float
    ) -> NDArray[np.float32]:
        """The schedule applied to a month's income: a twelfth of the annual tax on twelve
        times the income, i.e. the same brackets scaled to one month's average wage
        (tests/simulation/test_policy_rules.py holds the annual reference)."""
        income = monthly_income.astype(np.float32)
        out: NDArray[np.float32] | None = None  # the first bracket's hinge, then the sum
        hinge = np.empty_like(income)
        for threshold, step in zip(self.thresholds, self.steps, strict=True):
            if step == 0.0:
                continue
            np.subtract(income, np.float32(threshold * average_wage), out=hinge)
            np.maximum(hinge, np.float32(0), out=hinge)
            hinge *= np.float32(step)
            if out is None:
                out, hinge = hinge, np.empty_like(income)
            else:
                out += hinge
        return np.zeros_like(income) if out is None else out
