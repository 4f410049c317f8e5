"""The `email-send` function's Flask application (built once per instance) over the
framework-free routes in `shared.email.steps`: the same validation and problem+json
errors as the public API."""

from __future__ import annotations

import io
from functools import lru_cache

from flask import Flask, Request, Response

from shared.adapters.http.app import create_api_app
from shared.bootstrap import current_features
from shared.email.steps import ROUTES
from shared.settings import current_settings


@lru_cache(maxsize=1)
def send_application() -> Flask:
    return create_api_app(
        ROUTES, current_features, max_request_bytes=current_settings().max_request_bytes
    )


def dispatch(request: Request) -> Response:
    # the body is read once here and handed on: functions-framework reads the outer
    # request's stream again after the call
    data = request.get_data(cache=True)
    environ = {**request.environ, "wsgi.input": io.BytesIO(data), "CONTENT_LENGTH": str(len(data))}
    app = send_application()
    with app.request_context(environ):
        return app.full_dispatch_request()
