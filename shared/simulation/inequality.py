"""Gini coefficients in O(n), without sorting.

Values are put in bins read straight off their IEEE-754 bit pattern: for a double,
`bits >> 46` keeps the exponent and the top 6 mantissa bits, i.e. 64 bins per octave of
magnitude (each spans at most 1/64 = 1.6 % of its values). Magnitudes are counted from
1e-9 of the largest one (smaller values share bin 0 with zero) and signed, so bins are
ordered like the values they hold. Every pair of values in different bins is then
ordered by its bins, and the between-bin part of the Gini sum is exact from the bin
counts and sums; only pairs inside one bin are estimated (as values spread evenly over
the bin's width). The error is below 1e-4 on income and wealth distributions
(tests/simulation/test_inequality.py checks it against the exact sort), for a few
integer passes and two bincounts: no O(n log n) sort per tick.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from shared.simulation.dot import dot

_SHIFT = 46  # 52 mantissa bits - 6 kept = 64 bins per octave
_MAGNITUDE = np.int64(0x7FFF_FFFF_FFFF_FFFF)
_RANGE = 1e-9  # magnitudes below this fraction of the largest share the zero bin


def gini(values: NDArray[np.float64]) -> float:
    """Gini of `values` (any sign); nan when the total is not positive."""
    x = np.ascontiguousarray(values, dtype=np.float64)
    n = x.size
    if n == 0:
        return float("nan")
    total = float(x.sum())
    lowest = float(x.min())
    largest = max(float(x.max()), -lowest)
    if total <= 0 or largest <= 0:
        return float("nan")
    floor = int(np.array(largest * _RANGE).view(np.int64)) >> _SHIFT
    keys = _keys(x.view(np.int64), floor, signed=not lowest >= 0)
    counts = np.bincount(keys).astype(np.float64)
    sums = np.bincount(keys, weights=x)
    occupied = counts > 0
    counts = counts[occupied]
    sums = sums[occupied]
    # between bins: sum over bins b of s_b * N_below - n_b * S_below
    n_below = np.cumsum(counts) - counts
    s_below = np.cumsum(sums) - sums
    between = dot(sums, n_below) - dot(counts, s_below)
    # within a bin of relative width about 1/96, n(n-1)/2 pairs differ by width/3
    means = np.abs(sums / counts)
    within = dot(counts * (counts - 1) / 2, means) * (1 / 96 / 3)
    return (between + within) / (n * total)


def _keys(bits: NDArray[np.int64], floor: int, *, signed: bool) -> NDArray[np.int64]:
    """Each value's bin, ordered like the values. Without a negative value (the usual
    income and wealth) the sign steps are skipped, and so is the shift to a first bin of
    0: it only leaves bins empty, and empty bins are dropped. A -0.0, whose sign bit is
    set, lands in bin 0 either way."""
    if not signed:
        keys = bits >> _SHIFT
        keys -= floor
        np.maximum(keys, 0, out=keys)
        return keys
    sign = bits >> 63  # 0 or -1
    keys = (bits & _MAGNITUDE) >> _SHIFT
    keys -= floor
    np.maximum(keys, 0, out=keys)
    keys ^= sign
    keys -= sign  # negated where the value is negative
    low = int(keys.min())
    if low:
        keys -= low
    return keys
