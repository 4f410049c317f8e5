from __future__ import annotations

import pytest

from tests.simulation.stylised import Run, simulate

BASELINE_HOUSEHOLDS = 8000
BASELINE_MONTHS = 720  # 60 years
BURN_IN = 240  # 20 years


@pytest.fixture(scope="session")
def baseline() -> Run:
    """The default economy, 8,000 households for 60 years; statistics over the last 40."""
    return simulate(BASELINE_HOUSEHOLDS, BASELINE_MONTHS, seed=7, burn_in=BURN_IN)
