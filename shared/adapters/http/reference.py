"""The API's own description, served by the API: /openapi.json and the reference page.
They describe every route, so they live beside the catalog that lists them."""

from __future__ import annotations

import html
import json
from typing import Any

from shared.api.spec import ApiRequest, Reply, route


def openapi(req: ApiRequest) -> dict[str, Any]:
    from shared.adapters.http.catalog import openapi_document

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
    route("GET", "/openapi.json", openapi, "This API's OpenAPI 3.1 document", "system"),
    route("GET", "/docs", docs, "API reference page", "system", media_type="text/html"),
]
