"""The gate can fail: on a tiny app with a planted 5xx and a planted undocumented status,
the harness reports both (so a green gate means something)."""

from __future__ import annotations

from typing import Any, cast

from pydantic import BaseModel

from shared.adapters.http.app import create_api_app
from shared.api.openapi import build_openapi
from shared.api.spec import ApiRequest, Reply, Route
from shared.bootstrap import Features
from tests.fuzz.harness import run_fuzz


class Count(BaseModel):
    n: int = 0


def counted(req: ApiRequest) -> dict[str, int]:
    n = req.query.n
    if 1000 < n < 10**9:
        raise RuntimeError("planted bug")
    return {"n": n}


def teapot(_: ApiRequest) -> Reply:
    return Reply({"short": "and stout"}, status=418)


ROUTES = [
    Route("GET", "/counted", counted, "A 5xx for some counts", "meta", query=Count),
    Route("GET", "/teapot", teapot, "An undocumented status", "meta"),
]


def test_the_harness_reports_a_5xx_and_an_undocumented_status() -> None:
    app = create_api_app(ROUTES, lambda: cast(Features, None))
    document: dict[str, Any] = build_openapi(ROUTES, version="0", server="/")
    report = run_fuzz(
        app,
        document,
        role="meta",
        headers={},
        operation_ids={"counted", "teapot"},
        max_examples=20,
    )
    found = {(f.operation, f.check) for f in report.failures}
    assert ("GET /counted", "not_a_server_error") in found, report.describe_failures()
    assert ("GET /teapot", "status_code_conformance") in found, report.describe_failures()
    planted = next(f for f in report.failures if f.check == "not_a_server_error")
    assert "RuntimeError: planted bug" in planted.server_error
    assert report.operations == {"GET /counted", "GET /teapot"}
    assert report.requests > 0
