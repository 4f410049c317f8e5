"""Governance's event handlers: the scheduled job that announces time-driven transitions
and releases locks, and what an executed proposal means for the live economy."""

from __future__ import annotations

import logging

from pydantic import ValidationError

from shared.events.envelope import EventData
from shared.events.handling import HandlerContext
from shared.governance.events import GovernanceTickRequested, ProposalExecuted
from shared.simulation.events import LIVE_ECONOMY_ID, DecidedBy, SimulationPolicyChanged

log = logging.getLogger("aia.governance")


def advance_governance(ctx: HandlerContext[GovernanceTickRequested]) -> None:
    # Idempotent in SQL (one claim per proposal and milestone, keyed ledger moves), so a
    # redelivered or overlapping tick announces nothing twice.
    done = ctx.features.governance.advance(ctx.data.limit)
    if any(done.values()):
        log.info("governance advanced", extra=done)


def apply_governance_decision(ctx: HandlerContext[EventData]) -> None:
    """An executed proposal changes the live economy's policy: it becomes the
    simulation's own policy change for the flagship economy, which the simulation applies
    between two ticks. The topic's other proposal events mean nothing here. The change's
    id derives from the proposal event's, so a redelivery asks for the same change."""
    data = ctx.data
    if not isinstance(data, ProposalExecuted) or data.target != "flagship":
        return
    try:
        change = SimulationPolicyChanged(
            simulation_id=LIVE_ECONOMY_ID,
            changes=data.changes,
            reason=f"governance proposal {data.proposal_id}: {data.title}"[:500],
            decided_by=_decided_by(data),
        )
    except ValidationError:
        log.error(
            "executed proposal carries a policy the simulation refuses; not applied",
            extra={"proposal_id": data.proposal_id},
        )
        return
    ctx.emit(change)


def _decided_by(data: ProposalExecuted) -> DecidedBy | None:
    """Proposal ids are whole numbers; an event naming another (hand-made) one still
    changes the policy, without the link."""
    raw = data.proposal_id
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 10 or int(raw) < 1:
        return None
    return DecidedBy(proposal_id=int(raw), title=data.title[:200])
