"""A month whose economy is no longer made of finite numbers is an error, not a result.

NaN passes silently through `max()`, comparisons and sums (a GDP of NaN reported a
stock-flow error of 0.0), so every tick checks its closing state and its figures and
raises `EconomyDiverged`, naming the first quantity that is not finite. The check
reads sums the month computes anyway where it can: one NaN or infinity in an array
makes its sum non-finite, so a scalar check covers every element. The Ginis are left
out: a Gini is undefined (NaN by definition, see inequality) when the total it divides
by is not positive, e.g. when households are net debtors, which a finite economy can be."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import fields

import numpy as np

from shared.simulation.indicators import TickMetrics
from shared.simulation.state import Firms, Macro

UNDEFINED_WHEN_TOTAL_NOT_POSITIVE = frozenset({"gini_income", "gini_wealth", "aia_gov_gini"})


class EconomyDiverged(ArithmeticError):
    """The simulated economy left the finite numbers at `tick` (the parameters drove
    it outside the range where the model is stable): the run cannot go on."""

    def __init__(self, tick: int, quantity: str, value: float) -> None:
        super().__init__(f"the economy diverged in month {tick}: {quantity} is {value}")
        self.tick, self.quantity, self.value = tick, quantity, value


def check_finite(
    tick: int,
    totals: Iterable[tuple[str, float]],
    firms: Firms,
    macro: Macro,
    metrics: TickMetrics,
) -> None:
    """Raise `EconomyDiverged` if a household total, a firm array, a macro figure or a
    reported metric is NaN or infinite."""
    for name, value in totals:
        _finite(tick, name, value)
    for field in fields(firms):
        array = getattr(firms, field.name)
        if array.dtype.kind == "f":
            _finite(tick, f"firms.{field.name} (sum)", float(array.sum(dtype=np.float64)))
    for field in fields(macro):
        _finite(tick, f"macro.{field.name}", getattr(macro, field.name))
    for field in fields(metrics):
        value = getattr(metrics, field.name)
        if value is not None and field.name not in UNDEFINED_WHEN_TOTAL_NOT_POSITIVE:
            _finite(tick, field.name, value)


def _finite(tick: int, quantity: str, value: float) -> None:
    if not math.isfinite(value):
        raise EconomyDiverged(tick, quantity, value)
