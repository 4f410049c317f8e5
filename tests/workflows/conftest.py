from __future__ import annotations

from pathlib import Path

import pytest

from shared.settings import Settings

DAY = 86_400.0
FAST = DAY * 10  # a day of workflow time passes in 0.1 s


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """The runtime tests' settings, with workflow time running FAST."""
    return Settings(data_dir=tmp_path / "data", scheduler_enabled=False, time_scale=FAST)
