"""Issue #13, "simulations cost the same at any size": a million households for 2,400
months cost 10 AIA and wrote ~50 GB of state. One test per point of the finding; each
failed on the code before the fix."""

from __future__ import annotations

import math

import pytest

from shared.runtime.local import LocalRuntime
from tests.support.api import ApiClient
from tests.support.sql_writes import binary_writes


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ('{"households": 1e6}', "households"),
        ('{"households": 1000.0}', "households"),
        ('{"households": "1000"}', "households"),
        ('{"ticks": 24.0}', "ticks"),
        ('{"seed": 7.0}', "seed"),
    ],
)
def test_sizes_must_be_json_integers(api: ApiClient, raw: str, field: str) -> None:
    reply = api.user("ada").post(
        "/v1/simulations", data=raw, headers={"Content-Type": "application/json"}
    )
    assert reply.status_code == 400, reply.json
    assert reply.mimetype == "application/problem+json"
    assert [e["field"] for e in reply.json["errors"]] == [field]


@pytest.mark.parametrize("query", ["from_tick=2.0", "limit=10.0", "limit=1_0", "from_tick=%202"])
def test_metric_queries_take_only_integers(api: ApiClient, query: str) -> None:
    ada = api.user("ada")
    simulation = ada.post("/v1/simulations", json={"households": 200, "ticks": 3}).json["id"]
    reply = ada.get(f"/v1/simulations/{simulation}/metrics?{query}")
    assert reply.status_code == 400, reply.json
    [error] = reply.json["errors"]
    assert (error["field"], error["in"]) == (query.split("=")[0], "query")


def test_state_written_per_run_is_bounded(
    api: ApiClient, app_runtime: LocalRuntime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run saves its state at checkpoints spaced so that all its saves together stay
    under a budget; the test shrinks the budget to 6 MiB to see it at a testable size
    (before, each message of 40 months saved: 4 saves of 2.1 MB)."""
    from shared.simulation import handlers

    budget = 6 * 2**20
    monkeypatch.setattr(handlers, "STATE_BYTES_PER_RUN", budget, raising=False)
    engine = getattr(app_runtime.platform.sql, "engine")  # noqa: B009 - the SQLAlchemy adapter
    ada = api.user("ada")
    with binary_writes(engine) as writes:
        # 50,000 households (a 2.1 MB state) for 120 months
        run = ada.post("/v1/simulations", json={"households": 50_000, "ticks": 120}).json["id"]
        app_runtime.dispatcher.drain()
    ada.log_in_again()
    assert ada.get(f"/v1/simulations/{run}").json["status"] == "completed"
    assert len(ada.get(f"/v1/simulations/{run}/metrics").json["records"]) == 120
    state = max(writes.sizes)
    assert state > 2_000_000
    assert writes.total <= budget, f"{len(writes.sizes)} saves of {state:,} bytes"


def test_a_million_households_for_2400_months_writes_under_512_mib() -> None:
    """The largest run the API accepts, by the rule the handler follows, with the state's
    size measured (one initial save plus one per checkpoint)."""
    from shared.simulation.handlers import checkpoint_interval
    from shared.simulation.layout import dump_state
    from shared.simulation.params import SimulationParams
    from shared.simulation.state import initial_state

    params = SimulationParams(households=1_000_000, seed=1)
    state_bytes = len(dump_state(initial_state(params)))
    interval = checkpoint_interval(params, 2400)
    saves = 1 + math.ceil(2400 / interval)
    assert saves * state_bytes <= 512 * 2**20
    assert interval * params.households <= 300_000_000  # ~40 s of compute per message
