"""Where simulations live: the port the handlers and the API use, and how to get it.

The state blob (up to ~45 MB at a million households, over Firestore's 1 MiB document
limit) and the per-tick metrics are rows in SQL (Cloud SQL PostgreSQL in production,
the embedded SQLite file locally); see docs/decisions/0004-simulation-state-layout.md.
The simulation's metadata (owner, status, parameters) is a document, read through
`OwnedCollection` so another user's simulation reads as missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from shared.platform import Platform
from shared.simulation.indicators import TickMetrics
from shared.simulation.params import SimulationParams

COLLECTION = "simulations"
LIVE_ID = "live"
SYSTEM_OWNER = "system"


@dataclass(frozen=True)
class StoredSimulation:
    simulation_id: str
    tick: int
    horizon: int | None  # None: runs for as long as it is advanced (the live economy)
    params: SimulationParams
    state: bytes | bytearray | memoryview
    last_event_id: str | None


class SimulationStore(Protocol):
    def create(
        self,
        simulation_id: str,
        params: SimulationParams,
        horizon: int | None,
        state: bytes | bytearray,
        tick: int,
    ) -> bool:
        """Store a new simulation's initial state; False if it already exists."""
        ...

    def load(self, simulation_id: str) -> StoredSimulation | None: ...

    def tick_of(self, simulation_id: str) -> int | None:
        """The tick a simulation's stored state is at, without reading the state."""
        ...

    def save_advance(
        self,
        simulation_id: str,
        from_tick: int,
        state: bytes | bytearray,
        tick: int,
        metrics: list[TickMetrics],
        event_id: str,
    ) -> bool:
        """Replace the state and add the metrics of ticks from_tick+1..tick, in one
        transaction, only if the stored state is still at `from_tick`; False (and
        nothing written) otherwise."""
        ...

    def metrics(
        self, simulation_id: str, from_tick: int = 0, limit: int | None = None
    ) -> list[dict[str, Any]]: ...

    def latest_metrics(self, simulation_id: str) -> dict[str, Any] | None: ...

    def apply_policy(
        self, simulation_id: str, params: SimulationParams, changes: dict[str, Any], event_id: str
    ) -> bool:
        """Replace the parameters used from the next tick on and record the change;
        False if this event was applied before (or the simulation does not exist)."""
        ...


def simulation_store(platform: Platform) -> SimulationStore:
    """The SQL store on the platform's database (built once per database)."""
    from shared.adapters.sql.simulation_store import store_for

    return store_for(platform.sql)
