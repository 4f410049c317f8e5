"""What the venture API's routes and the web app's venture pages both do with a user's
reports and datasets: start a paid report, list the caller's reports and datasets, size a
market against the caller's catalogue. One home for each rule, so a page cannot charge,
store or check differently from `POST /v1/venture/reports` and its siblings."""

from __future__ import annotations

import uuid
from typing import Any

from shared.errors import Conflict, Unavailable
from shared.ports.paid_work import PaidWork
from shared.tenancy import OwnedCollection
from shared.venture import datasets as user_data
from shared.venture.feature import Venture
from shared.venture.listings import DatasetCreated, DatasetSummary, ReportSummary
from shared.venture.market import MarketAnalysisRequest, MarketInputError, analyse_market
from shared.venture.market_answer import MarketAnalysis
from shared.venture.report import (
    PRICE_ITEM,
    REPORTS,
    WORKFLOW,
    VentureReportRequest,
    new_report_document,
    report_id_for,
)

__all__ = [
    "MarketInputError",
    "add_dataset",
    "my_datasets",
    "my_reports",
    "size_market",
    "start_report",
]


def size_market(venture: Venture, owner_id: str, body: MarketAnalysisRequest) -> MarketAnalysis:
    """The market analysis against the shipped sectors or one of the owner's datasets.
    A well-formed request that cannot be answered: `MarketInputError` naming the field;
    a dataset not the owner's: `NotFound`."""
    catalog = user_data.catalog_for(venture.documents, owner_id, body.dataset)
    return analyse_market(body, catalog, venture.clock.now().year)


def start_report(
    venture: Venture,
    paid_work: PaidWork,
    owner_id: str,
    body: VentureReportRequest,
    idempotency_key: str | None = None,
) -> str:
    """Check the market now (not from inside the workflow), charge the report's price once
    (a replayed key replays the charge), store it and start its workflow; the report's id.
    Raises `MarketInputError` (field under `market`), `PaymentRequired`, `Conflict` (a key
    reused for another request) or `Unavailable` (not started: the charge is refunded)."""
    size_market(venture, owner_id, body.market)
    report_id = report_id_for(owner_id, idempotency_key)
    reports = OwnedCollection(venture.documents, REPORTS, owner_id)
    document = new_report_document(body, venture.clock.now())
    existing = reports.get(report_id)
    if existing is not None and existing["request"] != document["request"]:
        raise Conflict("this Idempotency-Key was used for a different request")
    # paid work: charged once per report (a replay of the key replays the charge)
    document["charged_aia_minor"] = paid_work.charge(owner_id, PRICE_ITEM, report_id)
    created = reports.create(report_id, document)
    if not created:
        existing = reports.get(report_id)
        if existing is None or existing["request"] != document["request"]:
            raise Conflict("this Idempotency-Key was used for a different request")
    execution_id = f"venture-report-{report_id}"
    try:
        # start (again) even on a replay: the runner starts nothing for a known id
        venture.workflows.start(
            WORKFLOW, {"report_id": report_id, "owner_id": owner_id}, execution_id=execution_id
        )
    except Exception as exc:  # any start failure is answered, and recorded on the report
        reports.update(report_id, {"status": "failed", "error": f"not started: {exc}"[:2000]})
        if document["charged_aia_minor"] > 0:
            paid_work.refund(owner_id, PRICE_ITEM, report_id, document["charged_aia_minor"])
        raise Unavailable("the report could not be started; try again later") from exc
    if created:
        reports.update(report_id, {"execution_id": execution_id})
    return report_id


def my_reports(venture: Venture, owner_id: str) -> list[ReportSummary]:
    """The owner's reports, newest first (the id orders reports of one instant)."""
    mine = OwnedCollection(venture.documents, REPORTS, owner_id)
    rows = [
        ReportSummary(id=i, title=d["title"], status=d["status"], requested_at=d["requested_at"])
        for i, d in mine.query()
    ]
    rows.sort(key=lambda r: (r.requested_at, r.id), reverse=True)
    return rows


def my_datasets(venture: Venture, owner_id: str) -> list[DatasetSummary]:
    """The owner's datasets, newest first (the id orders datasets of one instant)."""
    mine = OwnedCollection(venture.documents, user_data.DATASETS, owner_id)
    rows = [
        DatasetSummary(
            id=i,
            name=d["name"],
            sectors=[s["id"] for s in d["sectors"]],
            created_at=d["created_at"],
        )
        for i, d in mine.query()
    ]
    rows.sort(key=lambda r: (r.created_at, r.id), reverse=True)
    return rows


def add_dataset(venture: Venture, owner_id: str, upload: user_data.DatasetUpload) -> DatasetCreated:
    """Validate and store an upload; `InvalidSectorData` lists every problem."""
    sectors: list[dict[str, Any]] = user_data.parse_upload(upload)
    dataset_id = uuid.uuid4().hex
    now = venture.clock.now().isoformat()
    doc = {"name": upload.name, "format": upload.format, "sectors": sectors, "created_at": now}
    OwnedCollection(venture.documents, user_data.DATASETS, owner_id).create(dataset_id, doc)
    return DatasetCreated(id=dataset_id, name=upload.name, sectors=[s["id"] for s in sectors])
