from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from shared.adapters.local.clock import ManualClock
from shared.settings import Settings
from tests.email.smtp_server import SmtpServer

DAY = 86_400.0
FAST = DAY * 20  # a day of journey time passes in 0.05 s


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


@pytest.fixture
def mail_backend() -> str:
    return "smtp"


@pytest.fixture
def clock() -> ManualClock:
    # event times come from the real clock (accounts stamps them): start there
    return ManualClock(datetime.now(UTC).replace(microsecond=0))


@pytest.fixture
def settings(tmp_path: Path, smtp_server: SmtpServer, mail_backend: str) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        scheduler_enabled=False,
        password_hash_time_cost=1,
        password_hash_memory_kib=8192,
        rate_limits={
            "default": "100000/60",
            "auth": "100000/60",
            "login": "100000/60",
            "password-reset": "100000/60",
        },
        time_scale=FAST,
        mail_backend=mail_backend,
        smtp_host="127.0.0.1",
        smtp_port=smtp_server.port,
    )
