"""The API function's Flask application, built once per instance."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from flask import Flask, Request

from shared.adapters.http.app import create_api_app
from shared.api.catalog import all_guards, all_routes
from shared.platform import current_platform
from shared.settings import current_settings


@lru_cache(maxsize=1)
def api_application() -> Flask:
    return create_api_app(
        all_routes(),
        current_platform,
        guards=all_guards(),
        max_request_bytes=current_settings().max_request_bytes,
        cors_origins=current_settings().cors_origins,
    )


def dispatch(request: Request) -> Any:
    """Hand a functions-framework request to the API application."""
    app = api_application()
    with app.request_context(request.environ):
        return app.full_dispatch_request()
