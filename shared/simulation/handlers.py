"""Event handlers: advance a simulation, apply a policy change, keep the flagship
("live") economy going on the schedule, and end a run whose tick was abandoned.

The tick handler works from the request and the simulation's SQL row. It advances up to
`ticks` months from the tick a request names and saves state, metrics, tick, status and
latest figures in one transaction guarded by that tick, so a duplicate or stale request
changes nothing. Should the save commit but the delivery fail afterwards, the
redelivered request finds the state marked with its own event id and publishes the same
follow-ups again (their ids derive from it). A run that reaches its horizon on behalf of
an agent announces the agent's task. A run whose economy leaves the finite numbers
(`EconomyDiverged`) fails at once, with its refund: a redelivery would diverge again.

A state of another model than this code's (a run stored by an earlier release, see
`shared.simulation.model_version`) cannot be advanced: a run with a horizon fails at its
next tick, refunded, with the reason; the live economy starts again from this model's
initial state at its own month, with the policy in force and the usual warm-up, and the
move is recorded at that month in the same transaction as its first months on the model.
"""

from __future__ import annotations

import dataclasses
import logging
import math
from typing import Any

from pydantic import ValidationError

from shared.api.problems import field_errors
from shared.events.envelope import new_event
from shared.events.handling import HandlerContext
from shared.events.outbox import publish_staged
from shared.operations.events import DeliveryAbandoned
from shared.simulation.agent_task import run_task
from shared.simulation.checkpoints import checkpoint_interval
from shared.simulation.events import (
    LIVE_WARM_UP,
    ImpactRunTickRequested,
    LiveEconomyAdvanceRequested,
    SimulationPolicyChanged,
    SimulationTickRequested,
)
from shared.simulation.guards import EconomyDiverged
from shared.simulation.impact_handlers import fail_abandoned_impact_run
from shared.simulation.indicators import TickMetrics
from shared.simulation.layout import StateFromOtherModel, dump_state, load_state
from shared.simulation.model import advance, rng_for
from shared.simulation.model_version import MODEL_VERSION
from shared.simulation.params import SimulationParams
from shared.simulation.pricing import ITEM
from shared.simulation.state import State, initial_state
from shared.simulation.store import (
    FINISHED,
    LIVE_ID,
    SYSTEM_OWNER,
    Charge,
    ModelChange,
    SimulationRecord,
    StoredSimulation,
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


def advance_simulation(ctx: HandlerContext[SimulationTickRequested]) -> None:
    data = ctx.data
    store = ctx.features.simulations
    stored = store.load(data.simulation_id)
    if stored is None:
        log.warning("tick requested for an unknown simulation", extra=_ids(data))
        return
    if stored.tick != data.tick:
        if stored.last_event_id == ctx.event.id:
            _follow_up(ctx, stored)
        else:
            log.info(
                "stale or duplicate tick request ignored",
                extra={**_ids(data), "stored_tick": stored.tick},
            )
        return
    count = data.ticks if stored.horizon is None else min(data.ticks, stored.horizon - data.tick)
    if count <= 0:
        return
    model_change = None
    if stored.state is None:
        # the first request: the state the run starts from, built from the parameters
        # it was created with (a policy change since applies from its first month), by
        # this code's model (a run queued under an earlier model has no state to differ)
        state = initial_state(data.params or stored.params)
        store.save_initial_state(data.simulation_id, dump_state(state), MODEL_VERSION)
    else:
        try:
            state = _this_models_state(stored, stored.state)
        except StateFromOtherModel as exc:
            if stored.horizon is not None:
                # its arrays are not this model's: it ends here, refunded, and keeps
                # what it stored (state, metrics) readable
                _fail_run(ctx, stored, str(exc))
                return
            state, count = _restart_on_this_model(stored, exc), max(count, LIVE_WARM_UP)
            model_change = ModelChange(exc.produced_by, MODEL_VERSION, stored.state)
    records: list[TickMetrics] = []
    try:
        for _ in range(count):
            state, metrics = advance(
                state, stored.params, rng_for(stored.params.seed, state.tick), in_place=True
            )
            records.append(metrics)
    except EconomyDiverged as exc:
        # deterministic: a redelivery would diverge again, so the run fails now (acked)
        _fail_run(ctx, stored, str(exc))
        return
    # a figure without a value (growth in the first year, a Gini of a non-positive
    # total) is left out, not zero
    headline = {
        k: float(v)
        for k, v in records[-1].as_dict().items()
        if k in HEADLINE and v is not None and math.isfinite(v)
    }
    now = ctx.platform.clock.now()
    saved = store.save_advance(
        data.simulation_id,
        data.tick,
        dump_state(state),
        state.tick,
        records,
        ctx.event.id,
        headline,
        now,
        model_change,
    )
    if not saved:
        log.info("another delivery advanced this simulation first", extra=_ids(data))
        return
    _follow_up(ctx, dataclasses.replace(stored, tick=state.tick, updated_at=now))


def _this_models_state(stored: StoredSimulation, blob: bytes | bytearray | memoryview) -> State:
    """The stored state, if this code's model produced it: by its row (no need to read
    the blob) and by the blob's own header and arrays."""
    if stored.model_version != MODEL_VERSION:
        raise StateFromOtherModel(stored.model_version)
    return load_state(blob)


def _restart_on_this_model(stored: StoredSimulation, refused: StateFromOtherModel) -> State:
    """The live economy's fresh start on this model: its initial state from the
    parameters in force (the policy governance set stays), at the economy's own month so
    its months and their figures go on from where they were."""
    log.warning(
        "the live economy starts again on model %d: %s",
        MODEL_VERSION,
        refused,
        extra={"simulation_id": stored.simulation_id, "tick": stored.tick},
    )
    return dataclasses.replace(initial_state(stored.params), tick=stored.tick)


def _follow_up(ctx: HandlerContext[SimulationTickRequested], simulation: SimulationRecord) -> None:
    """The next months of an unfinished run; the agent's task of a finished one."""
    if simulation.horizon is None:
        return  # the live economy: its schedule asks for its months
    if not simulation.finished:
        ctx.emit(
            SimulationTickRequested(
                simulation_id=simulation.simulation_id,
                tick=simulation.tick,
                ticks=checkpoint_interval(simulation.params, simulation.horizon),
            )
        )
    elif simulation.agent_id:
        ctx.emit(
            run_task(
                agent_id=simulation.agent_id,
                owner_id=simulation.owner_id,
                simulation_id=simulation.simulation_id,
                household_months=simulation.params.households * simulation.tick,
                created_at=simulation.created_at,
                completed_at=simulation.updated_at,
                charged_minor=simulation.charged_minor,
            )
        )


def apply_policy_change(ctx: HandlerContext[SimulationPolicyChanged]) -> None:
    """New policy from the next tick on; the change is recorded with the tick it met.
    A change decided for the live economy before its schedule first started it starts
    it now (otherwise the decision would be lost)."""
    data = ctx.data
    store = ctx.features.simulations
    simulation = store.record(data.simulation_id)
    if simulation is None and data.simulation_id == LIVE_ID:
        _create_live_economy(ctx, LiveEconomyAdvanceRequested())
        simulation = store.record(LIVE_ID)
    if simulation is None:
        log.warning("policy change for an unknown simulation", extra=_ids(data))
        return
    try:
        params = simulation.params.with_policy_changes(data.changes)
    except ValidationError as exc:
        # deterministic, so no redelivery would apply it: a run accepted before a bound
        # narrowed (ADR 0036) whose policy, with these changes, is outside today's bounds.
        # The API and governance refuse such changes before publishing; this is the rest
        log.error(
            "policy change refused: %s",
            "; ".join(f"{e.field}: {e.message}" for e in field_errors(exc)),
            extra=_ids(data),
        )
        return
    store.apply_policy(
        data.simulation_id,
        params,
        data.changes,
        data.reason,
        ctx.event.id,
        ctx.platform.clock.now(),
        data.decided_by,
    )


def advance_live_economy(ctx: HandlerContext[LiveEconomyAdvanceRequested]) -> None:
    """Advance the flagship economy by the schedule's months; create it on first run."""
    data = ctx.data
    store = ctx.features.simulations
    live = store.record(LIVE_ID)
    if live is None:
        _create_live_economy(ctx, data)
        return
    if live.status == "queued":
        return  # created, but its first (warm-up) tick has not been handled yet: it will be
    ctx.emit(SimulationTickRequested(simulation_id=LIVE_ID, tick=live.tick, ticks=data.ticks))


def _create_live_economy(ctx: HandlerContext[Any], data: LiveEconomyAdvanceRequested) -> None:
    """The live economy's row and its warm-up tick in one transaction (the outbox), so a
    delivery that fails after the commit does not leave it without its first tick."""
    now = ctx.platform.clock.now()
    params = SimulationParams(households=data.households, seed=data.seed)
    first = SimulationTickRequested(
        simulation_id=LIVE_ID, tick=0, ticks=max(data.warm_up, 1), params=params
    )
    event = new_event(
        first, source=ctx.handler, caused_by=f"{ctx.event.id}:{ctx.handler}:create", time=now
    )
    live = SimulationRecord(
        simulation_id=LIVE_ID,
        owner_id=SYSTEM_OWNER,
        status="queued",
        params=params,
        horizon=None,
        tick=0,
        latest={},
        charged_minor=0,
        agent_id=None,
        household_months=None,
        created_at=now,
        updated_at=now,
    )
    if ctx.features.simulations.create(live, event):
        publish_staged(ctx.features.outbox, ctx.platform.events, [event])


def _ids(data: SimulationTickRequested | SimulationPolicyChanged) -> dict[str, Any]:
    extra: dict[str, Any] = {"simulation_id": data.simulation_id}
    if isinstance(data, SimulationTickRequested):
        extra["tick"] = data.tick
    return extra


def fail_abandoned_simulation(ctx: HandlerContext[DeliveryAbandoned]) -> None:
    """A tick that exhausted its deliveries ends its simulation: mark it failed (which
    frees its slot) and give the owner back what the run cost, in one transaction (once:
    a run already failed or completed changes no more). A run of an impact preview
    fails its preview the same way."""
    if ctx.data.event_type_abandoned == ImpactRunTickRequested.event_type:
        fail_abandoned_impact_run(ctx)
        return
    if ctx.data.event_type_abandoned != SimulationTickRequested.event_type:
        return
    try:
        request = SimulationTickRequested.model_validate_json(ctx.data.data)
    except ValidationError:
        return
    simulation = ctx.features.simulations.record(request.simulation_id)
    if simulation is None or simulation.status in FINISHED:
        return
    _fail_run(ctx, simulation, "its tick exhausted its deliveries")


def _fail_run(ctx: HandlerContext[Any], simulation: SimulationRecord, reason: str) -> None:
    """Mark the run failed with `reason` (which frees its slot) and give the owner back
    what it cost, in one transaction; once: a run already failed or completed changes no
    more."""
    refund = Charge(simulation.owner_id, ITEM, simulation.simulation_id, simulation.charged_minor)
    now = ctx.platform.clock.now()
    if ctx.features.simulations.fail(simulation.simulation_id, now, refund, reason):
        log.error(
            "simulation failed: %s",
            reason,
            extra={"simulation_id": simulation.simulation_id, "reason": reason},
        )
