"""Dot products that do not depend on the machine.

OpenBLAS splits a dot product of more than 10,000 elements across its threads and adds
the partial sums, so the last bits of the result depend on the number of cores (a run
resumed on another machine would drift), and waking the threads cost about 3 ms a call
on a busy 2-core machine. Here a long vector is taken in blocks of 10,000, each a
single-threaded BLAS call, and the partial sums are added in order: up to 10,000
elements the result is np.dot's, bit for bit."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

BLOCK = 10_000  # OpenBLAS's threshold: dot products up to this size run on one thread


def dot(a: NDArray[np.generic], b: NDArray[np.generic]) -> float:
    n = a.size
    if n <= BLOCK:
        return float(np.dot(a, b))
    total = 0.0
    for start in range(0, n, BLOCK):
        total += float(np.dot(a[start : start + BLOCK], b[start : start + BLOCK]))
    return total
