"""Impact previews as governance sees them: what the live economy is expected to do with
and without a proposal's policy change. The simulation answers it
(`shared.simulation.impact_preview.ImpactDesk`); the composition root hands it to
governance, which charges the proposer and stores the order with the proposal in one
transaction, and shows the report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol

from pydantic import BaseModel, Field

from shared.events.envelope import Event

ImpactStatus = Literal["queued", "running", "ready", "failed", "not_applicable"]
ImpactBaseline = Literal["in_force", "enacted", "superseded"]
HORIZON_YEARS = (1, 5, 10)


@dataclass(frozen=True)
class ImpactQuote:
    """What a preview of a change would run and cost now. `applicable` False: no
    preview runs (the change leaves the live policy as it is, the live economy has not
    started, or previews are off) and `reason` says which; nothing is charged."""

    applicable: bool
    reason: str
    seeds: int
    months: int
    households: int  # the live economy's size: the preview runs it as it stands
    household_months: int  # all runs together: 2 branches x seeds x households x months
    amount: int  # AIA minor units, at the simulation's price for that work


class ImpactOrder(Protocol):
    """A paid preview, ready to be stored with its proposal."""

    quote: ImpactQuote
    events: list[Event]  # what `open` staged: to publish once the transaction commits

    def open(self, proposal_id: int, title: str, transaction: Any) -> list[Event]:
        """Inside the caller's SQL transaction (its connection): admit the preview
        against the proposer's simulation limits (`TooMany`), charge them (the ledger's
        refusal propagates and rolls everything back), store the preview with the live
        economy's state as it is now, and return its first events to stage."""
        ...


class ImpactFigure(BaseModel):
    measure: str = Field(description="What is compared", examples=["unemployment_rate"])
    title: str = Field(description="The measure as people read it", examples=["Unemployment"])
    unit: str = Field(
        description="The unit of every number of this row",
        examples=["percentage points", "% of the unchanged value", "Gini points (0-100)"],
    )
    years: int = Field(description="Years after the proposal (1, 5 or 10)")
    per_seed: list[float] = Field(
        description="Changed minus unchanged for each seed, in `unit` (same seeds, same "
        "random draws in both runs: the difference is the change's alone)"
    )
    mean: float = Field(description="The mean difference over the seeds, in `unit`")
    low: float = Field(description="The smallest difference over the seeds")
    high: float = Field(description="The largest difference over the seeds")
    t_low: float | None = Field(
        description="Lower end of the 95 % t-interval of the mean; null with one seed"
    )
    t_high: float | None = Field(
        description="Upper end of the 95 % t-interval of the mean; null with one seed"
    )


class ImpactReport(BaseModel):
    proposal_id: int = Field(description="The proposal previewed")
    status: ImpactStatus = Field(
        description="queued: paid, runs not started; running: see `progress`; ready: "
        "`figures` are set; failed: the runs failed (see `reason`, `refunded`); "
        "not_applicable: no preview for this proposal (see `reason`)"
    )
    reason: str | None = Field(description="Why not applicable, or why it failed; null otherwise")
    progress: float = Field(description="Share of the simulated months done, 0 to 1")
    seeds: int = Field(description="Random seeds run, each with and without the change")
    months: int = Field(description="Months each run simulates (120: ten years)")
    households: int = Field(description="Households of the live economy the runs start from")
    from_month: int | None = Field(
        description="The live economy's month the runs start from; null when none run"
    )
    household_months: int = Field(description="The work of all runs together")
    charged_aia: str = Field(description="What the proposer paid, AIA (0 when none run)")
    refunded: bool = Field(description="True when the charge was given back (failed runs)")
    created_at: datetime | None = Field(description="When it was ordered (UTC); null if none")
    completed_at: datetime | None = Field(description="When it became ready or failed")
    figures: list[ImpactFigure] = Field(
        description="When ready: per measure and horizon, changed minus unchanged; "
        "empty otherwise (failed runs publish nothing)"
    )
    baseline: ImpactBaseline | None = Field(
        default=None,
        description="How the live economy's policy stands against the runs: in_force: the "
        "policy the runs started from still holds; enacted: this change is now in force; "
        "superseded: the policy changed otherwise since (another decision), so the figures "
        "compare with a policy no longer in force; null when nothing runs",
    )


class ImpactPreviews(Protocol):
    def quote(self, changes: dict[str, Any] | None) -> ImpactQuote:
        """What previewing `changes` to the live policy would run and cost now (None:
        any change of it, e.g. to quote the price before a proposal is written)."""
        ...

    def order(self, proposer_id: str, changes: dict[str, Any], quote: ImpactQuote) -> ImpactOrder:
        """The preview to store with a proposal (see `ImpactOrder.open`)."""
        ...

    def report(self, proposal_id: int) -> ImpactReport | None:
        """The preview of a proposal as it stands; None when none was ordered."""
        ...
