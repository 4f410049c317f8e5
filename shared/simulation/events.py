"""The simulation's events. Ticks and policy changes of one simulation share its id as
ordering key, so each topic delivers them in the order they were published."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError, field_validator

from shared.events.envelope import EventData
from shared.simulation.params import SimulationParams

SIMULATION_ID = r"^[a-z0-9][a-z0-9-]{0,63}$"
# The flagship ("live") economy's simulation id: governance addresses the policy changes
# of executed proposals to it.
LIVE_ECONOMY_ID = "live"
# Months the live economy runs to settle in when it starts, and when it starts again on a
# new model (its schedule asks with the default)
LIVE_WARM_UP = 240


class SimulationTickRequested(EventData, event_type="tech.013a.simulation.tick.requested"):
    """Advance `simulation_id`, whose stored state is at `tick`, by up to `ticks` months
    (never past its horizon). A message whose `tick` is not the stored one is stale or a
    duplicate and changes nothing. A run's first request carries the `params` it starts
    from (its initial state is built from them)."""

    simulation_id: str = Field(pattern=SIMULATION_ID)
    tick: int = Field(ge=0)
    ticks: int = Field(default=1, ge=1, le=1200)
    params: SimulationParams | None = None

    def ordering_key(self) -> str:
        return self.simulation_id

    def subject(self) -> str:
        return f"simulations/{self.simulation_id}"


class DecidedBy(BaseModel):
    """The governance proposal whose execution asked for a policy change (the live
    economy's policy changes only that way). The simulation keeps it with the change, to
    say where its policy came from, and reads nothing into it."""

    proposal_id: int = Field(ge=1)
    title: str = Field(default="", max_length=200)


class SimulationPolicyChanged(EventData, event_type="tech.013a.simulation.policy.changed"):
    """Change policy parameters of a running simulation from its next tick on, e.g.
    {"fiscal": {"basic_income": 0.1}, "tokens": {"burn_rate": 0.01}}. Published by the
    owner through the API and by governance for the live economy. Changes that do not
    validate against `Policy` make the event invalid (dead-lettered, never retried)."""

    simulation_id: str = Field(pattern=SIMULATION_ID)
    changes: dict[str, dict[str, Any]]
    reason: str = Field(default="", max_length=500)
    decided_by: DecidedBy | None = None

    @field_validator("changes")
    @classmethod
    def _valid_policy(cls, changes: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        try:
            SimulationParams().with_policy_changes(changes)
        except ValidationError as exc:
            raise ValueError(f"invalid policy change: {exc}") from None
        return changes

    def ordering_key(self) -> str:
        return self.simulation_id

    def subject(self) -> str:
        return f"simulations/{self.simulation_id}"


class LiveEconomyAdvanceRequested(
    EventData, event_type="tech.013a.simulation.live.advance.requested"
):
    """The schedule's request to advance the flagship economy (created on first use
    with `households` households and a `warm_up` of months to settle in)."""

    ticks: int = Field(default=1, ge=1, le=120)
    households: int = Field(default=10_000, ge=1000, le=1_000_000)
    seed: int = Field(default=2026, ge=0)
    warm_up: int = Field(default=LIVE_WARM_UP, ge=0, le=1200)


class EconomicReportDue(EventData, event_type="tech.013a.simulation.economic_report.due"):
    """Monthly: compose the economic update from the flagship economy's latest figures
    (the email feature sends it to subscribers)."""


IMPACT_BRANCHES = ("unchanged", "changed")


class ImpactRunTickRequested(
    EventData, event_type="tech.013a.simulation.impact_run.tick.requested"
):
    """Advance one run of a proposal's impact preview (`branch` with or without the
    change, `seed`), stored at `tick`, by up to `ticks` months. A message whose `tick` is
    not the stored one is stale or a duplicate and changes nothing."""

    proposal_id: int = Field(ge=1)
    seed: int = Field(ge=0, le=2**63 - 1)
    branch: Literal["unchanged", "changed"]
    tick: int = Field(ge=0)
    ticks: int = Field(default=120, ge=1, le=1200)

    def ordering_key(self) -> str:
        return f"impact/{self.proposal_id}/{self.seed}/{self.branch}"

    def subject(self) -> str:
        return f"governance/proposals/{self.proposal_id}/impact"


class ImpactHeadline(BaseModel):
    """One line of the mail: a measure's mean difference at ten years and its range."""

    title: str = Field(max_length=100)
    unit: str = Field(max_length=100)
    mean: float
    low: float
    high: float


class ImpactPreviewReady(EventData, event_type="tech.013a.simulation.impact_preview.ready"):
    """A proposal's impact preview is ready (published once): the governance journey
    mails the voters a follow-up to the new-proposal mail."""

    proposal_id: str
    title: str = Field(default="", max_length=200)
    years: int = 10
    seeds: int = Field(ge=1)
    headlines: list[ImpactHeadline] = Field(default_factory=list, max_length=20)

    def ordering_key(self) -> str:
        return f"governance/proposals/{self.proposal_id}"

    def subject(self) -> str:
        return f"governance/proposals/{self.proposal_id}/impact"
