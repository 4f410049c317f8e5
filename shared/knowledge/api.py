"""HTTP routes of the knowledge graph.

Auth: the graph is reference data (no tenant's data in it), so the GET lookups are
public (`auth="none"`, rate-limited like every route); the POST queries compute per
request and need a user (`auth="user"`); imports and removals change the graph for
everyone and need an admin."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model, field_validator

from shared.api.pagination import NEXT_CURSOR_DESCRIPTION, OffsetPageQuery, slice_page
from shared.api.spec import AnyRequest, ApiError, ApiRequest, FieldError, Reply, route
from shared.errors import NotFound
from shared.knowledge.compatibility import compatibility
from shared.knowledge.importer import ImportRejected, Problem, parse_import
from shared.knowledge.index import GraphIndex, GraphStats
from shared.knowledge.lookup import (
    AmbiguousNode,
    find_nodes,
    node_detail,
    node_index,
    path_between,
)
from shared.knowledge.model import ALL_EDGE_KINDS, NodeKind
from shared.knowledge.pathways import UnknownTarget, plan
from shared.knowledge.pitfalls import pitfalls
from shared.knowledge.provenance import RegistryMatch, RegistrySummary
from shared.knowledge.schemas import (
    CompatibilityReport,
    CompatibilityRequest,
    GraphPath,
    Neighbors,
    NodeDetail,
    NodeList,
    Pathway,
    PathwaysRequest,
    PitfallReport,
    PitfallsRequest,
)
from shared.knowledge.stack import StackProblems
from shared.knowledge.traverse import neighbors

TAG = "knowledge-graph"


class NodeQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: NodeKind | None = Field(default=None, description="Only nodes of this kind")
    q: str | None = Field(default=None, max_length=120, description="Name, id or alias.")
    limit: int = Field(default=20, ge=1, le=100, description="Most nodes to return")


def _edge_kinds(value: str | None) -> list[str]:
    kinds = [k.strip() for k in (value or "").split(",") if k.strip()]
    unknown = [k for k in kinds if k not in ALL_EDGE_KINDS]
    if unknown:
        raise ValueError(f"unknown edge kind(s) {unknown}; known: {', '.join(ALL_EDGE_KINDS)}")
    return kinds


def _kinds_text(value: str | None) -> str | None:
    return ",".join(_edge_kinds(value)) or None


class NeighborQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: str | None = Field(default=None, description="Edge kinds, comma-separated.")
    direction: Literal["out", "in", "both"] = Field(
        default="both", description="Edges leaving the node (out), reaching it (in) or both"
    )
    limit: int = Field(default=100, ge=1, le=1000, description="Most neighbours to return")
    inferred: bool = Field(
        default=True, description="Include edges the graph inferred, not only stated ones"
    )

    _kinds = field_validator("kind")(_kinds_text)


# `from` is a Python keyword, so this model is built with the field named as the query
# parameter (an alias would leave the OpenAPI document without it).
_PATH_FIELDS: dict[str, Any] = {
    "from": (str, Field(min_length=1, max_length=120, description="A node id or alias.")),
    "to": (str, Field(min_length=1, max_length=120, description="A node id or alias.")),
    "kind": (
        str | None,
        Field(default=None, description="Edge kinds allowed, comma-separated."),
    ),
    "directed": (bool, Field(default=False, description="Follow edges forward only.")),
}
PathQuery = create_model(
    "PathQuery",
    __config__=ConfigDict(extra="forbid"),
    __validators__={"_kinds": field_validator("kind")(_kinds_text)},
    **_PATH_FIELDS,
)


class ImportRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "registry": "acme",
                    "format": "json",
                    "content": {
                        "technologies": [
                            {
                                "id": "acme-queue",
                                "name": "Acme Queue",
                                "category": "messaging",
                                "source": "https://example.org/",
                                "requires": ["postgres"],
                                "alternatives": ["rabbitmq"],
                            }
                        ]
                    },
                }
            ]
        },
    )
    registry: str = Field(min_length=1, max_length=80, description="Your registry's name.")
    format: Literal["json", "csv"] = Field(
        description="json: the registry in `content`; csv: one text per file in `files`"
    )
    content: dict[str, Any] | None = Field(
        default=None, description="JSON format: {technologies, releases, skills, ...}."
    )
    files: dict[str, str] | None = Field(
        default=None, description="CSV format: file name (technologies.csv, ...) -> text."
    )


class ImportResult(BaseModel):
    registry: str = Field(description="The registry imported (replacing its earlier version)")
    generation: int = Field(
        description="The graph generation this import made; answers say which generation "
        "they were read from"
    )
    counts: dict[str, int] = Field(
        description="Records imported, by kind: technologies, skills, roles, resources, "
        "sectors, releases, edges"
    )
    matches: list[RegistryMatch] = Field(
        description="Records merged into a node another registry already had"
    )
    requires_cycles: list[list[str]] = Field(
        description="Prerequisite cycles through this registry's nodes, as node keys; "
        "empty when there are none"
    )
    nodes: dict[str, int] = Field(description="Nodes in the whole graph after the import, by kind")
    inferred_edges: int = Field(description="Edges the inference rules added to the graph")
    index: Literal["refreshing"] = Field(
        default="refreshing",
        description="The search index is being rebuilt: reads may show the previous "
        "generation for a moment",
    )


class RegistryList(BaseModel):
    registries: list[RegistrySummary] = Field(
        description="This page of imported registries, in import order"
    )
    next_cursor: str | None = Field(description=NEXT_CURSOR_DESCRIPTION)


class RegistryPageQuery(OffsetPageQuery):
    limit: int = Field(default=50, ge=1, le=500, description="Registries per page")


def _graph(req: AnyRequest) -> GraphIndex:
    return req.features.knowledge.current()


def _today(req: AnyRequest) -> date:
    """The day support status and end-of-life dates are judged as of."""
    return req.features.knowledge.clock.now().date()


def _node(graph: GraphIndex, ident: str, location: str = "path", field: str = "id") -> int:
    try:
        return node_index(graph, ident)
    except AmbiguousNode as exc:
        raise ApiError(
            400, str(exc), errors=[FieldError(field, "ambiguous", location, "ambiguous")]
        ) from None


def _stack_error(exc: StackProblems) -> ApiError:
    return ApiError(
        422,
        str(exc),
        title="Unknown Stack Items",
        problem="unknown-stack-items",
        errors=[FieldError(f"stack.{i}.{f}", m, "body", "unknown") for i, f, m in exc.problems],
    )


def post_compatibility(req: ApiRequest[CompatibilityRequest]) -> CompatibilityReport:
    body = req.body
    try:
        return compatibility(_graph(req), body.stack, _today(req))
    except StackProblems as exc:
        raise _stack_error(exc) from None


def post_pitfalls(req: ApiRequest[PitfallsRequest]) -> PitfallReport:
    body = req.body
    try:
        return pitfalls(_graph(req), body.stack, body.team, _today(req))
    except StackProblems as exc:
        raise _stack_error(exc) from None


def post_pathways(req: ApiRequest[PathwaysRequest]) -> Pathway:
    body = req.body
    try:
        return plan(_graph(req), body.have, body.target)
    except UnknownTarget as exc:
        raise ApiError(
            422,
            str(exc),
            errors=[FieldError("target", str(exc), "body", "unknown")],
        ) from None


def list_nodes(req: ApiRequest[None, NodeQuery]) -> NodeList:
    query = req.query
    return find_nodes(_graph(req), query.q, query.kind, query.limit)


def get_node(req: ApiRequest) -> NodeDetail:
    graph = _graph(req)
    return node_detail(graph, _node(graph, req.path_params["id"]))


def get_neighbors(req: ApiRequest[None, NeighborQuery]) -> Neighbors:
    query = req.query
    graph = _graph(req)
    index = _node(graph, req.path_params["id"])
    return neighbors(
        graph,
        index,
        kinds=_edge_kinds(query.kind),
        direction=query.direction,
        limit=query.limit,
        include_inferred=query.inferred,
    )


def get_path(req: ApiRequest[None, PathQuery]) -> GraphPath:
    query = req.query.model_dump()
    try:
        return path_between(
            _graph(req),
            query["from"],
            query["to"],
            kinds=_edge_kinds(query["kind"]),
            directed=query["directed"],
        )
    except AmbiguousNode as exc:
        field = exc.field or "from"
        raise ApiError(
            400, str(exc), errors=[FieldError(field, "ambiguous", "query", "ambiguous")]
        ) from None


def get_stats(req: ApiRequest) -> GraphStats:
    return _graph(req).stats()


def _import_errors(problems: list[Problem]) -> list[FieldError]:
    return [FieldError(p.path, p.message, "body", "invalid") for p in problems[:200]]


def post_import(req: ApiRequest[ImportRequest]) -> Reply:
    body = req.body
    principal = req.require_principal()
    try:
        parsed = parse_import(body.registry, body.format, body.content, body.files)
        outcome = req.features.knowledge.import_registry(parsed, principal.user_id)
    except ImportRejected as exc:
        raise ApiError(
            422,
            f"the registry was not imported: {exc}",
            title="Invalid Registry",
            problem="invalid-registry",
            errors=_import_errors(exc.problems),
        ) from None
    result = ImportResult(
        registry=outcome.registry,
        generation=outcome.generation,
        counts=outcome.counts,
        matches=outcome.matches,
        requires_cycles=outcome.requires_cycles,
        nodes=outcome.nodes,
        inferred_edges=outcome.inferred_edges,
    )
    return Reply(body=result, status=202)


def list_imports(req: ApiRequest[None, RegistryPageQuery]) -> RegistryList:
    registries, next_cursor = slice_page(req.features.knowledge.registries(), req.query)
    return RegistryList(registries=registries, next_cursor=next_cursor)


def delete_import(req: ApiRequest) -> Reply:
    name = req.path_params["registry"]
    try:
        generation = req.features.knowledge.remove_registry(name)
    except ImportRejected as exc:
        raise ApiError(
            409,
            f"other registries refer to {name}'s records: {exc}",
            errors=_import_errors(exc.problems),
        ) from None
    if generation is None:
        raise NotFound("registry", name, detail=f"no registry {name!r}")
    return Reply(body={"registry": name, "generation": generation}, status=202)


ROUTES = [
    route(
        "POST",
        "/v1/graph/compatibility",
        post_compatibility,
        "Compatibility score (0-100) of a stack, its explained parts and fixes",
        TAG,
        body=CompatibilityRequest,
        response=CompatibilityReport,
        auth="user",
        errors=(422,),
    ),
    route(
        "POST",
        "/v1/graph/pitfalls",
        post_pitfalls,
        "Pitfalls of a stack and its team, with severity and prevention",
        TAG,
        body=PitfallsRequest,
        response=PitfallReport,
        auth="user",
        errors=(422,),
    ),
    route(
        "POST",
        "/v1/graph/pathways",
        post_pathways,
        "Learning plan to a role, skill or technology: closed under prerequisites, "
        "minimal in hours",
        TAG,
        body=PathwaysRequest,
        response=Pathway,
        auth="user",
        errors=(422,),
    ),
    route(
        "GET",
        "/v1/graph/nodes",
        list_nodes,
        "Search nodes by kind, name, id or alias",
        TAG,
        query=NodeQuery,
        response=NodeList,
    ),
    route(
        "GET",
        "/v1/graph/nodes/{id}",
        get_node,
        "One node: attributes, releases, provenance",
        TAG,
        response=NodeDetail,
        errors=(400, 404),
    ),
    route(
        "GET",
        "/v1/graph/nodes/{id}/neighbors",
        get_neighbors,
        "A node's edges and neighbours (inferred edges with their provenance)",
        TAG,
        query=NeighborQuery,
        response=Neighbors,
        errors=(404,),
    ),
    route(
        "GET",
        "/v1/graph/path",
        get_path,
        "Shortest path between two nodes",
        TAG,
        query=PathQuery,
        response=GraphPath,
        errors=(404,),
    ),
    route(
        "GET",
        "/v1/graph/stats",
        get_stats,
        "Node and edge counts of the graph",
        TAG,
        response=GraphStats,
    ),
    route(
        "POST",
        "/v1/admin/graph/imports",
        post_import,
        "Import (or replace) a registry from JSON or CSV",
        TAG,
        body=ImportRequest,
        response=ImportResult,
        status=202,
        auth="admin",
        errors=(422,),
    ),
    route(
        "GET",
        "/v1/admin/graph/imports",
        list_imports,
        "Imported registries",
        TAG,
        query=RegistryPageQuery,
        response=RegistryList,
        auth="admin",
    ),
    route(
        "DELETE",
        "/v1/admin/graph/imports/{registry}",
        delete_import,
        "Remove an imported registry",
        TAG,
        status=202,
        auth="admin",
        errors=(404, 409),
    ),
]
