"""Issue #13, "simulations cost the same at any size": a million households for 2,400
months cost 10 AIA and wrote ~50 GB of state. One test per point of the finding; each
failed on the code before the fix."""

from __future__ import annotations

import math
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from werkzeug.test import Client

from shared.adapters.local.clock import ManualClock
from shared.bootstrap import install_features
from shared.runtime.local import LocalRuntime
from shared.settings import Settings
from tests.conftest import ROOT
from tests.support.api import ApiClient, UserClient
from tests.support.sql_writes import binary_writes

# the defaults of settings `prices` for simulations
PRICED = {"simulation": "1", "simulation_per_million_household_months": "5"}


@pytest.fixture
def make_runtime(clock: ManualClock) -> Iterator[Any]:
    started: list[LocalRuntime] = []

    def make(settings: Settings, **changes: Any) -> tuple[LocalRuntime, ApiClient]:
        runtime = LocalRuntime(settings.model_copy(update=changes), ROOT, clock=clock)
        started.append(runtime)
        return runtime, ApiClient(runtime.features)

    yield make
    for runtime in started:
        runtime.stop()
    install_features(None)


def _aia(user: UserClient) -> str:
    return str(user.get("/v1/wallet").json["balances"]["AIA"])


def test_the_price_grows_with_households_times_months(
    settings: Settings, make_runtime: Any
) -> None:
    _, api = make_runtime(settings, prices=PRICED, simulation_daily_household_months=10**10)
    ada, admin = api.user("ada"), api.user("root", admin=True)
    admin.post("/v1/admin/mint", json={"user_id": ada.user_id, "token": "AIA", "amount": "100"})

    # a first session's run: 2,000 households x 24 months = 48,000 household-months
    small = ada.post("/v1/simulations", json={"households": 2000, "ticks": 24})
    assert small.status_code == 202
    assert _aia(ada) == "99.000000"  # the minimum, 1 AIA
    # 20,000 x 240 = 4.8M household-months at 5 AIA per million
    larger = ada.post("/v1/simulations", json={"households": 20_000, "ticks": 240})
    assert larger.status_code == 202
    assert _aia(ada) == "75.000000"
    # a million households for 200 years: 2.4 billion household-months
    huge = ada.post("/v1/simulations", json={"households": 1_000_000, "ticks": 2400})
    assert huge.status_code == 402, huge.json
    assert huge.json["type"].endswith("/insufficient-funds")
    assert huge.json["detail"] == "you have 75 AIA; this simulation costs 12,000 AIA"
    assert huge.json["needed_minor"] == 12_000_000_000
    assert _aia(ada) == "75.000000"

    # the price is shown before paying, and the run says what it cost
    quote = ada.get("/v1/simulations/quote?households=1000000&ticks=2400")
    assert quote.status_code == 200
    assert (quote.json["household_months"], quote.json["price_aia"]) == (
        2_400_000_000,
        "12000.000000",
    )
    assert (larger.json["household_months"], larger.json["charged_aia"]) == (
        4_800_000,
        "24.000000",
    )
    view = ada.get(f"/v1/simulations/{small.json['id']}").json
    assert view["charged_aia"] == "1.000000" and view["household_months"] == 48_000


def test_the_daily_quota_of_household_months_answers_429_until_midnight_utc(
    settings: Settings, make_runtime: Any, clock: ManualClock
) -> None:
    _, api = make_runtime(
        settings, simulation_daily_household_months=100_000, simulation_max_concurrent=50
    )
    ada = api.user("ada")
    clock.advance(3600)  # 01:00 UTC
    ada.log_in_again()
    body = {"households": 200, "ticks": 200}  # 40,000 household-months
    assert [ada.post("/v1/simulations", json=body).status_code for _ in range(2)] == [202, 202]

    over = ada.post("/v1/simulations", json=body)
    assert over.status_code == 429
    assert over.mimetype == "application/problem+json"
    assert over.json["type"].endswith("/simulation-daily-quota")
    assert over.headers["Retry-After"] == str(23 * 3600)  # seconds to midnight UTC
    assert "100,000" in over.json["detail"] and "80,000" in over.json["detail"]
    # a run larger than a whole day's quota never fits: no Retry-After to wait for
    never = ada.post("/v1/simulations", json={"households": 1000, "ticks": 101})
    assert never.status_code == 429 and "Retry-After" not in never.headers

    clock.advance(23 * 3600)  # a new UTC day
    ada.log_in_again()
    assert ada.post("/v1/simulations", json=body).status_code == 202


@pytest.mark.parametrize("cap", ["concurrent", "daily"])
def test_parallel_requests_cannot_start_more_than_a_cap_allows(
    accounts_settings: Settings, make_runtime: Any, cap: str
) -> None:
    body = {"households": 200, "ticks": 12}  # 2,400 household-months
    limits = (
        {"simulation_max_concurrent": 2, "simulation_daily_household_months": 10**9}
        if cap == "concurrent"
        else {"simulation_max_concurrent": 100, "simulation_daily_household_months": 2 * 2400}
    )
    runtime, api = make_runtime(accounts_settings, **limits)
    ada = api.user("ada")
    barrier = threading.Barrier(8)

    def start(_: int) -> int:
        client = Client(api.client.application)
        barrier.wait()
        return client.post("/v1/simulations", json=body, headers=ada.headers).status_code

    with ThreadPoolExecutor(8) as pool:
        statuses = sorted(pool.map(start, range(8)))
    assert statuses == [202, 202] + [429] * 6

    runtime.dispatcher.drain()  # both runs complete ...
    ada.log_in_again()
    again = ada.post("/v1/simulations", json=body).status_code
    # ... which frees their slots, but not the household-months already started today
    assert again == (202 if cap == "concurrent" else 429)


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
    from shared.simulation import checkpoints

    budget = 6 * 2**20
    monkeypatch.setattr(checkpoints, "STATE_BYTES_PER_RUN", budget)
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
    from shared.simulation.checkpoints import checkpoint_interval
    from shared.simulation.layout import dump_state
    from shared.simulation.params import SimulationParams
    from shared.simulation.state import initial_state

    params = SimulationParams(households=1_000_000, seed=1)
    state_bytes = len(dump_state(initial_state(params)))
    interval = checkpoint_interval(params, 2400)
    saves = 1 + math.ceil(2400 / interval)
    assert saves * state_bytes <= 512 * 2**20
    assert interval * params.households <= 300_000_000  # ~40 s of compute per message
