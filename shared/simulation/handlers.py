"""Event handlers: advance a simulation, record its progress, apply a policy change,
and keep the flagship ("live") economy going on the schedule.

The tick handler owns the SQL state. It advances up to `ticks` months from the tick a
request names and saves state and metrics in one transaction guarded by that tick,
so a duplicate or stale request changes nothing. Should the save commit but the
delivery fail afterwards, the redelivered request finds the state marked with its
own event id and publishes the same follow-ups again (their ids derive from it).
"""

from __future__ import annotations

import logging
from typing import Any

from pydantic import ValidationError

from shared.agents.observed_work import simulation_task
from shared.events.handling import HandlerContext
from shared.ledger.pricing import refund_for
from shared.operations.events import DeliveryAbandoned
from shared.simulation.events import (
    LiveEconomyAdvanceRequested,
    SimulationPolicyChanged,
    SimulationTickCompleted,
    SimulationTickRequested,
)
from shared.simulation.indicators import TickMetrics
from shared.simulation.layout import dump_state, load_state, stored_size
from shared.simulation.model import advance, rng_for
from shared.simulation.params import SimulationParams
from shared.simulation.quotas import simulation_runs
from shared.simulation.state import initial_state
from shared.simulation.store import (
    COLLECTION,
    LIVE_ID,
    SYSTEM_OWNER,
    StoredSimulation,
    simulation_store,
)

log = logging.getLogger("aia.simulation")
HEADLINE = (
    "gdp_real",
    "gdp_growth",
    "unemployment_rate",
    "inflation",
    "policy_rate",
    "gini_income",
    "mean_health",
    "aia_velocity",
)
MAX_HOUSEHOLD_TICKS_PER_MESSAGE = 2_000_000  # about 0.3 s of compute per delivery
MAX_TICKS_PER_MESSAGE = 120
# Every save writes the whole state (about 43 B per household). All the saves of one run,
# its initial state included, stay under this many bytes: 1M households x 2,400 months
# save 12 times (512 MB), not 1,201 times (51 GB).
STATE_BYTES_PER_RUN = 512 * 2**20
# ... while one message computes at most this much: about 40 s at 8M household-months
# per second, well inside the tick function's 300 s timeout and ack deadline.
MAX_HOUSEHOLD_TICKS_PER_CHECKPOINT = 300_000_000
MAX_TICKS_PER_REQUEST = 1200  # SimulationTickRequested.ticks' bound


def checkpoint_interval(params: SimulationParams, horizon: int | None) -> int:
    """Months one message advances before it saves the state (a checkpoint). Small
    economies batch many months (delivery and the state round trip cost more than their
    tick); a run whose saves would exceed `STATE_BYTES_PER_RUN` spaces them out further.
    A delivery that fails recomputes from the last checkpoint: the months' random draws
    depend only on the seed and the tick, so the run is the same."""
    households = params.households
    interval = max(1, min(MAX_TICKS_PER_MESSAGE, MAX_HOUSEHOLD_TICKS_PER_MESSAGE // households))
    if horizon is not None:
        saves = STATE_BYTES_PER_RUN // stored_size(households, params.firms) - 1
        interval = max(interval, -(-horizon // max(saves, 1)))
    ceiling = min(MAX_HOUSEHOLD_TICKS_PER_CHECKPOINT // households, MAX_TICKS_PER_REQUEST)
    return max(1, min(interval, ceiling))


def advance_simulation(ctx: HandlerContext[SimulationTickRequested]) -> None:
    data = ctx.data
    store = simulation_store(ctx.platform)
    stored = store.load(data.simulation_id)
    if stored is None:
        if data.tick != 0:
            log.warning("tick requested for an unknown simulation", extra=_ids(data))
            return
        stored = _start(ctx)
        if stored is None:
            return
    if stored.tick != data.tick:
        if stored.last_event_id == ctx.event.id:
            _follow_up(ctx, stored.tick, stored.horizon, stored.params, _latest(ctx), 0)
        else:
            log.info(
                "stale or duplicate tick request ignored",
                extra={**_ids(data), "stored_tick": stored.tick},
            )
        return
    count = data.ticks if stored.horizon is None else min(data.ticks, stored.horizon - data.tick)
    if count <= 0:
        return
    state = load_state(stored.state)
    records: list[TickMetrics] = []
    for _ in range(count):
        state, metrics = advance(state, stored.params, rng_for(stored.params.seed, state.tick))
        records.append(metrics)
    saved = store.save_advance(
        data.simulation_id, data.tick, dump_state(state), state.tick, records, ctx.event.id
    )
    if not saved:
        log.info("another delivery advanced this simulation first", extra=_ids(data))
        return
    headline = {k: float(v) for k, v in records[-1].as_dict().items() if k in HEADLINE}
    _follow_up(ctx, state.tick, stored.horizon, stored.params, headline, count)


def _start(ctx: HandlerContext[SimulationTickRequested]) -> StoredSimulation | None:
    """The first request of a simulation creates its state from its parameters."""
    doc = ctx.tx.get(COLLECTION, ctx.data.simulation_id)
    if doc is None:
        log.warning("no simulation document for a first tick", extra=_ids(ctx.data))
        return None
    params = SimulationParams.model_validate(doc["params"])
    store = simulation_store(ctx.platform)
    store.create(
        ctx.data.simulation_id, params, doc.get("ticks"), dump_state(initial_state(params)), 0
    )
    return store.load(ctx.data.simulation_id)


def _follow_up(
    ctx: HandlerContext[SimulationTickRequested],
    tick: int,
    horizon: int | None,
    params: SimulationParams,
    headline: dict[str, float],
    advanced: int,
) -> None:
    finished = horizon is not None and tick >= horizon
    ctx.emit(
        SimulationTickCompleted(
            simulation_id=ctx.data.simulation_id,
            tick=tick,
            advanced=advanced,
            horizon=horizon,
            finished=finished,
            headline=headline,
        )
    )
    if horizon is not None and not finished:
        ctx.emit(
            SimulationTickRequested(
                simulation_id=ctx.data.simulation_id,
                tick=tick,
                ticks=checkpoint_interval(params, horizon),
            )
        )


def _latest(ctx: HandlerContext[SimulationTickRequested]) -> dict[str, float]:
    record = simulation_store(ctx.platform).latest_metrics(ctx.data.simulation_id) or {}
    return {k: float(v) for k, v in record.items() if k in HEADLINE}


def record_progress(ctx: HandlerContext[SimulationTickCompleted]) -> None:
    """Keep the simulation's document (what the API reads) in step with its state; a
    finished run frees its owner's slot (every delivery: freeing twice changes nothing)."""
    data = ctx.data
    if data.finished:
        simulation_runs(ctx.platform).finish(data.simulation_id, ctx.platform.clock.now())
    doc = ctx.tx.get(COLLECTION, data.simulation_id)
    if doc is None or int(doc.get("current_tick", 0)) >= data.tick:
        return  # gone, or an older completion arriving late
    now = ctx.platform.clock.now().isoformat()
    status = "completed" if data.finished else "running"
    updated = {
        **doc,
        "current_tick": data.tick,
        "status": status,
        "latest": data.headline,
        "updated_at": now,
    }
    if data.finished:
        updated["completed_at"] = now
        if doc.get("agent_id"):
            params = doc.get("params", {})
            ctx.emit(
                simulation_task(
                    agent_id=doc["agent_id"],
                    owner_id=str(doc.get("owner_id", "")),
                    simulation_id=data.simulation_id,
                    household_months=int(params.get("households", 0)) * data.tick,
                    created_at=doc.get("created_at", now),
                    completed_at=now,
                    charged_minor=int(doc.get("charged_aia_minor", 0)),
                )
            )
    ctx.tx.set(COLLECTION, data.simulation_id, updated)


def apply_policy_change(ctx: HandlerContext[SimulationPolicyChanged]) -> None:
    """New policy from the next tick on; the change is recorded with the tick it met."""
    data = ctx.data
    store = simulation_store(ctx.platform)
    stored = store.load(data.simulation_id)
    doc = ctx.tx.get(COLLECTION, data.simulation_id)
    if stored is None or doc is None:
        log.warning("policy change for an unknown simulation", extra=_ids(data))
        return
    params = stored.params.with_policy_changes(data.changes)
    store.apply_policy(data.simulation_id, params, data.changes, ctx.event.id)
    history: list[dict[str, Any]] = list(doc.get("policy_changes", []))
    if not any(entry.get("event_id") == ctx.event.id for entry in history):
        history.append(
            {
                "event_id": ctx.event.id,
                "tick": stored.tick,
                "changes": data.changes,
                "reason": data.reason,
            }
        )
    ctx.tx.set(
        COLLECTION,
        data.simulation_id,
        {**doc, "params": params.model_dump(mode="json"), "policy_changes": history[-50:]},
    )


def advance_live_economy(ctx: HandlerContext[LiveEconomyAdvanceRequested]) -> None:
    """Advance the flagship economy by the schedule's months; create it on first run."""
    data = ctx.data
    doc = ctx.tx.get(COLLECTION, LIVE_ID)
    if doc is None:
        params = SimulationParams(households=data.households, seed=data.seed)
        now = ctx.platform.clock.now().isoformat()
        ctx.tx.create(
            COLLECTION,
            LIVE_ID,
            {
                "owner_id": SYSTEM_OWNER,
                "name": "The live economy",
                "params": params.model_dump(mode="json"),
                "ticks": None,
                "status": "running",
                "current_tick": 0,
                "created_at": now,
                "updated_at": now,
            },
        )
        ctx.emit(SimulationTickRequested(simulation_id=LIVE_ID, tick=0, ticks=max(data.warm_up, 1)))
        return
    tick = simulation_store(ctx.platform).tick_of(LIVE_ID)
    if tick is None:
        # created, but its first (warm-up) tick has not been handled yet: it will be
        return
    ctx.emit(SimulationTickRequested(simulation_id=LIVE_ID, tick=tick, ticks=data.ticks))


def _ids(data: SimulationTickRequested | SimulationPolicyChanged) -> dict[str, Any]:
    extra: dict[str, Any] = {"simulation_id": data.simulation_id}
    if isinstance(data, SimulationTickRequested):
        extra["tick"] = data.tick
    return extra


def fail_abandoned_simulation(ctx: HandlerContext[DeliveryAbandoned]) -> None:
    """A tick that exhausted its deliveries ends its simulation: mark it failed, free its
    slot and give the owner back what the run cost (keyed by the simulation: refunded
    once)."""
    if ctx.data.event_type_abandoned != SimulationTickRequested.event_type:
        return
    try:
        request = SimulationTickRequested.model_validate_json(ctx.data.data)
    except ValidationError:
        return
    simulation_runs(ctx.platform).finish(request.simulation_id, ctx.platform.clock.now())
    doc = ctx.tx.get(COLLECTION, request.simulation_id)
    if doc is None or doc.get("status") in ("completed", "failed"):
        return
    refund_for(
        ctx.platform,
        str(doc.get("owner_id", "")),
        "simulation",
        request.simulation_id,
        int(doc.get("charged_aia_minor", 0)),
    )
    now = ctx.platform.clock.now().isoformat()
    ctx.tx.set(
        COLLECTION,
        request.simulation_id,
        {**doc, "status": "failed", "error": ctx.data.reason, "updated_at": now},
    )
    log.error("simulation failed", extra={"simulation_id": request.simulation_id})
