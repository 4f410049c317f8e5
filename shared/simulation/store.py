"""Where simulations live: the port the API and the handlers use, and its record types.

One SQL row per simulation holds what it is (owner, status, parameters, horizon, charge,
agent, times), where it is (current tick, latest headline figures) and its raw state;
every simulated month of metrics is a row beside it. See
docs/decisions/0004-simulation-state-layout.md. The composition root builds the store
(`Features.simulations`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Protocol

from shared.events.envelope import Event
from shared.simulation.events import DecidedBy
from shared.simulation.indicators import TickMetrics
from shared.simulation.model_version import MODEL_VERSION
from shared.simulation.params import SimulationParams

LIVE_ID = "live"
SYSTEM_OWNER = "system"

Status = Literal["queued", "running", "completed", "failed"]
FINISHED: frozenset[Status] = frozenset({"completed", "failed"})


@dataclass(frozen=True)
class Charge:
    """What a run costs its owner (`amount` AIA minor units for `item` `job_id`): the
    store posts it with the run's creation, or gives it back with its failure, in the same
    transaction. The store's adapter turns it into the ledger's posting."""

    user_id: str
    item: str
    job_id: str
    amount: int


@dataclass(frozen=True)
class SimulationRecord:
    """A simulation as its owner sees it; `tick` is its current month."""

    simulation_id: str
    owner_id: str
    status: Status
    params: SimulationParams  # in force: policy changes replace them from the next tick
    horizon: int | None  # None: runs for as long as it is advanced (the live economy)
    tick: int
    latest: Mapping[str, float]  # the headline figures of month `tick`
    charged_minor: int  # AIA minor units charged for the run (refunded if it failed)
    agent_id: str | None  # run on behalf of this agent of the owner's
    # what the run counts against its owner's daily quota; None: no limit applies (runs
    # started before the quotas, the live economy)
    household_months: int | None
    created_at: datetime
    updated_at: datetime
    # the economy model that produced the run (`shared.simulation.model_version`): a run
    # created now is this code's; rows stored before model versions read 1
    model_version: int = field(default=MODEL_VERSION, kw_only=True)
    failure_reason: str | None = field(default=None, kw_only=True)  # why it failed, if it did

    @property
    def finished(self) -> bool:
        return self.horizon is not None and self.tick >= self.horizon


@dataclass(frozen=True)
class StoredSimulation(SimulationRecord):
    """A simulation with its raw state (`shared.simulation.layout`): None until its
    first tick builds the initial state. `last_event_id` is the tick request that
    saved it."""

    state: bytes | bytearray | memoryview | None
    last_event_id: str | None


@dataclass(frozen=True)
class PolicyChangeRecord:
    """A policy change a run took, and the month it met (`tick`)."""

    event_id: str
    tick: int
    changes: dict[str, Any]  # partial policy, as `Policy.with_changes` takes it
    reason: str
    applied_at: datetime
    decided_by: DecidedBy | None = None  # the governance proposal that decided it


@dataclass(frozen=True)
class ModelChange:
    """A save that moves a simulation to another model (the live economy restarting on a
    new release's model): the version that produced the state it replaces, the version
    of the new state, and the replaced state, kept with the change (nothing stored is
    lost, though this code cannot read it)."""

    from_version: int
    to_version: int
    previous_state: bytes | bytearray | memoryview | None


@dataclass(frozen=True)
class ModelChangeRecord:
    """A recorded move to another model: from the month `tick` on, `to_version` runs."""

    tick: int
    from_version: int
    to_version: int
    changed_at: datetime


@dataclass(frozen=True)
class Usage:
    running: int  # runs started (within the stale window) and not completed or failed
    started_today: int  # household-months of the runs started since midnight UTC


@dataclass(frozen=True)
class Admission:
    """The owner's limits, checked against their usage in the transaction that records
    a new run: `check` raises (and nothing is written) when the run does not fit."""

    day_start: datetime
    running_since: datetime
    check: Callable[[Usage], None]


class SimulationStore(Protocol):
    def create(
        self,
        simulation: SimulationRecord,
        first_tick: Event,
        *,
        admission: Admission | None = None,
        charge: Charge | None = None,
    ) -> bool:
        """In one transaction: count the owner's usage and check it (`admission`, with
        no other admission of the owner in between), store the simulation, post its
        `charge` to the ledger and stage `first_tick` in the outbox. False, and nothing
        written, if the simulation exists; whatever `check` raises, or the ledger's
        refusal of the charge (`PaymentRequired`), rolls everything back."""
        ...

    def record(self, simulation_id: str) -> SimulationRecord | None: ...

    def owned(self, simulation_id: str, owner_id: str) -> SimulationRecord | None:
        """The simulation if `owner_id` owns it; another owner's reads as missing."""
        ...

    def owned_by(
        self, owner_id: str, limit: int, after: tuple[datetime, str] | None = None
    ) -> list[SimulationRecord]:
        """The owner's simulations, newest first, from those after `after` (created_at,
        simulation_id): the last of the page before."""
        ...

    def unfinished(self, limit: int) -> list[SimulationRecord]:
        """Every owner's runs queued or running (the live economy too), the oldest first:
        what an operator sees in flight."""
        ...

    def usage(self, owner_id: str, day_start: datetime, running_since: datetime) -> Usage: ...

    def load(self, simulation_id: str) -> StoredSimulation | None: ...

    def tick_of(self, simulation_id: str) -> int | None:
        """The tick a simulation is at, without reading its state."""
        ...

    def save_initial_state(
        self, simulation_id: str, state: bytes | bytearray, model_version: int = MODEL_VERSION
    ) -> bool:
        """Store the state a run starts from, once (False if it has one), and the model
        that built it (a run queued before a release starts on the release's model)."""
        ...

    def save_advance(
        self,
        simulation_id: str,
        from_tick: int,
        state: bytes | bytearray,
        tick: int,
        metrics: Sequence[TickMetrics],
        event_id: str,
        latest: Mapping[str, float],
        at: datetime,
        model_change: ModelChange | None = None,
    ) -> bool:
        """Replace the state, move to `tick` (completed at the horizon, running before
        it; a failed run stays failed) and add the metrics of ticks from_tick+1..tick, in
        one transaction, only if the stored state is still at `from_tick`; False (and
        nothing written) otherwise. With `model_change`, the same transaction sets the
        run's model version and records the change at `from_tick`."""
        ...

    def fail(
        self, simulation_id: str, at: datetime, refund: Charge | None, reason: str | None = None
    ) -> bool:
        """Mark a run that is neither completed nor failed as failed, with `reason`, and
        post its `refund`, in one transaction; False (nothing written) otherwise."""
        ...

    def metrics(
        self, simulation_id: str, from_tick: int = 0, limit: int | None = None
    ) -> list[TickMetrics]: ...

    def latest_metrics(self, simulation_id: str) -> TickMetrics | None: ...

    def apply_policy(
        self,
        simulation_id: str,
        params: SimulationParams,
        changes: dict[str, Any],
        reason: str,
        event_id: str,
        at: datetime,
        decided_by: DecidedBy | None = None,
    ) -> bool:
        """Replace the parameters used from the next tick on and record the change with
        the tick it met (and the proposal that decided it, if one did); False if this
        event was applied before (or no such simulation)."""
        ...

    def policy_changes(self, simulation_id: str) -> list[PolicyChangeRecord]:
        """The recorded changes, oldest first."""
        ...

    def last_policy_change(self, simulation_id: str) -> PolicyChangeRecord | None:
        """The change applied last, if any."""
        ...

    def model_changes(self, simulation_id: str) -> list[ModelChangeRecord]:
        """The simulation's moves to another model, oldest first (none: it has run on
        the model that created it)."""
        ...

    def import_first_release(self, simulations: Sequence[SimulationRecord]) -> int:
        """Copy simulations the first release kept as documents (see
        `shared.simulation.first_release`); the number newly copied."""
        ...
