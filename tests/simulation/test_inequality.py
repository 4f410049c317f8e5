"""The O(n) Gini (bins read off the float bit pattern) against the exact sort."""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.typing import NDArray

from shared.simulation.inequality import _keys, gini


def gini_exact(values: NDArray[np.float64]) -> float:
    """The textbook Gini by sorting: sum (2i - n - 1) x_(i) / (n sum x)."""
    x = np.sort(np.asarray(values, dtype=np.float64))
    n = x.size
    total = float(x.sum())
    if n == 0 or total <= 0:
        return float("nan")
    ranks = np.arange(1, n + 1, dtype=np.float64)
    return float(np.dot(2 * ranks - n - 1, x) / (n * total))


@pytest.mark.parametrize(
    "values",
    [
        np.random.default_rng(1).lognormal(0, 0.6, 50_000),  # income-like
        np.random.default_rng(2).pareto(1.5, 50_000),  # wealth-like tail
        np.r_[  # wealth with debts and zeros
            np.random.default_rng(3).lognormal(1, 1.5, 40_000),
            -np.random.default_rng(4).lognormal(-1, 1, 8_000),
            np.zeros(2_000),
        ],
        np.r_[np.zeros(9_000), np.random.default_rng(5).pareto(1.2, 1_000)],  # token holdings
        np.random.default_rng(6).random(1_000),
    ],
)
def test_histogram_gini_matches_the_exact_gini(values: np.ndarray) -> None:
    assert abs(gini(values) - gini_exact(values)) < 1e-4


def test_degenerate_inputs() -> None:
    assert math.isnan(gini(np.array([])))
    assert math.isnan(gini(np.zeros(10)))
    assert gini(np.array([0.0, 0.0, 0.0, 5.0])) == pytest.approx(0.75, abs=1e-3)


@pytest.mark.parametrize(
    "values",
    [
        np.random.default_rng(7).lognormal(0, 0.6, 5_000),
        np.r_[-0.0, 0.0, 1e-300, np.random.default_rng(8).pareto(1.2, 1_000)],
        np.r_[np.zeros(900), np.random.default_rng(9).random(100) * 1e6],
    ],
)
def test_the_unsigned_bins_are_the_signed_ones(values: NDArray[np.float64]) -> None:
    """Without negative values gini takes a shorter path to the bins: the same bins,
    holding the same values (shifted by a constant, which the dropped empty bins hide)."""
    floor = int(np.array(values.max() * 1e-9).view(np.int64)) >> 46
    bits = values.view(np.int64)
    fast, full = _keys(bits, floor, signed=False), _keys(bits, floor, signed=True)
    assert np.all(np.diff(fast - full) == 0)
    assert np.array_equal(
        np.unique(fast, return_counts=True)[1], np.unique(full, return_counts=True)[1]
    )
