"""The image pins numpy's CPU dispatch below AVX-512 (ADR 0047), with names this numpy
knows: a numpy that renamed its dispatch groups would silently ignore the pin."""

from __future__ import annotations

import re
from pathlib import Path

from numpy._core._multiarray_umath import __cpu_dispatch__

DOCKERFILE = Path(__file__).resolve().parents[2] / "Dockerfile"


def test_the_image_disables_numpys_avx512_kernels_by_names_numpy_dispatches() -> None:
    found = re.search(r'^ENV NPY_DISABLE_CPU_FEATURES="([^"]+)"', DOCKERFILE.read_text(), re.M)
    assert found, "the Dockerfile must set NPY_DISABLE_CPU_FEATURES"
    disabled = set(found.group(1).split())
    assert disabled <= set(__cpu_dispatch__), disabled - set(__cpu_dispatch__)
    # everything above x86-64-v3 (AVX2), and v3 itself kept: Cloud Run's CPUs all have it
    above_v3 = {name for name in __cpu_dispatch__ if name != "X86_V3"}
    assert disabled == above_v3
