"""Dot products that do not depend on the machine.

BLAS does not fit: OpenBLAS splits a dot product of more than 10,000 elements across its
threads, so the last bits depend on the number of cores (ADR 0043), and it picks its
kernel by CPU model (Haswell, SkylakeX, Zen, ...), each adding the products in its own
order, so the last bits also depend on the CPU a Cloud Run instance happens to get. A run
resumed on another instance would drift from the uninterrupted one (ADR 0047).

Here the products are formed in float64 (exact IEEE multiplications, the same on every
CPU) a block at a time, each block summed by numpy's pairwise summation (plain C with a
fixed order, not dispatched by CPU feature), and the blocks' sums added in order."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

BLOCK = 16_384  # products formed and summed per step: 128 KiB of float64, cache-resident


def dot(a: NDArray[np.generic], b: NDArray[np.generic]) -> float:
    n = a.size
    if n <= BLOCK:
        return float(np.add.reduce(np.multiply(a, b, dtype=np.float64)))
    buffer = np.empty(BLOCK, dtype=np.float64)
    total = 0.0
    for start in range(0, n, BLOCK):
        stop = min(start + BLOCK, n)
        products = buffer[: stop - start]
        np.multiply(a[start:stop], b[start:stop], out=products, dtype=np.float64)
        total += float(np.add.reduce(products))
    return total
