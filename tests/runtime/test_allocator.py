"""The allocator setting (shared/runtime/allocator.py): household-sized temporaries freed
and allocated again month after month reuse their pages instead of faulting in new ones.
Each case runs in its own interpreter: the setting is process-wide and the test process
has already applied it (build_platform)."""

from __future__ import annotations

import json
import platform
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# a month's pattern in small: 8 MB arrays (1M households in float64) made and dropped
_MONTHS = """
import json, resource, sys
import numpy as np
applied = None
if sys.argv[1] == "keep":
    from shared.runtime.allocator import keep_freed_memory
    applied = keep_freed_memory()
def month():
    spending = np.ones(1_000_000)
    income = spending * 2.0
    saving = income - spending
    return float(np.sqrt(saving + income).sum())
for _ in range(3):
    month()
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(20):
    month()
faults = (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before) / 20
print(json.dumps({"applied": applied, "faults_per_month": faults}))
"""


def _months(mode: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", _MONTHS, mode], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    result: dict[str, float] = json.loads(out)
    return result


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="the setting is glibc's")
def test_months_reuse_their_pages_once_the_allocator_keeps_freed_memory() -> None:
    default, kept = _months("default"), _months("keep")
    # glibc's defaults: each month's temporaries are fresh pages (2,048 per 8 MB array)
    assert default["faults_per_month"] > 1_000
    assert kept["applied"] is True
    assert kept["faults_per_month"] < 50


def test_the_setting_is_applied_once_and_reports_the_same_answer() -> None:
    from shared.runtime.allocator import keep_freed_memory

    first = keep_freed_memory()
    assert keep_freed_memory() is first
    assert first is (platform.system() == "Linux" and platform.libc_ver()[0] == "glibc")
