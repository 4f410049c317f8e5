"""The OpenAPI 3.1 document, generated from the route table and its pydantic models."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from shared.api.spec import Route

REF = "#/components/schemas/{model}"


class FieldProblem(BaseModel):
    field: str = Field(description="Dotted path of the field at fault, e.g. `policy.tax_rate`.")
    in_: Literal["body", "query", "path", "header"] = Field(alias="in")
    message: str
    code: str


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    errors: list[FieldProblem] | None = None


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
            "responses": {},
        }
        if route.description:
            op["description"] = route.description
        params = [
            {"name": p, "in": "path", "required": True, "schema": {"type": "string"}}
            for p in route.path_params
        ]
        if route.query:
            query_schema = route.query.model_json_schema(ref_template=REF)
            schemas.update(query_schema.get("$defs", {}))
            for name, fld in route.query.model_fields.items():
                schema = query_schema["properties"][name]
                params.append(
                    {
                        "name": fld.alias or name,
                        "in": "query",
                        "required": fld.is_required(),
                        "schema": schema,
                        **({"description": fld.description} if fld.description else {}),
                    }
                )
        if params:
            op["parameters"] = params
        if route.body:
            op["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": refs[(route.body, "validation")]}},
            }
        if route.response:
            content = {route.media_type: {"schema": refs[(route.response, "serialization")]}}
        else:
            content = {route.media_type: {"schema": {}}}
        op["responses"][str(route.status)] = {"description": "Success", "content": content}
        problem = {"application/problem+json": {"schema": refs[(Problem, "serialization")]}}
        statuses = set(route.errors)
        if route.body or route.query:
            statuses.add(400)
        if route.auth != "none":
            statuses |= {401, 403}
            op["security"] = [{"bearerAuth": []}, {"apiKey": []}]
        if route.rate_limit:
            statuses.add(429)
        for status in sorted(statuses):
            op["responses"][str(status)] = {"description": "Problem", "content": problem}
        paths.setdefault(route.path, {})[route.method.lower()] = op

    return {
        "openapi": "3.1.0",
        "info": {
            "title": "AIA System API",
            "version": version,
            "description": "Socioeconomic simulation, venture analysis, knowledge graph, "
            "tokens and governance, email journeys and AI agents of api.013a.tech.",
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
