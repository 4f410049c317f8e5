"""The live economy's policy as it stands, and the change that last moved it: what
`GET /v1/economy/policy` answers, so an executed governance proposal can be seen taking
effect. Before the schedule first starts the live economy, the policy it will start
with."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from shared.simulation.params import Policy, SimulationParams
from shared.simulation.store import LIVE_ID, PolicyChangeRecord, SimulationStore


class PolicyProposal(BaseModel):
    id: int = Field(description="The governance proposal whose execution made the change")
    title: str = Field(description="The proposal's title")
    url: str = Field(description="The proposal in the API", examples=["/v1/governance/proposals/1"])


class LastPolicyChange(BaseModel):
    applied_at: datetime = Field(description="When the live economy took the change (UTC)")
    from_month: int = Field(description="The live economy's month the change met")
    changes: dict[str, dict[str, Any]] = Field(
        description='The fields it changed, e.g. {"monetary": {"inflation_target": 0.03}}'
    )
    reason: str = Field(description="Why, as recorded with the change")
    proposal: PolicyProposal | None = Field(
        description="The proposal that decided it (null for changes older than the link)"
    )


class EconomyPolicy(BaseModel):
    simulation_id: str = Field(description="The live economy's simulation id (`live`)")
    started: bool = Field(
        description="False until the live economy's first scheduled run (or a decided "
        "change) starts it: `policy` is then the one it starts with"
    )
    policy: Policy = Field(description="In force from the live economy's next month on")
    changed_by_proposal: PolicyProposal | None = Field(
        description="The proposal that last changed this policy; null if none has"
    )
    last_change: LastPolicyChange | None = Field(
        description="The last recorded change; null if none"
    )


def live_policy(store: SimulationStore) -> EconomyPolicy:
    live = store.record(LIVE_ID)
    change = store.last_policy_change(LIVE_ID) if live is not None else None
    last = None if change is None else _last_change(change)
    return EconomyPolicy(
        simulation_id=LIVE_ID,
        started=live is not None,
        policy=(live.params if live is not None else SimulationParams()).policy,
        changed_by_proposal=None if last is None else last.proposal,
        last_change=last,
    )


def _last_change(change: PolicyChangeRecord) -> LastPolicyChange:
    decided = change.decided_by
    proposal = (
        None
        if decided is None
        else PolicyProposal(
            id=decided.proposal_id,
            title=decided.title,
            url=f"/v1/governance/proposals/{decided.proposal_id}",
        )
    )
    return LastPolicyChange(
        applied_at=change.applied_at,
        from_month=change.tick,
        changes=change.changes,
        reason=change.reason,
        proposal=proposal,
    )
