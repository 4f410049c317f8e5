"""A venture report's page (the "report ready" email links here): its owner's report,
read as `GET /v1/venture/reports/{id}` reads it; anyone else's reads as missing."""

from __future__ import annotations

from shared.errors import NotFound
from shared.tenancy import OwnedCollection
from shared.venture.api import report_view
from shared.venture.report import REPORTS, ReportDocument
from shared.web.account_pages import sign_in_first
from shared.web.charts import chart_data, series
from shared.web.render import render_page
from shared.web.spec import Page, PageReply, PageRequest


def venture_report(req: PageRequest) -> PageReply:
    report_id = req.path_params["report_id"]
    if req.principal is None:
        return sign_in_first(req, f"/venture/reports/{report_id}", "this venture report")
    venture = req.features.venture
    try:
        stored = OwnedCollection(venture.documents, REPORTS, req.principal).require(
            report_id, "venture report"
        )
    except NotFound:
        return not_found(req, "No venture report of yours has this address.")
    view = report_view(report_id, ReportDocument.model_validate(stored), None).model_dump(
        mode="json"
    )
    report = view["report"]
    levels = None
    if report is not None:
        market = report["market"]
        sizes = [market["tam"], market["sam"], market["som"]]
        levels = chart_data(["TAM", "SAM", "SOM"], "Level", [series("Market size", sizes, "USD")])
    html = render_page(
        "report.html.j2",
        title=view["title"],
        view=view,
        report=report,
        levels_chart=levels,
        charts=levels is not None,
        when=_when,
        user=req.principal,
        csrf_token=req.csrf_token,
    )
    return PageReply(html)


def _when(stamp: str | None) -> str:
    """An ISO 8601 UTC time as people read it: 2026-12-06 15:18 UTC."""
    return "" if not stamp else stamp[:16].replace("T", " ") + " UTC"


def not_found(req: PageRequest, detail: str) -> PageReply:
    html = render_page(
        "message.html.j2",
        title="Not found",
        message=detail,
        user=req.principal,
        csrf_token=req.csrf_token,
    )
    return PageReply(html, status=404)


PAGES = [Page("/venture/reports/{report_id}", venture_report)]
