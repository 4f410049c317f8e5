"""Checkpoints: a run saves its state every `checkpoint_interval` months, spaced so that
all its saves stay under `STATE_BYTES_PER_RUN`; a delivery that fails between two
checkpoints is recomputed from the last one, to the same result."""

from __future__ import annotations

import math
from typing import Any

import pytest

from shared.runtime.local import LocalRuntime
from shared.simulation import checkpoints, handlers
from shared.simulation.checkpoints import (
    MAX_HOUSEHOLD_TICKS_PER_CHECKPOINT,
    STATE_BYTES_PER_RUN,
    checkpoint_interval,
)
from shared.simulation.layout import stored_size
from shared.simulation.params import SimulationParams
from tests.simulation.stylised import simulate
from tests.support.api import ApiClient
from tests.support.sql_writes import binary_writes


@pytest.mark.parametrize("households", [200, 1000, 20_000, 100_000, 400_000, 1_000_000])
@pytest.mark.parametrize("months", [1, 24, 600, 2400])
def test_every_run_the_api_accepts_stays_within_the_budget(households: int, months: int) -> None:
    params = SimulationParams(households=households)
    interval = checkpoint_interval(params, months)
    saves = 1 + math.ceil(months / interval)  # the initial state and each checkpoint
    assert saves * stored_size(households, params.firms) <= STATE_BYTES_PER_RUN
    assert 1 <= interval <= 1200
    assert interval * households <= max(MAX_HOUSEHOLD_TICKS_PER_CHECKPOINT, households)


def test_small_runs_keep_their_batches() -> None:
    # the budget only spaces out the saves of large runs
    assert checkpoint_interval(SimulationParams(households=1000), 2400) == 120
    assert checkpoint_interval(SimulationParams(households=100_000), 120) == 20
    # 1M households weigh ~54 MB a save (supplier links and firms' capital and loans
    # included): 8 saves, 300 months apart
    assert checkpoint_interval(SimulationParams(households=1_000_000), 2400) == 300


def test_a_failed_delivery_recomputes_from_the_last_checkpoint(
    api: ApiClient, app_runtime: LocalRuntime, monkeypatch: pytest.MonkeyPatch
) -> None:
    params = SimulationParams(households=400, seed=4)
    monkeypatch.setattr(checkpoints, "MAX_TICKS_PER_MESSAGE", 5)
    # room for three saves: the initial state and two checkpoints, 15 months apart
    monkeypatch.setattr(checkpoints, "STATE_BYTES_PER_RUN", 3 * stored_size(400, params.firms))
    assert checkpoint_interval(params, 30) == 15

    real = handlers.advance
    calls = {"n": 0}

    def crashing_once(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 20:  # month 20: five months into the second checkpoint's work
            raise RuntimeError("the instance went away")
        return real(*args, **kwargs)

    monkeypatch.setattr(handlers, "advance", crashing_once)
    engine = getattr(app_runtime.platform.sql, "engine")  # noqa: B009
    alice = api.user("alice")
    with binary_writes(engine) as writes:
        run = alice.post("/v1/simulations", json={"households": 400, "seed": 4, "ticks": 30})
        app_runtime.dispatcher.drain()
    alice.log_in_again()
    assert alice.get(f"/v1/simulations/{run.json['id']}").json["status"] == "completed"
    assert len(writes.sizes) == 3  # the failed delivery saved nothing
    assert calls["n"] == 30 + 5  # months 16-20 were begun twice
    records = alice.get(f"/v1/simulations/{run.json['id']}/metrics").json["records"]
    assert records == [m.as_dict() for m in simulate(400, 30, 4, 0).records]
