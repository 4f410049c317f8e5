"""The OpenAPI 3.1 document, generated from the route table and its pydantic models."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from shared.api.idempotency import MAX_LENGTH as MAX_KEY_LENGTH
from shared.api.pagination import PAGINATION_GUIDE
from shared.api.spec import Route

REF = "#/components/schemas/{model}"


class FieldProblem(BaseModel):
    field: str = Field(description="Dotted path of the field at fault, e.g. `policy.tax_rate`.")
    in_: Literal["body", "query", "path", "header"] = Field(
        alias="in", description="Where the field was sent"
    )
    message: str = Field(description="What is wrong with it, for a person")
    code: str = Field(
        description="What is wrong, for a program: the validation error type (e.g. "
        "`missing`, `string_too_long`), or `invalid`"
    )


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str = Field(
        description="A URI naming the kind of problem, under "
        "https://api.013a.tech/problems/ (e.g. `.../validation-error`)"
    )
    title: str = Field(description="The HTTP status's reason phrase, e.g. `Bad Request`")
    status: int = Field(description="The HTTP status code, as on the response")
    detail: str = Field(description="What went wrong this time, for a person")
    instance: str = Field(description="The path of the request that failed")
    errors: list[FieldProblem] | None = Field(
        default=None,
        description="Each field at fault (on a 400, and on refusals that name a field); "
        "absent otherwise",
    )


_WRITES = {"POST", "PUT", "PATCH", "DELETE"}
_PROBLEMS = {
    400: "Bad request: the `errors` list names each field at fault",
    401: "Not authenticated, or the credential sent is invalid",
    402: "Payment required: the wallet cannot pay for this",
    403: "Forbidden: a role or an API key scope is missing, or a rule says no",
    404: "Not found",
    409: "Conflict with the current state",
    413: "The request body is too large",
    422: "Unprocessable: well-formed but not processable",
    429: "Too many requests: retry after `Retry-After` seconds",
    503: "Unavailable for now: retry later",
}
_RETRY_AFTER = {
    "description": "Seconds to wait before retrying",
    "schema": {"type": "string", "pattern": "^[0-9]+$"},
}


def problem_statuses(route: Route) -> set[int]:
    """Every problem status the route can answer: its own, and those the HTTP edge and
    the guards answer for every route (`shared.adapters.http.app`, accounts' guards)."""
    statuses = set(route.errors)
    if route.body or route.query:
        statuses.add(400)  # validation
    # a credential, when one is sent, is checked on every route, even a public one
    statuses.add(401)
    if route.auth != "none" or route.method in _WRITES:
        statuses.add(403)  # the admin role, or an API key's read/write/admin scope
    if route.path_params:
        statuses.add(404)  # a path segment that names nothing (or cannot be routed)
    if route.reads_body:
        statuses.add(413)
    if route.throttled:
        statuses.add(429)
    return statuses


def _success(route: Route, refs: dict[Any, Any]) -> dict[str, Any]:
    if route.status == 204:
        return {"204": {"description": "Done; no content"}}
    schema = refs[(route.response, "serialization")] if route.response else {}
    content: dict[str, Any] = {route.media_type: {"schema": schema}}
    for other in route.other_media_types:
        content[other] = {"schema": {"type": "string"}}
    answers = {str(route.status): {"description": "Success", "content": content}}
    if route.replays:
        answers["200"] = {
            "description": "A repeat of a request already handled: the first answer again",
            "content": content,
        }
    return answers


def _idempotency_header(required: bool) -> dict[str, Any]:
    said = "Required." if required else "Optional: without one the request is not deduplicated."
    return {
        "name": "Idempotency-Key",
        "in": "header",
        "required": required,
        "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH},
        "description": f"{said} A name you choose for this one operation (a UUID will do): "
        "sending the same request again with the same key, after a timeout or a dropped "
        "connection, does it once and answers the first result; the same key with a "
        "different request is 409.",
        "example": "pay-grace-2026-05-01",
    }


def build_openapi(routes: list[Route], *, version: str, server: str) -> dict[str, Any]:
    models: list[tuple[type[BaseModel], JsonSchemaMode]] = [(Problem, "serialization")]
    for route in routes:
        if route.body:
            models.append((route.body, "validation"))
        if route.response:
            models.append((route.response, "serialization"))
    refs, defs = models_json_schema(models, ref_template=REF)
    schemas = defs.get("$defs", {})

    paths: dict[str, dict[str, Any]] = {}
    for route in routes:
        op: dict[str, Any] = {
            "operationId": route.operation_id,
            "summary": route.summary,
            "tags": [route.tag],
        }
        if route.description:
            op["description"] = route.description
        params = [
            {"name": p, "in": "path", "required": True, "schema": {"type": "string"}}
            for p in route.path_params
        ]
        if route.idempotency_key:
            params.append(_idempotency_header(route.idempotency_key == "required"))
        if route.query:
            query_schema = route.query.model_json_schema(ref_template=REF)
            schemas.update(query_schema.get("$defs", {}))
            for name, fld in route.query.model_fields.items():
                schema = query_schema["properties"][fld.alias or name]
                param = {
                    "name": fld.alias or name,
                    "in": "query",
                    "required": fld.is_required(),
                    "schema": schema,
                    **({"description": fld.description} if fld.description else {}),
                }
                if schema.get("deprecated"):
                    param["deprecated"] = True
                params.append(param)
        if params:
            op["parameters"] = params
        if route.body:
            media: dict[str, Any] = {"schema": refs[(route.body, "validation")]}
            examples = route.body.model_json_schema().get("examples")
            if examples:  # what Swagger UI's "try it out" starts from
                media["example"] = examples[0]
            op["requestBody"] = {"required": True, "content": {"application/json": media}}
        op["responses"] = _success(route, refs)
        if route.auth != "none":
            op["security"] = [{"bearerAuth": []}, {"apiKey": []}]
        problem = {"application/problem+json": {"schema": refs[(Problem, "serialization")]}}
        for status in sorted(problem_statuses(route)):
            answer: dict[str, Any] = {
                "description": _PROBLEMS.get(status, "Problem"),
                "content": problem,
            }
            if status == 429:
                answer["headers"] = {"Retry-After": _RETRY_AFTER}
            op["responses"][str(status)] = answer
        paths.setdefault(route.path, {})[route.method.lower()] = op

    return {
        "openapi": "3.1.0",
        "info": {
            "title": "AIA System API",
            "version": version,
            "description": "Socioeconomic simulation, venture analysis, knowledge graph, "
            "tokens and governance, email journeys and AI agents of api.013a.tech.\n\n"
            "**Errors** are `application/problem+json` (RFC 9457); a 400 lists each field at "
            "fault in `errors`.\n\n" + PAGINATION_GUIDE,
        },
        "servers": [{"url": server}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
                "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
            },
        },
    }
