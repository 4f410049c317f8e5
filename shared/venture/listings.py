"""The shapes of the venture lists: sectors, the caller's datasets and reports."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from shared.api.pagination import NEXT_CURSOR_DESCRIPTION
from shared.venture.sectors import Region, SectorSummary, SourceRef

ReportStatus = Literal["queued", "running", "completed", "failed"]
REPORT_STATUS_DESCRIPTION = (
    "queued (accepted, no step done yet), running (some steps done), completed (the "
    "report is ready), failed (see `error` on the report)"
)


class RegionsProxy(BaseModel):
    shares: dict[Region, float] = Field(
        description="Each region's share of world GDP, fractions adding to 1"
    )
    source: SourceRef = Field(description="Where the shares come from")
    note: str = Field(description="When these shares are used")


class SectorList(BaseModel):
    count: int = Field(description="How many sectors matched (all are listed: no paging)")
    total_market_size_usd: float = Field(
        description="Sum of the market sizes of the matched sectors that have no parent, in "
        "US dollars per year; a child is part of its parent, so it is not added again"
    )
    total_basis: str = Field(description="How `total_market_size_usd` was added up")
    sectors: list[SectorSummary] = Field(description="The sectors that matched the query")
    regions_proxy: RegionsProxy = Field(
        description="The regional split used for sectors whose source gives none "
        "(`regions_basis` = gdp_proxy)"
    )
    naics_edition: str = Field(description="The NAICS edition the codes and titles are from")


class DatasetSummary(BaseModel):
    id: str = Field(description="The dataset's id, as `dataset` in a market analysis")
    name: str = Field(description="The name given at upload")
    sectors: list[str] = Field(description="The ids of the sectors it holds, in upload order")
    created_at: str = Field(description="When it was uploaded (ISO 8601, UTC)")


class DatasetCreated(BaseModel):
    id: str = Field(description="The new dataset's id, as `dataset` in a market analysis")
    name: str = Field(description="The name given at upload")
    sectors: list[str] = Field(description="The ids of the sectors it holds, in upload order")


class DatasetList(BaseModel):
    datasets: list[DatasetSummary] = Field(description="This page of your datasets, newest first")
    next_cursor: str | None = Field(description=NEXT_CURSOR_DESCRIPTION)


class ReportSummary(BaseModel):
    id: str = Field(description="The report's id, for `GET /v1/venture/reports/{report_id}`")
    title: str = Field(description="The title given when it was requested")
    status: ReportStatus = Field(description=REPORT_STATUS_DESCRIPTION)
    requested_at: str = Field(description="When it was requested (ISO 8601, UTC)")


class ReportList(BaseModel):
    reports: list[ReportSummary] = Field(description="This page of your reports, newest first")
    next_cursor: str | None = Field(description=NEXT_CURSOR_DESCRIPTION)
