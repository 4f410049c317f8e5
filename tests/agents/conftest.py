from __future__ import annotations

from datetime import UTC, datetime

import pytest

from shared.adapters.local.clock import ManualClock
from shared.settings import Settings

DAY = 86_400.0
FAST = DAY * 20  # workflow backoff and sleeps: a day passes in 0.05 s


@pytest.fixture
def clock() -> ManualClock:
    # Wednesday 4 March 2026, mid-morning UTC (ISO week 2026-W10)
    return ManualClock(datetime(2026, 3, 4, 10, 0, tzinfo=UTC))


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The suite's settings, plus the scoring and reward parameters named explicitly (the
    tests' hand-computed values depend on them: pools small enough for a few paid tasks
    to matter, an owner cap of 60 %, half of the AIA paid back at most), a small
    per-owner limit, fast workflows."""
    return settings.model_copy(
        update={
            "time_scale": FAST,
            "agent_score_half_life_days": 7.0,
            "agent_min_tasks": 3,
            "agent_max_per_owner": 4,
            "agent_reward_pools": {"AIA": "100", "AIA_GOV": "1"},
            "agent_reward_owner_cap_bps": 6000,
            "agent_reward_max_return_bps": 5000,
        }
    )
