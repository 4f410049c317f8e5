"""The machine-independent dot product (shared/simulation/dot.py), and a run whose last
bits do not depend on the BLAS kernel the CPU selects (ADR 0047)."""

from __future__ import annotations

import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from shared.simulation.dot import BLOCK, dot

ROOT = Path(__file__).resolve().parents[2]


def test_up_to_a_block_it_is_the_pairwise_sum_of_float64_products() -> None:
    rng = np.random.default_rng(3)
    for n in (1, 17, BLOCK - 1, BLOCK):
        a, b = rng.standard_normal(n), rng.standard_normal(n)
        assert dot(a, b) == float(np.add.reduce(a * b))


def test_a_long_vector_is_the_ordered_sum_of_its_blocks_and_accurate() -> None:
    rng = np.random.default_rng(4)
    n = 3 * BLOCK + 123
    a, b = rng.standard_normal(n), rng.standard_normal(n)
    total = 0.0
    for i in range(0, n, BLOCK):
        total += float(np.add.reduce(a[i : i + BLOCK] * b[i : i + BLOCK]))
    assert dot(a, b) == total
    exact = math.fsum(float(x) * float(y) for x, y in zip(a, b, strict=True))
    assert abs(dot(a, b) - exact) <= 1e-12 * float(np.abs(a * b).sum())


def test_float32_and_masks_are_multiplied_in_float64() -> None:
    """The effective labour force: float32 efficiencies times a boolean mask."""
    rng = np.random.default_rng(5)
    efficiency = rng.random(BLOCK * 2 + 5).astype(np.float32)
    in_force = rng.random(efficiency.size) < 0.7
    expected = math.fsum(float(e) for e, m in zip(efficiency, in_force, strict=True) if m)
    assert abs(dot(efficiency, in_force) - expected) <= 1e-9 * expected


RUN = """
import hashlib, numpy as np
from shared.simulation.model import advance, rng_for
from shared.simulation.params import SimulationParams
from shared.simulation.state import initial_state
p = SimulationParams(households=3000, seed=3)
s, h = initial_state(p), hashlib.sha256()
for _ in range(36):
    s, m = advance(s, p, rng_for(p.seed, s.tick))
    h.update(np.array([np.nan if v is None else v for v in m.as_dict().values()]).tobytes())
print(h.hexdigest())
"""


def test_a_run_does_not_depend_on_the_blas_kernel() -> None:
    """OpenBLAS adds a dot product's terms in an order that depends on the kernel it
    picks for the CPU; forcing two different kernels must not change a bit of a run
    (with np.dot it did, from the first months)."""
    digests = set()
    for core in ("Haswell", "Sandybridge"):
        env = {**os.environ, "OPENBLAS_CORETYPE": core, "OPENBLAS_VERBOSE": "0"}
        out = subprocess.run(
            [sys.executable, "-c", RUN], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert out.returncode == 0, out.stderr
        digests.add(out.stdout.strip())
    assert len(digests) == 1
