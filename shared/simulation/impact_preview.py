"""Impact previews of governance proposals: the live economy run forward from its state
at the proposal's creation, for ten years, with and without the proposed policy change,
over several seeds (ADR 0038).

`ImpactDesk` answers governance's `ImpactPreviews` port: it quotes a preview at the
simulation's price (2 branches x seeds x the live economy's households x 120 months),
orders one within the proposer's simulation limits, and reports it. The runs advance as
events (`impact_handlers`); what they store goes through `ImpactStore`."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol

from pydantic import ValidationError

from shared.events.envelope import Event
from shared.money import to_decimal
from shared.ports.clock import Clock
from shared.ports.impact import (
    ImpactBaseline,
    ImpactFigure,
    ImpactOrder,
    ImpactQuote,
    ImpactReport,
    ImpactStatus,
)
from shared.settings import Settings
from shared.simulation import quotas
from shared.simulation.impact_figures import MONTHS
from shared.simulation.params import SimulationParams
from shared.simulation.pricing import simulation_price
from shared.simulation.store import LIVE_ID, Admission, SimulationStore

ITEM = "impact_preview"  # the ledger's item for the charge and its refund
Branch = Literal["unchanged", "changed"]
BRANCHES: tuple[Branch, ...] = ("unchanged", "changed")


@dataclass(frozen=True)
class PreviewPlan:
    """What ordering a preview writes, with its proposal, in one transaction."""

    proposer_id: str
    changes: dict[str, Any]
    quote: ImpactQuote
    seeds: tuple[int, ...]  # empty when not applicable
    admission: Admission | None  # the proposer's simulation limits (None: nothing runs)
    created_at: datetime


@dataclass(frozen=True)
class PreviewRecord:
    proposal_id: int
    owner_id: str
    title: str
    status: ImpactStatus
    reason: str | None
    changes: dict[str, Any]
    params: SimulationParams | None  # the live economy's when ordered (None: nothing runs)
    from_tick: int | None
    seeds: tuple[int, ...]
    months: int
    households: int
    household_months: int
    charged_minor: int
    refunded: bool
    figures: list[ImpactFigure] | None
    created_at: datetime
    completed_at: datetime | None

    def params_of(self, branch: Branch, seed: int) -> SimulationParams:
        """The run's parameters: the live economy's, with the change on the changed
        branch, and the run's seed (the same in both branches: common random numbers)."""
        assert self.params is not None
        params = self.params.model_copy(update={"seed": seed})
        return params.with_policy_changes(self.changes) if branch == "changed" else params


@dataclass(frozen=True)
class RunRecord:
    proposal_id: int
    seed: int
    branch: Branch
    tick: int  # the live economy's month this run is at
    state: bytes | bytearray | memoryview  # the preview's start state until it advances
    series: Mapping[str, Sequence[float]]  # measure -> the run's months so far
    last_event_id: str | None


# builds, inside the completing transaction, the figures and the events announcing them
Completion = Callable[[PreviewRecord, list[RunRecord]], tuple[list[ImpactFigure], list[Event]]]


class ImpactStore(Protocol):
    def order(self, plan: PreviewPlan) -> ImpactOrder:
        """The order `plan` becomes: opened in the proposal's transaction."""
        ...

    def preview(self, proposal_id: int) -> PreviewRecord | None: ...

    def progress(self, proposal_id: int) -> int:
        """Months advanced so far, all runs together."""
        ...

    def run(self, proposal_id: int, seed: int, branch: Branch) -> RunRecord | None: ...

    def save_run(
        self,
        run: RunRecord,
        from_tick: int,
        event_id: str,
        at: datetime,
    ) -> bool:
        """Store `run` (its state, tick and series) only if it is still at `from_tick`
        and the preview is queued or running (which then becomes running); False and
        nothing written otherwise."""
        ...

    def complete(self, proposal_id: int, build: Completion, at: datetime) -> list[Event]:
        """When every run has reached the horizon and the preview is still running: store
        the figures `build` makes, mark it ready and stage its events, in one
        transaction; the events staged (none if it was not the completing call)."""
        ...

    def fail(self, proposal_id: int, reason: str, at: datetime, refund: bool) -> bool:
        """Mark a queued or running preview failed, with the refund of its charge when
        `refund` (the platform's failure), in one transaction; False otherwise."""
        ...


class ImpactDesk:
    """Governance's `ImpactPreviews`: quotes, orders and reports previews."""

    def __init__(
        self,
        simulations: SimulationStore,
        store: ImpactStore,
        settings: Settings,
        clock: Clock,
    ) -> None:
        self.simulations = simulations
        self.store = store
        self.settings = settings
        self.clock = clock

    def quote(self, changes: dict[str, Any] | None) -> ImpactQuote:
        seeds = self.settings.impact_preview_seeds
        live = self.simulations.record(LIVE_ID)
        households = 0 if live is None else live.params.households
        if seeds == 0:
            return _not_applicable("impact previews are off on this platform")
        if live is None or live.status == "queued":
            return _not_applicable(
                "the live economy has not started yet: there is no state to run from"
            )
        if changes is not None:
            try:
                changed = live.params.with_policy_changes(changes)
            except ValidationError:
                # checked against the default policy when proposed; the live one differs
                return _not_applicable("the live economy's policy as it stands refuses it")
            if changed == live.params:
                return _not_applicable("the change leaves the live economy's policy as it is")
        runs = 2 * seeds
        price = simulation_price(self.settings.prices, households * runs, MONTHS)
        return ImpactQuote(
            applicable=True,
            reason=f"{seeds} seeds x 2 runs of {households:,} households x {MONTHS} months",
            seeds=seeds,
            months=MONTHS,
            households=households,
            household_months=price.household_months,
            amount=price.amount,
        )

    def order(self, proposer_id: str, changes: dict[str, Any], quote: ImpactQuote) -> ImpactOrder:
        now = self.clock.now()
        live = self.simulations.record(LIVE_ID) if quote.applicable else None
        seeds = () if live is None else tuple(live.params.seed + i for i in range(quote.seeds))
        admission = (
            None
            if live is None
            else quotas.admission(quotas.limits(self.settings), quote.household_months, now)
        )
        plan = PreviewPlan(proposer_id, changes, quote, seeds, admission, now)
        return self.store.order(plan)

    def report(self, proposal_id: int) -> ImpactReport | None:
        preview = self.store.preview(proposal_id)
        if preview is None:
            return None
        total = len(preview.seeds) * 2 * preview.months
        done = self.store.progress(proposal_id) if preview.status == "running" else 0
        progress = {"ready": 1.0, "queued": 0.0}.get(preview.status, done / total if total else 0)
        return ImpactReport(
            proposal_id=proposal_id,
            status=preview.status,
            reason=preview.reason,
            progress=round(min(progress, 1.0), 4),
            seeds=len(preview.seeds),
            months=preview.months,
            households=preview.households,
            from_month=preview.from_tick,
            household_months=preview.household_months,
            charged_aia=to_decimal(preview.charged_minor),
            refunded=preview.refunded,
            created_at=preview.created_at,
            completed_at=preview.completed_at,
            figures=preview.figures if preview.status == "ready" and preview.figures else [],
            baseline=self._baseline(preview),
        )

    def _baseline(self, preview: PreviewRecord) -> ImpactBaseline | None:
        """Whether the policy the runs compared against still holds. Previews are not
        re-run when the live policy moves (that would spend compute nobody ordered), so
        a reader is told when the figures describe a policy no longer in force."""
        if preview.params is None:
            return None  # nothing ran: nothing to compare against
        live = self.simulations.record(LIVE_ID)
        if live is None:
            return None
        if live.params.policy == preview.params.policy:
            return "in_force"
        try:
            changed = preview.params_of("changed", preview.params.seed).policy
        except ValidationError:
            changed = None
        return "enacted" if live.params.policy == changed else "superseded"


def _not_applicable(reason: str) -> ImpactQuote:
    return ImpactQuote(False, reason, 0, 0, 0, 0, 0)
