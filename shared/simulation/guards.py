"""A month whose economy is no longer made of finite numbers is an error, not a result.

NaN passes silently through `max()`, comparisons and sums (a GDP of NaN reported a
stock-flow error of 0.0), so every tick checks its closing state and its figures and
raises `EconomyDiverged`, naming the first quantity that is not finite. The check
reads sums the month computes anyway where it can: one NaN or infinity in an array
makes its sum non-finite, so a scalar check covers every element. The Ginis are left
out: a Gini is undefined (NaN by definition, see inequality) when the total it divides
by is not positive, e.g. when households are net debtors, which a finite economy can be."""

from __future__ import annotations

import functools
import math
import operator
from collections.abc import Callable, Iterable
from dataclasses import fields
from typing import Any

import numpy as np

from shared.simulation.indicators import TickMetrics
from shared.simulation.state import Firms, Macro

UNDEFINED_WHEN_TOTAL_NOT_POSITIVE = frozenset({"gini_income", "gini_wealth", "aia_gov_gini"})
CHECKED_METRICS = frozenset(
    f.name for f in fields(TickMetrics) if f.name not in UNDEFINED_WHEN_TOTAL_NOT_POSITIVE
)


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
    totals = tuple(totals)
    firm_sums = [
        (name, float(array.sum(dtype=np.float64)))
        for name in _names(Firms)
        if (array := getattr(firms, name)).dtype.kind == "f"
    ]
    macro_values = _getter(Macro)(macro)
    metric_values = [v for v in _getter(TickMetrics, CHECKED_METRICS)(metrics) if v is not None]
    # one NaN or infinity makes the sum non-finite; a month passes on one sum, and only
    # a failing one (or a sum that overflowed) is searched for the quantity to name
    everything = (*(v for _, v in totals), *(v for _, v in firm_sums), *macro_values)
    if math.isfinite(sum(everything) + sum(metric_values)):
        return
    for name, value in totals:
        _finite(tick, name, value)
    for name, value in firm_sums:
        _finite(tick, f"firms.{name} (sum)", value)
    for name, value in zip(_names(Macro), macro_values, strict=True):
        _finite(tick, f"macro.{name}", value)
    for name in _names(TickMetrics):
        value = getattr(metrics, name)
        if value is not None and name in CHECKED_METRICS:
            _finite(tick, name, value)


@functools.cache
def _names(cls: type) -> tuple[str, ...]:
    return tuple(field.name for field in fields(cls))


@functools.cache
def _getter(cls: type, only: frozenset[str] | None = None) -> Callable[[Any], tuple[Any, ...]]:
    """The values of a dataclass's fields (of those in `only`) as a tuple, in order."""
    names = tuple(n for n in _names(cls) if only is None or n in only)
    get = operator.attrgetter(*names)
    return get if len(names) > 1 else lambda obj: (get(obj),)


def _finite(tick: int, quantity: str, value: float) -> None:
    if not math.isfinite(value):
        raise EconomyDiverged(tick, quantity, value)
