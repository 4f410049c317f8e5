"""The API's own description, served by the API: /openapi.json and the reference page.
They describe every route, so they live beside the catalog that lists them.

/docs is Swagger UI (ADR 0026): its files come from the PyPI package `swagger-ui-py`, which
`make install` installs, and are served from here, so the page works offline and under a
CSP that allows scripts from this origin only (the page's own setup is a file too)."""

from __future__ import annotations

import html
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from shared.api.spec import ApiError, ApiRequest, Reply, route

# Swagger UI's own files we serve (nothing else of the package's folder is reachable)
_VENDORED = {
    "swagger-ui.css": "text/css; charset=utf-8",
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "favicon-32x32.png": "image/png",
}
_SETUP = """window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    displayRequestDuration: true,
    persistAuthorization: false,
    tryItOutEnabled: false,
    defaultModelsExpandDepth: 0,
  });
});
"""
# Swagger UI sets style attributes (no inline script, no eval), and draws icons as data: SVG
DOCS_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
_ASSETS = "/docs/assets/"


def openapi(req: ApiRequest) -> dict[str, Any]:
    from shared.adapters.http.catalog import openapi_document

    return openapi_document(req.platform.settings.public_base_url or "/")


def docs(req: ApiRequest) -> Reply:
    title = html.escape(openapi(req)["info"]["title"])
    page = (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        "<meta name=viewport content='width=device-width, initial-scale=1'>"
        f"<title>{title} reference</title>"
        f"<link rel=stylesheet href='{_ASSETS}swagger-ui.css'>"
        f"<link rel=icon type=image/png href='{_ASSETS}favicon-32x32.png'></head><body>"
        f"<noscript><h1>{title}</h1><p>This reference needs JavaScript. The API's "
        "description is at <a href='/openapi.json'>/openapi.json</a> (OpenAPI 3.1).</p>"
        "</noscript><main id=swagger-ui></main>"
        f"<script src='{_ASSETS}swagger-ui-bundle.js'></script>"
        f"<script src='{_ASSETS}setup.js'></script></body></html>"
    )
    return Reply(
        body=page,
        media_type="text/html; charset=utf-8",
        headers={"Content-Security-Policy": DOCS_CSP},
    )


@cache
def swagger_ui_folder() -> Path:
    """Where pip put Swagger UI's files (found without importing the package's Python)."""
    spec = find_spec("swagger_ui")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("swagger-ui-py is not installed: run `make install`")
    return Path(next(iter(spec.submodule_search_locations))) / "static"


def docs_asset(req: ApiRequest) -> Reply:
    name = req.path_params["name"]
    cached = {"Cache-Control": "public, max-age=3600"}
    if name == "setup.js":
        return Reply(body=_SETUP, media_type="text/javascript; charset=utf-8", headers=cached)
    if name not in _VENDORED:
        raise ApiError(404, f"no asset {name!r}")
    body = (swagger_ui_folder() / name).read_bytes()
    return Reply(body=body, media_type=_VENDORED[name], headers=cached)


ROUTES = [
    route("GET", "/openapi.json", openapi, "This API's OpenAPI 3.1 document", "system"),
    route(
        "GET",
        "/docs",
        docs,
        "Interactive API reference (Swagger UI)",
        "system",
        media_type="text/html",
    ),
    route(
        "GET",
        _ASSETS + "{name}",
        docs_asset,
        "A file of the reference page (Swagger UI's script and style, served from here)",
        "system",
        media_type="text/javascript",
        other_media_types=("text/css", "image/png"),
        errors=(404,),
    ),
]
