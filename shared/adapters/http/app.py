"""Binds the framework-free route table (`shared.api`) to Flask: validation into
pydantic models, problem+json errors, metrics, trace-aware logs, security headers."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Sequence
from typing import Any

from flask import Flask, Response, g, request
from pydantic import BaseModel, ValidationError
from werkzeug.exceptions import HTTPException

from shared.api.problems import field_errors, validation_failed
from shared.api.spec import AnyRequest, ApiError, ApiRequest, FieldError, Reply, Route
from shared.bootstrap.features import Features
from shared.errors import DomainError
from shared.json_input import UnreadableJson, parse_json
from shared.observability import metrics
from shared.observability.logging import log_context, parse_trace

log = logging.getLogger("aia.http")
PROBLEM = "application/problem+json"
Guard = Callable[[Route, AnyRequest], None]

CORS_HEADERS = "Authorization, Content-Type, X-API-Key, Idempotency-Key, traceparent"
SECURITY_HEADERS = {
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains; preload",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


STATUS_OF_KIND = {
    "invalid": 400,
    "unauthenticated": 401,
    "payment_required": 402,
    "forbidden": 403,
    "not_found": 404,
    "conflict": 409,
    "too_many": 429,
    "unavailable": 503,
}
_TITLE_OF_KIND = {"payment_required": "Payment Required"}


def domain_problem(error: DomainError) -> ApiError:
    """The HTTP answer to a rule of the domain that said no."""
    headers: dict[str, str] = {}
    if error.kind == "unauthenticated":
        headers["WWW-Authenticate"] = "Bearer"
    if error.retry_after is not None:
        headers["Retry-After"] = str(error.retry_after)
    return ApiError(
        STATUS_OF_KIND[error.kind],
        error.detail,
        title=_TITLE_OF_KIND.get(error.kind),
        problem=error.problem,
        errors=[FieldError(error.field, error.detail, error.location)] if error.field else None,
        headers=headers,
    )


def problem_response(error: ApiError, instance: str) -> Response:
    headers = dict(error.headers)
    return Response(
        json.dumps(error.body(instance)), status=error.status, headers=headers, mimetype=PROBLEM
    )


def create_api_app(
    routes: Sequence[Route],
    features: Callable[[], Features],
    *,
    guards: Sequence[Guard] = (),
    max_request_bytes: int = 1_048_576,
    cors_origins: Sequence[str] = (),
    trusted_proxy_hops: int = 0,
) -> Flask:
    app = Flask("aia_api")
    app.config["MAX_CONTENT_LENGTH"] = max_request_bytes
    app.url_map.strict_slashes = False

    for route in routes:
        rule = route.path.replace("{", "<").replace("}", ">")
        app.add_url_rule(
            rule,
            endpoint=f"{route.method} {route.path}",
            view_func=_view(route, features, guards, trusted_proxy_hops),
            methods=[route.method],
        )

    @app.before_request
    def _start() -> None:
        g.started = time.perf_counter()
        g.trace = parse_trace(request.headers)

    @app.after_request
    def _finish(response: Response) -> Response:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        origin = request.headers.get("Origin")
        if origin and origin in cors_origins:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Expose-Headers"] = "Location, Retry-After"
            if request.method == "OPTIONS":
                response.headers["Access-Control-Allow-Methods"] = response.headers.get(
                    "Allow", "GET, POST, PUT, DELETE"
                )
                response.headers["Access-Control-Allow-Headers"] = CORS_HEADERS
                response.headers["Access-Control-Max-Age"] = "600"
        response.headers.add("Vary", "Origin")
        rule = request.url_rule.rule if request.url_rule else "unmatched"
        status = str(response.status_code)
        elapsed = time.perf_counter() - g.get("started", time.perf_counter())
        metrics.http_requests.labels(rule, request.method, status).inc()
        metrics.http_latency.labels(rule, request.method, status).observe(elapsed)
        return response

    @app.errorhandler(ApiError)
    def _api_error(error: ApiError) -> Response:
        return problem_response(error, request.path)

    @app.errorhandler(DomainError)
    def _domain_error(error: DomainError) -> Response:
        return problem_response(domain_problem(error), request.path)

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> Response:
        code = error.code or 500
        detail = {
            404: f"no resource at {request.path}",
            405: f"{request.method} is not allowed on {request.path}",
            413: f"request body exceeds {max_request_bytes} bytes",
        }.get(code, error.description or error.name)
        headers = {}
        if code == 405 and hasattr(error, "valid_methods") and error.valid_methods:
            headers["Allow"] = ", ".join(sorted(error.valid_methods))
        return problem_response(ApiError(code, detail, headers=headers), request.path)

    @app.errorhandler(Exception)
    def _unhandled(error: Exception) -> Response:
        with log_context(g.get("trace")):
            log.exception("unhandled error on %s %s", request.method, request.path)
        # Never leak the exception text: it may carry internals or secrets.
        return problem_response(
            ApiError(500, "the server could not complete the request; it has been logged"),
            request.path,
        )

    return app


def _view(
    route: Route, features: Callable[[], Features], guards: Sequence[Guard], proxy_hops: int
) -> Callable[..., Response]:
    def view(**path_params: str) -> Response:
        with log_context(g.get("trace"), route=route.path):
            # RFC 9110: a field value with NUL is rejected (it reached SQL as a key)
            _refuse_nul(dict(request.headers.items()), "header")
            api_request: AnyRequest = ApiRequest(
                features=features(),
                path_params=path_params,
                headers={k.lower(): v for k, v in request.headers.items()},
                client_ip=client_address(
                    request.headers.get("X-Forwarded-For", ""),
                    request.remote_addr,
                    proxy_hops,
                ),
                url=request.url,
                body=None,  # validated below, once the guards have let the request in
                query=None,
                raw_body=request.get_data(cache=True) if route.body or route.raw_body else b"",
            )
            for guard in guards:
                guard(route, api_request)
            if route.auth != "none":
                principal = api_request.require_principal()
                if route.auth == "admin" and not principal.is_admin:
                    raise ApiError(403, "this operation requires the admin role")
            _refuse_nul(path_params, "path")
            if route.query is not None:
                query = request.args.to_dict()
                _refuse_nul(query, "query")
                api_request.query = _validate(route.query, query, "query")
            if route.body is not None:
                api_request.body = _validate(route.body, _json_body(api_request.raw_body), "body")
            return _respond(route, route.handler(api_request))

    view.__name__ = route.operation_id
    return view


def _json_body(raw: bytes) -> Any:
    if not raw:
        raise ApiError(
            400, "a JSON request body is required", errors=[FieldError("body", "missing", "body")]
        )
    try:
        return parse_json(raw)
    except UnreadableJson as exc:
        raise validation_failed(
            [FieldError(exc.path or "body", exc.detail, "body", exc.code)],
            f"the request body cannot be used: {exc}",
        ) from None
    except ValueError as exc:
        raise ApiError(
            400,
            f"the request body is not valid JSON: {exc}",
            errors=[FieldError("body", "malformed JSON", "body", "json_invalid")],
        ) from None


def _refuse_nul(params: dict[str, str], location: str) -> None:
    """U+0000 is never part of a name, id or key, and PostgreSQL cannot hold or compare
    text with it."""
    for name, value in params.items():
        if "\x00" in name or "\x00" in value:
            raise ApiError(
                400,
                f"the {location} parameter {name!r} contains a NUL character",
                errors=[FieldError(name, "contains a NUL character", location, "string_nul")],
            )


def _validate(model: type[BaseModel], data: Any, location: str) -> BaseModel:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise validation_failed(field_errors(exc, location), what=location) from None


def _respond(route: Route, result: Any) -> Response:
    reply = result if isinstance(result, Reply) else Reply(body=result, status=route.status)
    body = reply.body
    if isinstance(body, BaseModel):
        payload: str | bytes = body.model_dump_json(by_alias=True)
    elif isinstance(body, str | bytes):
        payload = body
    elif body is None:
        payload = b""
    else:
        payload = json.dumps(body, default=str)
    media = reply.media_type if reply.media_type != "application/json" else route.media_type
    return Response(payload, status=reply.status, headers=reply.headers, content_type=media)


def client_address(forwarded: str, remote: str | None, trusted_hops: int) -> str:
    """The caller's address, read from the right of X-Forwarded-For: each trusted proxy
    appends the address it received from, so the entry `trusted_hops` places from the
    end is what the first trusted proxy saw. Everything left of it is whatever the client
    chose to send. A header too short to have passed every trusted proxy (or no trusted
    proxy at all) leaves only the direct peer."""
    hops = [part.strip() for part in forwarded.split(",")] if forwarded else []
    if trusted_hops <= 0 or len(hops) <= trusted_hops or not hops[-trusted_hops - 1]:
        return remote or "unknown"
    return hops[-trusted_hops - 1]
