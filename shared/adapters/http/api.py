"""The API function's Flask application, built once per instance."""

from __future__ import annotations

import io
from functools import lru_cache

from flask import Flask, Request, Response

from shared.adapters.http.app import create_api_app
from shared.adapters.http.catalog import all_guards, all_routes
from shared.adapters.http.pages import add_pages
from shared.bootstrap import current_features
from shared.settings import current_settings
from shared.web.catalog import all_pages


@lru_cache(maxsize=1)
def api_application() -> Flask:
    settings = current_settings()
    app = create_api_app(
        all_routes(),
        current_features,
        guards=all_guards(),
        max_request_bytes=settings.max_request_bytes,
        cors_origins=settings.cors_origins,
        trusted_proxy_hops=settings.trusted_proxy_hops,
    )
    # the web app's pages share the API's service (docs/decisions/0023-web-stack.md)
    add_pages(
        app,
        all_pages(),
        current_features,
        guards=all_guards(),
        trusted_proxy_hops=settings.trusted_proxy_hops,
        secure_cookies=settings.app_base_url.startswith("https://"),
    )
    return app


def dispatch(request: Request) -> Response:
    """Hand a functions-framework request to the API application."""
    app = api_application()
    environ = request.environ
    limit = app.config["MAX_CONTENT_LENGTH"]
    if request.content_length is None or request.content_length <= limit:
        # functions-framework reads the body again after the response (to drain the
        # connection): read it once here and give the API its own copy of the stream.
        # A body of unknown length is read one byte past the limit, which the API's own
        # check then answers with 413.
        body = (
            request.stream.read(limit + 1)
            if request.content_length is None
            else (request.get_data(cache=True))
        )
        environ = {**environ, "wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body))}
    with app.request_context(environ):
        return app.full_dispatch_request()
