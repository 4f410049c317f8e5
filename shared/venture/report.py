"""The full venture report: its request, its stored document, and the steps the
venture-report workflow runs (market -> competition -> blueprint -> resources ->
assemble -> complete). Each step is idempotent: a step whose result is stored returns
it; results are deterministic, so a step retried after a lost reply recomputes the same."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from shared.errors import Conflict, NotFound
from shared.events.envelope import new_event
from shared.ports.paid_work import PaidWork
from shared.ports.stack_advice import StackAdvisor
from shared.tenancy import OwnedCollection
from shared.venture.agent_task import report_task
from shared.venture.blueprint import MvpBlueprintRequest, build_blueprint
from shared.venture.blueprint_answer import MvpBlueprint
from shared.venture.competition import CompetitiveLandscapeRequest, analyse_landscape
from shared.venture.events import VentureReportCompleted
from shared.venture.feature import Venture
from shared.venture.landscape_answer import CompetitiveLandscape
from shared.venture.listings import ReportStatus
from shared.venture.market import MarketAnalysisRequest, analyse_market
from shared.venture.market_answer import MarketAnalysis
from shared.venture.narrative import Narrator
from shared.venture.report_answer import CompetitionSkipped, ReportSections, Step, VentureReport
from shared.venture.resource_answer import ResourcePlan
from shared.venture.resources import ResourcePlanRequest, plan_resources
from shared.venture.sectors import SectorCatalog

REPORTS = "venture_reports"
USAGE = "venture_usage"
WORKFLOW = "venture-report"
STEPS: tuple[Step, ...] = (
    "market",
    "competition",
    "blueprint",
    "resources",
    "assemble",
    "complete",
)
STORED_AS = {"assemble": "report"}  # where each step keeps its result in the document
PRICE_ITEM = "venture_report"  # what a report is charged as (settings `prices`)
Section = TypeVar("Section", bound=BaseModel)
_ID_NAMESPACE = uuid.UUID("0c4f5a52-6d1e-4d2b-9a55-3f0e5a7e0005")


class VentureReportRequest(BaseModel):
    """A venture described once: its market, competitors, MVP and funding."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "title": "Acme forecasting",
                    "market": {
                        "sector": "saas",
                        "region": "europe",
                        "segment_share": 10,
                        "reachable_share": 2,
                        "customers": 40000,
                        "price_per_year": 6000,
                        "adoption": 4,
                    },
                    "competition": {
                        "competitors": [
                            {"name": "Incumbent", "market_share": 40, "price": 9000},
                            {"name": "Challenger", "market_share": 20, "price": 5000},
                        ]
                    },
                    "blueprint": {
                        "product": {"name": "Acme", "kind": "web"},
                        "features": [{"name": "sign-up", "reach": 1000, "effort": 1}],
                    },
                    "funding_usd": 2000000,
                }
            ]
        },
    )

    title: str = Field(min_length=1, max_length=200, description="The report's title")
    market: MarketAnalysisRequest = Field(
        description="The market to size (as POST /v1/venture/market-analysis)"
    )
    competition: CompetitiveLandscapeRequest | None = Field(
        default=None,
        description="The competitors (as POST /v1/venture/competitive-landscape); null: "
        "the report has no competition section",
    )
    blueprint: MvpBlueprintRequest = Field(
        description="The MVP to plan (as POST /v1/venture/mvp-blueprint); its estimate "
        "drives the resource plan"
    )
    funding_usd: float = Field(
        ge=0, le=1e12, description="Cash available at the start, in US dollars"
    )
    overhead_percent: float = Field(
        default=20,
        ge=0,
        le=300,
        description="Costs on top of payroll, in percent of it (20 = 20 %)",
    )
    start_month: str | None = Field(
        default=None,
        pattern=r"^20\d\d-(0[1-9]|1[0-2])$",
        description="YYYY-MM the plan starts; null: the month the report is requested",
    )
    agent_id: str | None = Field(
        default=None,
        max_length=64,
        description="Run on behalf of one of your agents: the finished report is its task record",
    )


class ReportDocument(BaseModel):
    """A stored report as its steps and readers see it: the request, its progress, and
    each step's result under the step's name (the assembled report under `report`)."""

    title: str
    status: ReportStatus
    request: VentureReportRequest
    requested_at: str
    updated_at: str
    completed_at: str | None = None
    error: str | None = None
    execution_id: str | None = None
    charged_aia_minor: int = 0
    market: MarketAnalysis | None = None
    competition: CompetitiveLandscape | CompetitionSkipped | None = None
    blueprint: MvpBlueprint | None = None
    resources: ResourcePlan | None = None
    report: VentureReport | None = None

    def result_of(self, step: Step) -> BaseModel | None:
        """What a step stored, or None before it ran."""
        stored: BaseModel | None = getattr(self, STORED_AS.get(step, step), None)
        return stored


@dataclass(frozen=True)
class StepOutcome:
    """What a step call answers the workflow (its JSON is the workflow's `result`)."""

    report_id: str
    step: str
    outcome: str  # stored, computed, published, or the report's status after `fail`
    event_id: str | None = None  # `complete`: the completion event, for the workflow's answer

    def as_json(self) -> dict[str, str]:
        found = {"report_id": self.report_id, "step": self.step, "outcome": self.outcome}
        return found if self.event_id is None else {**found, "event_id": self.event_id}


def report_id_for(owner_id: str, idempotency_key: str | None) -> str:
    if idempotency_key:
        return uuid.uuid5(_ID_NAMESPACE, f"{owner_id}:{idempotency_key}").hex
    return uuid.uuid4().hex


def new_report_document(req: VentureReportRequest, now: datetime) -> dict[str, Any]:
    return {
        "title": req.title,
        "status": "queued",
        "request": req.model_dump(mode="json"),
        "requested_at": now.isoformat(),
        "updated_at": now.isoformat(),
    }


class StepOutOfOrder(Conflict):
    """A step that needs an earlier step's result first (the workflow runs them in order,
    so a retry would not help)."""


CatalogFor = Callable[[str | None], SectorCatalog]


def run_step(
    venture: Venture,
    step: str,
    report_id: str,
    owner_id: str,
    catalog_for: CatalogFor,
    advisor: StackAdvisor,
    paid_work: PaidWork,
    error: str = "",
) -> StepOutcome:
    """Run one step for one report and store its result; returns a small summary."""
    reports = OwnedCollection(venture.documents, REPORTS, owner_id)
    stored = reports.get(report_id)
    if stored is None:
        raise NotFound("venture report", report_id, detail=f"no venture report {report_id}")
    if step == "fail":
        return _fail(venture, paid_work, reports, report_id, error)
    doc = ReportDocument.model_validate(stored)
    if step == "complete":
        return _complete(venture, reports, report_id, doc)
    known = next((s for s in STEPS if s == step), None)
    if known is None:
        raise NotFound("step", step, detail=f"no step {step}")
    if doc.result_of(known) is not None:
        return StepOutcome(report_id, step, "stored")
    now = venture.clock.now()
    result = _compute(venture.narrate, known, doc, catalog_for, advisor, now)
    reports.update(
        report_id,
        {
            STORED_AS.get(known, known): result.model_dump(mode="json"),
            "status": "running",
            "updated_at": now.isoformat(),
        },
    )
    return StepOutcome(report_id, step, "computed")


def _compute(
    narrate: Narrator,
    step: Step,
    doc: ReportDocument,
    catalog_for: CatalogFor,
    advisor: StackAdvisor,
    now: datetime,
) -> BaseModel:
    request = doc.request
    if step == "market":
        catalog = catalog_for(request.market.dataset)
        return analyse_market(request.market, catalog, int(doc.requested_at[:4]))
    if step == "competition":
        if request.competition is None:
            return CompetitionSkipped(skipped=True, reason="no competitors given")
        return analyse_landscape(request.competition)
    if step == "blueprint":
        return build_blueprint(request.blueprint, advisor)
    blueprint = _require(doc.blueprint, "blueprint", step)
    if step == "resources":
        plan = ResourcePlanRequest.model_validate(
            {
                **request.blueprint.model_dump(),
                "effort_person_months": blueprint.effort_person_months,
                "schedule_months": blueprint.schedule_months,
                "funding_usd": request.funding_usd,
                "overhead_percent": request.overhead_percent,
                "start_month": request.start_month or doc.requested_at[:7],
            }
        )
        return plan_resources(plan, now.date())
    # assemble
    competition = _require(doc.competition, "competition", step)
    sections = ReportSections(
        title=request.title,
        requested_at=doc.requested_at,
        market=_require(doc.market, "market", step),
        competition=None if isinstance(competition, CompetitionSkipped) else competition,
        blueprint=blueprint,
        resources=_require(doc.resources, "resources", step),
    )
    return VentureReport(**dict(sections), summary=narrate(sections), sources=_sources(sections))


def _sources(report: ReportSections) -> list[str]:
    assumptions = [
        *report.market.assumptions,
        *report.blueprint.assumptions,
        *report.resources.assumptions,
    ]
    cited = {a.source for a in assumptions if a.source and a.source != "your input"}
    competition = report.competition
    if competition:
        guidelines = competition.guidelines
        cited |= {guidelines.edition_2023.source, guidelines.edition_2010.source}
        cited.add(competition.five_forces.overall.source)
    return sorted(cited)


def _require(section: Section | None, key: str, step: str) -> Section:
    if section is None:
        raise StepOutOfOrder(f"step {step} needs the {key} step's result first")
    return section


def _complete(
    venture: Venture, reports: OwnedCollection, report_id: str, doc: ReportDocument
) -> StepOutcome:
    report = _require(doc.report, "report", "complete")
    now = venture.clock.now().isoformat()

    def mark(tx: Any) -> dict[str, Any]:
        current = tx.get(REPORTS, report_id)
        if current.get("status") != "completed":
            current = {**current, "status": "completed", "completed_at": now, "updated_at": now}
            tx.set(REPORTS, report_id, current)
        result: dict[str, Any] = current
        return result

    current = venture.documents.run_transaction(mark)
    market, blueprint = report.market, report.blueprint
    event = new_event(
        VentureReportCompleted(
            report_id=report_id,
            owner_id=reports.owner_id,
            title=current["title"],
            sector=market.sector.id,
            region=market.region,
            tam_usd=market.tam,
            som_usd=market.som,
            effort_person_months=blueprint.effort_person_months,
            cost_usd=blueprint.cost_usd,
            summary=report.summary.text[:4000],
            requested_at=current["requested_at"],
            completed_at=current["completed_at"],
        ),
        source="venture-step",
        # the same id on every retry, so subscribers see one completion
        caused_by=f"venture-report:{report_id}:completed",
        time=venture.clock.now(),
    )
    venture.events.publish(event)
    agent_id = doc.request.agent_id
    if agent_id:
        # the agents feature records it as the agent's task (through its event)
        task = report_task(
            agent_id=agent_id,
            owner_id=reports.owner_id,
            report_id=report_id,
            som_divergence=market.reconciliation.levels.som.divergence,
            narrated_by_model=report.summary.source != "template",
            requested_at=current["requested_at"],
            completed_at=current["completed_at"],
            charged_minor=int(current.get("charged_aia_minor", 0)),
        )
        venture.events.publish(
            new_event(task, source="venture-step", caused_by=f"venture-report:{report_id}:agent")
        )
    return StepOutcome(report_id, "complete", "published", event.id)


def _fail(
    venture: Venture, paid_work: PaidWork, reports: OwnedCollection, report_id: str, error: str
) -> StepOutcome:
    now = venture.clock.now()

    def mark(tx: Any) -> str:
        current = tx.get(REPORTS, report_id)
        if current.get("status") in ("completed", "failed"):
            return str(current["status"])
        tx.set(
            REPORTS,
            report_id,
            {**current, "status": "failed", "error": error[:2000], "updated_at": now.isoformat()},
        )
        day = now.date().isoformat()
        usage = tx.get(USAGE, day) or {"day": day, "completed": 0, "failed": 0, "seconds": 0.0}
        tx.set(USAGE, day, {**usage, "failed": usage["failed"] + 1})
        return "failed"

    status = venture.documents.run_transaction(mark)
    if status == "failed":
        # a failed report gives its AIA back (keyed by the report: refunded once)
        doc = reports.get(report_id) or {}
        charged = int(doc.get("charged_aia_minor", 0))
        if charged > 0:
            paid_work.refund(reports.owner_id, PRICE_ITEM, report_id, charged)
    return StepOutcome(report_id, "fail", status)
