"""The SQL store of simulations on the embedded SQLite file and on real PostgreSQL:
a save only lands on the tick it was computed from, state and metrics together; a
simulation is created with its charge and first tick or not at all; another owner's
simulation reads as missing."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from shared.adapters.sql.database import SqlAlchemyDatabase
from shared.adapters.sql.migrate import migrate
from shared.adapters.sql.outbox import SqlOutbox
from shared.adapters.sql.simulation_store import SqlSimulationStore
from shared.errors import PaymentRequired
from shared.events.envelope import Event, new_event
from shared.ledger.postings import ISSUANCE, movement, user_owner
from shared.money import Token
from shared.simulation.events import SimulationTickRequested
from shared.simulation.layout import dump_state, load_state
from shared.simulation.model import advance, rng_for
from shared.simulation.params import SimulationParams
from shared.simulation.state import initial_state
from shared.simulation.store import Admission, Charge, ModelChange, SimulationRecord, Usage

NOW = datetime(2026, 1, 1, 9, tzinfo=UTC)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SqlSimulationStore]:
    if request.param == "sqlite":
        database = SqlAlchemyDatabase(f"sqlite:///{tmp_path / 'sim.sqlite3'}")
        migrate(database.engine)
    else:  # migrated by the session's fixture
        database = SqlAlchemyDatabase(request.getfixturevalue("postgres_url"))
    yield SqlSimulationStore(database.engine)
    database.dispose()


def _simulation(
    owner_id: str | None = None, horizon: int | None = 24, at: datetime = NOW, **changes: object
) -> SimulationRecord:
    simulation = SimulationRecord(
        simulation_id=f"sim-{uuid.uuid4()}",
        owner_id=f"user-{uuid.uuid4()}" if owner_id is None else owner_id,
        status="queued",
        params=SimulationParams(households=500, seed=1),
        horizon=horizon,
        tick=0,
        latest={},
        charged_minor=0,
        agent_id=None,
        household_months=None if horizon is None else 500 * horizon,
        created_at=at,
        updated_at=at,
    )
    return dataclasses.replace(simulation, **changes)


def _first_tick(simulation: SimulationRecord) -> Event:
    request = SimulationTickRequested(
        simulation_id=simulation.simulation_id, tick=0, ticks=3, params=simulation.params
    )
    return new_event(request)


def _staged(store: SqlSimulationStore, event: Event) -> bool:
    return event.id in {e.id for e in SqlOutbox(store.engine).pending(100_000)}


def _fund(store: SqlSimulationStore, owner_id: str, amount: int) -> None:
    mint = movement("mint", ISSUANCE, user_owner(owner_id), Token.AIA, amount, f"m:{owner_id}", "t")
    store.ledger.post(mint, NOW)


def test_save_is_guarded_by_the_tick_and_writes_state_with_metrics(
    store: SqlSimulationStore,
) -> None:
    simulation = _simulation()
    simulation_id, params = simulation.simulation_id, simulation.params
    assert store.create(simulation, _first_tick(simulation))
    assert not store.create(simulation, _first_tick(simulation))
    stored = store.load(simulation_id)
    assert stored is not None and stored.state is None and stored.status == "queued"

    state = initial_state(params)
    assert store.save_initial_state(simulation_id, dump_state(state))
    assert not store.save_initial_state(simulation_id, dump_state(state))
    records = []
    for _ in range(3):
        state, metrics = advance(state, params, rng_for(params.seed, state.tick))
        records.append(metrics)
    later = NOW + timedelta(minutes=1)
    headline = {"gdp_real": records[2].gdp_real}
    assert store.save_advance(
        simulation_id, 0, dump_state(state), 3, records, "event-a", headline, later
    )
    # a duplicate of the same request, or a stale one, finds the state moved on
    assert not store.save_advance(
        simulation_id, 0, dump_state(state), 3, records, "event-b", {}, later
    )
    stored = store.load(simulation_id)
    assert stored is not None and stored.state is not None
    assert (stored.tick, stored.horizon, stored.last_event_id) == (3, 24, "event-a")
    assert (stored.status, stored.latest, stored.updated_at) == ("running", headline, later)
    assert load_state(stored.state).macro == state.macro
    assert [r.tick for r in store.metrics(simulation_id)] == [1, 2, 3]
    assert store.metrics(simulation_id, from_tick=2) == [records[2]]
    assert store.latest_metrics(simulation_id) == records[2]
    assert store.tick_of(simulation_id) == 3 and store.tick_of("nope") is None


def test_a_run_completes_at_its_horizon_and_a_failed_run_stays_failed(
    store: SqlSimulationStore,
) -> None:
    done, doomed = _simulation(horizon=2), _simulation(horizon=2)
    for simulation in (done, doomed):
        store.create(simulation, _first_tick(simulation))
    state = dump_state(initial_state(done.params))
    assert store.save_advance(done.simulation_id, 0, state, 2, [], "e1", {}, NOW)
    record = store.record(done.simulation_id)
    assert record is not None and (record.status, record.finished) == ("completed", True)
    assert not store.fail(done.simulation_id, NOW, None)  # completed: not failed after all

    assert store.fail(doomed.simulation_id, NOW, None)
    assert not store.fail(doomed.simulation_id, NOW, None)
    assert store.save_advance(doomed.simulation_id, 0, state, 2, [], "late", {}, NOW)
    record = store.record(doomed.simulation_id)
    assert record is not None and record.status == "failed"


def test_a_run_records_its_model_a_failure_its_reason_and_a_move_to_another_model(
    store: SqlSimulationStore,
) -> None:
    old, live = _simulation(model_version=1), _simulation(horizon=None, model_version=1)
    for simulation in (old, live):
        store.create(simulation, _first_tick(simulation))
    assert store.record(old.simulation_id).model_version == 1  # type: ignore[union-attr]
    # a run that never started is built by this code's model
    assert store.save_initial_state(old.simulation_id, b"state-of-model-2", model_version=2)
    assert store.record(old.simulation_id).model_version == 2  # type: ignore[union-attr]
    reason = "produced by model 1; this release runs model 2"
    assert store.fail(old.simulation_id, NOW, None, reason)
    failed = store.record(old.simulation_id)
    assert failed is not None and failed.failure_reason == reason

    # the live economy moves to model 2 in the save of its first months on it, once
    assert store.save_advance(live.simulation_id, 0, b"m1", 7, [], "e0", {}, NOW)
    later = NOW + timedelta(days=30)
    change = ModelChange(from_version=1, to_version=2, previous_state=b"m1")
    assert store.save_advance(live.simulation_id, 7, b"m2", 9, [], "e1", {}, later, change)
    assert not store.save_advance(live.simulation_id, 7, b"m2", 9, [], "e1", {}, later, change)
    moved = store.load(live.simulation_id)
    assert moved is not None and (moved.model_version, moved.tick) == (2, 9)
    assert bytes(moved.state or b"") == b"m2"
    [record] = store.model_changes(live.simulation_id)
    assert (record.tick, record.from_version, record.to_version) == (7, 1, 2)
    assert record.changed_at == later
    assert store.model_changes(old.simulation_id) == []


def test_another_owners_simulation_reads_as_missing(store: SqlSimulationStore) -> None:
    ada, bob = f"ada-{uuid.uuid4()}", f"bob-{uuid.uuid4()}"
    older = _simulation(ada)
    newer = _simulation(ada, at=NOW + timedelta(seconds=1))
    bobs = _simulation(bob)
    for simulation in (older, newer, bobs):
        store.create(simulation, _first_tick(simulation))
    assert store.owned(older.simulation_id, ada) == older
    assert store.owned(older.simulation_id, bob) is None
    assert store.owned(bobs.simulation_id, ada) is None
    assert [s.simulation_id for s in store.owned_by(ada, 10)] == [
        newer.simulation_id,
        older.simulation_id,
    ]
    assert [s.simulation_id for s in store.owned_by(bob, 10)] == [bobs.simulation_id]
    assert store.owned_by(ada, 1) == [newer]


def test_create_charges_admits_and_stages_its_first_tick_or_writes_nothing(
    store: SqlSimulationStore,
) -> None:
    owner = f"ada-{uuid.uuid4()}"
    _fund(store, owner, 15)
    admitted: list[Usage] = []

    def admission(cap: int) -> Admission:
        def check(usage: Usage) -> None:
            admitted.append(usage)
            if usage.running >= cap:
                raise RuntimeError("over the cap")

        return Admission(NOW - timedelta(hours=9), NOW - timedelta(days=1), check)

    paid = _simulation(owner, charged_minor=10)
    charge = Charge(owner, "simulation", paid.simulation_id, 10)
    first = _first_tick(paid)
    assert store.create(paid, first, admission=admission(1), charge=charge)
    assert _staged(store, first)
    assert store.ledger.balance(user_owner(owner), Token.AIA) == 5
    assert admitted == [Usage(running=0, started_today=0)]

    # the ledger refuses the charge: no row, no event, nothing counted
    broke = _simulation(owner, charged_minor=10)
    charge = Charge(owner, "simulation", broke.simulation_id, 10)
    first = _first_tick(broke)
    refusal = r"you have 0\.000005 AIA; this simulation costs 0\.00001 AIA"
    with pytest.raises(PaymentRequired, match=refusal):
        store.create(broke, first, admission=admission(5), charge=charge)
    assert store.record(broke.simulation_id) is None and not _staged(store, first)
    # over the cap: the check's error, and nothing written either
    over = _simulation(owner)
    first = _first_tick(over)
    with pytest.raises(RuntimeError, match="over the cap"):
        store.create(over, first, admission=admission(1))
    assert store.record(over.simulation_id) is None and not _staged(store, first)
    assert store.usage(owner, NOW - timedelta(hours=9), NOW - timedelta(days=1)) == Usage(
        running=1, started_today=500 * 24
    )
    assert store.ledger.balance(user_owner(owner), Token.AIA) == 5

    # failing refunds the charge in the same transaction, once
    refund = Charge(owner, "simulation", paid.simulation_id, 10)
    assert store.fail(paid.simulation_id, NOW, refund)
    assert not store.fail(paid.simulation_id, NOW, refund)
    assert store.ledger.balance(user_owner(owner), Token.AIA) == 15
    assert store.usage(owner, NOW - timedelta(hours=9), NOW - timedelta(days=1)) == Usage(
        running=0, started_today=500 * 24
    )


def test_policy_change_is_recorded_once(store: SqlSimulationStore) -> None:
    simulation = _simulation(horizon=None)
    simulation_id, params = simulation.simulation_id, simulation.params
    store.create(simulation, _first_tick(simulation))
    changed = params.with_policy_changes({"fiscal": {"basic_income": 0.1}})
    change = {"fiscal": {"basic_income": 0.1}}
    assert store.apply_policy(simulation_id, changed, change, "why", "e1", NOW)
    assert not store.apply_policy(simulation_id, changed, change, "why", "e1", NOW)
    assert not store.apply_policy("missing", changed, change, "why", "e2", NOW)
    stored = store.load(simulation_id)
    assert stored is not None and stored.params.policy.fiscal.basic_income == 0.1
    [entry] = store.policy_changes(simulation_id)
    assert (entry.tick, entry.event_id, entry.reason) == (0, "e1", "why")
    assert entry.changes == change


def test_first_release_simulations_are_copied_once(store: SqlSimulationStore) -> None:
    """A document's row exists (it ran) or not (its first tick never came): either way
    the row gets the document's owner, charge and times, once."""
    owner = f"ada-{uuid.uuid4()}"
    ran = _simulation("", horizon=3)  # as migration 0009 leaves a first-release row
    store.create(ran, _first_tick(ran))
    state = dump_state(initial_state(ran.params))
    assert store.save_advance(ran.simulation_id, 0, state, 3, [], "e", {}, NOW)
    documents = [
        dataclasses.replace(ran, owner_id=owner, status="running", charged_minor=7, tick=2),
        _simulation(owner, status="failed", charged_minor=3),
    ]
    assert store.import_first_release(documents) == 2
    assert store.import_first_release(documents) == 0
    copied = store.owned(ran.simulation_id, owner)
    assert copied is not None
    # the row's tick decides where it is: the document's status lagged behind
    assert (copied.status, copied.tick, copied.charged_minor) == ("completed", 3, 7)
    never = store.load(documents[1].simulation_id)
    assert never is not None and never.owner_id == owner
    assert (never.status, never.tick, never.state) == ("failed", 0, None)
