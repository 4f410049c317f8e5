"""The SQL store of simulations on the embedded SQLite file and on real PostgreSQL:
a save only lands on the tick it was computed from, state and metrics together."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from shared.adapters.sql.database import SqlAlchemyDatabase
from shared.adapters.sql.simulation_store import SqlSimulationStore, store_for
from shared.simulation.layout import dump_state, load_state
from shared.simulation.model import advance, rng_for
from shared.simulation.params import SimulationParams
from shared.simulation.state import initial_state


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SqlSimulationStore]:
    if request.param == "sqlite":
        database = SqlAlchemyDatabase(f"sqlite:///{tmp_path / 'sim.sqlite3'}")
    else:
        database = SqlAlchemyDatabase(request.getfixturevalue("postgres_url"))
    yield store_for(database)
    database.dispose()


def test_save_is_guarded_by_the_tick_and_writes_state_with_metrics(
    store: SqlSimulationStore,
) -> None:
    params = SimulationParams(households=500, seed=1)
    state = initial_state(params)
    simulation_id = f"sim-{id(store)}"
    assert store.create(simulation_id, params, 24, dump_state(state), 0)
    assert not store.create(simulation_id, params, 24, dump_state(state), 0)

    records = []
    for _ in range(3):
        state, metrics = advance(state, params, rng_for(params.seed, state.tick))
        records.append(metrics)
    assert store.save_advance(simulation_id, 0, dump_state(state), 3, records, "event-a")
    # a duplicate of the same request, or a stale one, finds the state moved on
    assert not store.save_advance(simulation_id, 0, dump_state(state), 3, records, "event-b")
    stored = store.load(simulation_id)
    assert stored is not None
    assert (stored.tick, stored.horizon, stored.last_event_id) == (3, 24, "event-a")
    assert load_state(stored.state).macro == state.macro
    assert [r["tick"] for r in store.metrics(simulation_id)] == [1, 2, 3]
    assert store.metrics(simulation_id, from_tick=2) == [records[2].as_dict()]
    assert store.latest_metrics(simulation_id) == records[2].as_dict()
    assert store.tick_of(simulation_id) == 3 and store.tick_of("nope") is None


def test_policy_change_is_recorded_once(store: SqlSimulationStore) -> None:
    params = SimulationParams(households=500, seed=2)
    simulation_id = f"pol-{id(store)}"
    store.create(simulation_id, params, None, dump_state(initial_state(params)), 0)
    changed = params.with_policy_changes({"fiscal": {"basic_income": 0.1}})
    change = {"fiscal": {"basic_income": 0.1}}
    assert store.apply_policy(simulation_id, changed, change, "e1")
    assert not store.apply_policy(simulation_id, changed, change, "e1")
    assert not store.apply_policy("missing", changed, change, "e2")
    stored = store.load(simulation_id)
    assert stored is not None and stored.params.policy.fiscal.basic_income == 0.1
    [entry] = store.policy_changes(simulation_id)
    assert entry["tick"] == 0 and entry["event_id"] == "e1"
