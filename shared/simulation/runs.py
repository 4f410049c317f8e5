"""Starting a simulation, quoting one and changing a run's policy: what `POST
/v1/simulations`, `GET /v1/simulations/quote` and `POST /v1/simulations/{id}/policy` do,
and the web app's /simulations/new and run pages with them (one home for the price, the
user's limits, the charge, the first tick and the policy-change rules)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from shared.errors import Conflict
from shared.events.envelope import new_event
from shared.events.outbox import Outbox, publish_staged
from shared.platform import Platform
from shared.simulation import quotas
from shared.simulation.checkpoints import checkpoint_interval
from shared.simulation.events import SimulationPolicyChanged, SimulationTickRequested
from shared.simulation.params import SimulationParams
from shared.simulation.pricing import ITEM, SimulationPrice, simulation_price
from shared.simulation.store import Charge, SimulationRecord, SimulationStore, Usage


@dataclass(frozen=True)
class Started:
    simulation_id: str
    price: SimulationPrice


@dataclass(frozen=True)
class Quote:
    price: SimulationPrice
    usage: Usage
    limits: quotas.Limits


def start_run(
    platform: Platform,
    store: SimulationStore,
    outbox: Outbox,
    user_id: str,
    params: SimulationParams,
    ticks: int,
    agent_id: str | None = None,
) -> Started:
    """Store a run of `params` for `ticks` months, charged to `user_id`, and request its
    first months. In one transaction: counted against the user's limits (`TooMany`),
    paid for (`PaymentRequired`), stored and its first tick staged; on any failure
    nothing is written."""
    simulation_id = str(uuid.uuid4())
    now = platform.clock.now()
    price = simulation_price(platform.settings.prices, params.households, ticks)
    simulation = SimulationRecord(
        simulation_id=simulation_id,
        owner_id=user_id,
        status="queued",
        params=params,
        horizon=ticks,
        tick=0,
        latest={},
        charged_minor=price.amount,
        agent_id=agent_id,
        household_months=price.household_months,
        created_at=now,
        updated_at=now,
    )
    first_tick = new_event(
        SimulationTickRequested(
            simulation_id=simulation_id,
            tick=0,
            ticks=checkpoint_interval(params, ticks),
            params=params,
        ),
        source="api",
    )
    store.create(
        simulation,
        first_tick,
        admission=quotas.admission(quotas.limits(platform.settings), price.household_months, now),
        charge=Charge(user_id, ITEM, simulation_id, price.amount),
    )
    publish_staged(outbox, platform.events, [first_tick])
    return Started(simulation_id, price)


def quote_run(
    platform: Platform, store: SimulationStore, user_id: str, households: int, ticks: int
) -> Quote:
    """What a run of this size would cost `user_id` now, and their limits and usage."""
    return Quote(
        price=simulation_price(platform.settings.prices, households, ticks),
        usage=quotas.usage(store, user_id, platform.clock.now()),
        limits=quotas.limits(platform.settings),
    )


def change_policy(
    platform: Platform,
    simulation: SimulationRecord,
    changes: dict[str, dict[str, Any]],
    reason: str = "",
) -> str:
    """Ask for `changes` to `simulation`'s policy from its next month; the id of the
    policy-change event. A completed run takes none (`Conflict`); changes that do not
    validate against the run's policy raise `pydantic.ValidationError` and publish nothing.
    The caller has checked the run is the user's."""
    if simulation.status == "completed":
        raise Conflict("the simulation has reached its horizon")
    simulation.params.with_policy_changes(changes)
    event = new_event(
        SimulationPolicyChanged(
            simulation_id=simulation.simulation_id, changes=changes, reason=reason
        ),
        source="api",
    )
    platform.events.publish(event)
    return event.id
