"""Operational endpoints: liveness, readiness, metrics, the API description."""

from __future__ import annotations

import html
import json
from typing import Any, Literal

from pydantic import BaseModel, Field

from shared import __version__
from shared.api.spec import ApiRequest, Reply, Route
from shared.errors import Unavailable
from shared.observability.metrics import exposition


class Health(BaseModel):
    status: Literal["ok"]
    version: str


class Readiness(BaseModel):
    """Only the verdict: which backend fails, and how, is for admins (`backend_readiness`)."""

    status: Literal["ready"]


class BackendReadiness(BaseModel):
    status: Literal["ready", "unavailable"]
    checks: dict[str, str] = Field(
        description='Each backend port: "ok", or "unavailable: <error class>".'
    )


def health(_: ApiRequest) -> Health:
    # Liveness only: no I/O, so it answers in well under 10 ms even when a backend is down.
    return Health(status="ok", version=__version__)


def ready(req: ApiRequest) -> Readiness:
    # For Cloud Run and `make run` callers only (the edge refuses /ready): 200 or 503.
    checks = req.platform.readiness()
    if any(v != "ok" for v in checks.values()):
        raise Unavailable("a backend is unavailable", problem="not-ready", retry_after=5)
    return Readiness(status="ready")


def backend_readiness(req: ApiRequest) -> BackendReadiness:
    """Every backend's check, answered 200 even when one fails: the detail is the point."""
    checks = req.platform.readiness()
    ok = all(v == "ok" for v in checks.values())
    return BackendReadiness(status="ready" if ok else "unavailable", checks=checks)


def metrics(_: ApiRequest) -> Reply:
    body, content_type = exposition()
    return Reply(body=body, media_type=content_type)


def openapi(req: ApiRequest) -> dict[str, Any]:
    from shared.api.catalog import openapi_document

    return openapi_document(req.platform.settings.public_base_url or "/")


def docs(req: ApiRequest) -> Reply:
    return Reply(body=render_docs(openapi(req)), media_type="text/html; charset=utf-8")


def render_docs(doc: dict[str, Any]) -> str:
    """A self-contained reference page (no CDN: it must work offline with `make run`)."""
    rows = []
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            statuses = ", ".join(op["responses"])
            secured = " 🔒" if op.get("security") else ""
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            ref = body.get("schema", {}).get("$ref", "").rsplit("/", 1)[-1]
            rows.append(
                f"<tr><td><code>{method.upper()}</code></td><td><code>{html.escape(path)}"
                f"</code>{secured}</td><td>{html.escape(op['summary'])}</td>"
                f"<td>{html.escape(ref)}</td><td>{statuses}</td></tr>"
            )
    schemas = "".join(
        f"<details><summary><code>{html.escape(name)}</code></summary><pre>"
        f"{html.escape(json.dumps(schema, indent=2))}</pre></details>"
        for name, schema in sorted(doc["components"]["schemas"].items())
    )
    title = html.escape(doc["info"]["title"])
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        "<meta name=viewport content='width=device-width, initial-scale=1'>"
        f"<title>{title}</title><style>body{{font-family:system-ui,sans-serif;margin:2rem;"
        "max-width:72rem}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px "
        "solid #ddd;padding:.4rem;text-align:left}pre{background:#f6f8fa;padding:1rem;"
        "overflow:auto}</style></head><body>"
        f"<h1>{title} <small>{html.escape(doc['info']['version'])}</small></h1>"
        f"<p>{html.escape(doc['info']['description'])}</p>"
        "<p>Machine-readable: <a href='/openapi.json'>/openapi.json</a> (OpenAPI 3.1). "
        "Errors are <code>application/problem+json</code> (RFC 9457).</p>"
        "<table><tr><th>Method</th><th>Path</th><th>Summary</th><th>Body</th>"
        f"<th>Responses</th></tr>{''.join(rows)}</table><h2>Schemas</h2>{schemas}"
        "</body></html>"
    )


ROUTES = [
    Route("GET", "/health", health, "Liveness: the process answers", "system", response=Health),
    Route(
        "GET",
        "/ready",
        ready,
        "Readiness: every backend answers",
        "system",
        response=Readiness,
        errors=(503,),
    ),
    Route("GET", "/metrics", metrics, "Prometheus metrics", "system", media_type="text/plain"),
    Route(
        "GET",
        "/v1/admin/readiness",
        backend_readiness,
        "Each backend's readiness check",
        "admin",
        response=BackendReadiness,
        auth="admin",
        description="What /ready no longer tells anyone: which backend fails, and how.",
    ),
    Route("GET", "/openapi.json", openapi, "This API's OpenAPI 3.1 document", "system"),
    Route("GET", "/docs", docs, "API reference page", "system", media_type="text/html"),
]
