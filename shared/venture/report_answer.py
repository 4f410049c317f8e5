"""The shape of a venture report: the assembled document its workflow stores (each
section as its own endpoint answers it) and the view GET /v1/venture/reports/{id}
answers. Stored sections are read back through these models, so a section that no
longer fits is an error, not a key missing at render time."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.api.absent import absent_when_none
from shared.venture.blueprint_answer import MvpBlueprint
from shared.venture.landscape_answer import CompetitiveLandscape
from shared.venture.listings import REPORT_STATUS_DESCRIPTION, ReportStatus
from shared.venture.market_answer import MarketAnalysis
from shared.venture.narrative import Narrative
from shared.venture.resource_answer import ResourcePlan

Step = Literal["market", "competition", "blueprint", "resources", "assemble", "complete"]


class CompetitionSkipped(BaseModel):
    """What the competition step stores when the request names no competitors."""

    skipped: Literal[True] = Field(description="Always true")
    reason: str = Field(description="Why the step was skipped")


class ReportSections(BaseModel):
    """The sections the steps computed, before the summary is written."""

    title: str = Field(description="The report's title, as requested")
    requested_at: str = Field(description="When it was requested (ISO 8601, UTC)")
    market: MarketAnalysis = Field(description="As POST /v1/venture/market-analysis answers")
    competition: CompetitiveLandscape | None = Field(
        description="As POST /v1/venture/competitive-landscape answers; null when the "
        "request named no competitors"
    )
    blueprint: MvpBlueprint = Field(description="As POST /v1/venture/mvp-blueprint answers")
    resources: ResourcePlan = Field(
        description="As POST /v1/venture/resource-plan answers, for the blueprint's effort "
        "and schedule"
    )


class VentureReport(ReportSections):
    summary: Narrative = Field(description="The executive summary and who wrote it")
    sources: list[str] = Field(description="Every source the figures cite, sorted")


class ExecutionView(BaseModel):
    id: str = Field(description="The workflow execution's id")
    state: str = Field(
        description="ACTIVE, SUCCEEDED, FAILED or CANCELLED as the workflow engine says; "
        "UNKNOWN when the engine no longer knows the execution"
    )


class VentureReportView(BaseModel):
    id: str = Field(description="The report's id")
    title: str = Field(description="The report's title, as requested")
    status: ReportStatus = Field(description=REPORT_STATUS_DESCRIPTION)
    requested_at: str = Field(description="When it was requested (ISO 8601, UTC)")
    completed_at: str | None = Field(
        description="When it completed (ISO 8601, UTC); null until then"
    )
    steps_done: list[Step] = Field(description="The workflow steps done so far, in order")
    report: VentureReport | None = Field(description="The report; null until `status` is completed")
    error: str | None = Field(
        default=None,
        exclude_if=absent_when_none,
        description="Why it failed (up to 2,000 characters); absent unless it failed",
    )
    execution: ExecutionView | None = Field(
        default=None,
        exclude_if=absent_when_none,
        description="The workflow execution while the report is not completed; absent "
        "once completed, or before the execution is known",
    )


class ReportLinks(BaseModel):
    model_config = ConfigDict(serialize_by_alias=True, validate_by_name=True)

    self_: str = Field(alias="self", description="The report's JSON: GET it until completed")
    html: str = Field(description="The report's printable page")


class ReportAccepted(BaseModel):
    id: str = Field(description="The report's id")
    status: Literal["queued"] = Field(description="Always queued: the workflow has started")
    links: ReportLinks = Field(description="Where to read it")
