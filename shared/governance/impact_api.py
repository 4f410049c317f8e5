"""A proposal's impact preview as the API and the pages show it: its status in a
proposal's answer, the full report (`GET /v1/governance/proposals/{id}/impact`) and the
price quoted before proposing (`GET /v1/governance/impact-quote`). The simulation makes
the preview through the `ImpactPreviews` port (ADR 0038)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from shared.money import to_decimal
from shared.ports.impact import ImpactReport, ImpactStatus

if TYPE_CHECKING:  # the root is above this layer: only its type is named here
    from shared.bootstrap.features import Features


class ImpactBrief(BaseModel):
    status: ImpactStatus = Field(
        description="queued, running, ready, failed or not_applicable (see the impact route)"
    )
    charged_aia: str = Field(description="What the proposer paid for the preview, AIA")
    reason: str | None = Field(description="Why no preview runs, or why it failed; else null")
    url: str = Field(
        description="Where its status and figures are",
        examples=["/v1/governance/proposals/1/impact"],
    )


class ImpactQuoteOut(BaseModel):
    available: bool = Field(
        description="False when no preview would run now (see `reason`): proposing then "
        "costs nothing"
    )
    reason: str = Field(description="What the preview runs, or why none would")
    price_aia: str = Field(
        description="What a proposal that changes the live policy costs its proposer now, "
        "AIA: the simulation's price for `household_months` (refunded if the runs fail "
        "through the platform's fault)"
    )
    household_months: int = Field(description="All runs together: 2 x seeds x households x months")
    seeds: int = Field(description="Random seeds, each run with and without the change")
    months: int = Field(description="Months each run simulates")
    households: int = Field(description="The live economy's households, which the runs start from")


def impact_brief(features: Features, proposal_id: int) -> ImpactBrief:
    """What a proposal's answer says of its preview."""
    report = impact_report(features, proposal_id)
    return ImpactBrief(
        status=report.status,
        charged_aia=report.charged_aia,
        reason=report.reason,
        url=f"/v1/governance/proposals/{proposal_id}/impact",
    )


def impact_report(features: Features, proposal_id: int) -> ImpactReport:
    """The proposal's impact preview; a proposal made before previews existed has none:
    not applicable."""
    found = features.impact_previews.report(proposal_id)
    if found is not None:
        return found
    return ImpactReport(
        proposal_id=proposal_id,
        status="not_applicable",
        reason="no impact preview was ordered for this proposal (proposed before previews)",
        progress=0.0,
        seeds=0,
        months=0,
        households=0,
        from_month=None,
        household_months=0,
        charged_aia=to_decimal(0),
        refunded=False,
        created_at=None,
        completed_at=None,
        figures=[],
    )


def impact_quote_of(features: Features) -> ImpactQuoteOut:
    """What a proposal's impact preview costs now (the API and the create form): the
    price depends on the live economy's size only."""
    quote = features.impact_previews.quote(None)
    return ImpactQuoteOut(
        available=quote.applicable,
        reason=quote.reason,
        price_aia=to_decimal(quote.amount),
        household_months=quote.household_months,
        seeds=quote.seeds,
        months=quote.months,
        households=quote.households,
    )
