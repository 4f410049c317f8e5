"""The machine-independent dot product (shared/simulation/dot.py)."""

from __future__ import annotations

import math

import numpy as np

from shared.simulation.dot import BLOCK, dot


def test_up_to_a_block_it_is_numpys_dot_bit_for_bit() -> None:
    rng = np.random.default_rng(3)
    for n in (1, 17, BLOCK - 1, BLOCK):
        a, b = rng.standard_normal(n), rng.standard_normal(n)
        assert dot(a, b) == float(np.dot(a, b))


def test_a_long_vector_is_the_ordered_sum_of_its_blocks_and_accurate() -> None:
    rng = np.random.default_rng(4)
    n = 3 * BLOCK + 123
    a, b = rng.standard_normal(n), rng.standard_normal(n)
    blocks = [float(np.dot(a[i : i + BLOCK], b[i : i + BLOCK])) for i in range(0, n, BLOCK)]
    total = 0.0
    for part in blocks:
        total += part
    assert dot(a, b) == total
    exact = math.fsum(float(x) * float(y) for x, y in zip(a, b, strict=True))
    assert abs(dot(a, b) - exact) <= 1e-12 * float(np.abs(a * b).sum())
