"""Node lookups shared by the API's GET routes and the web pages: a reference resolved to
one node, the search (exact, then prefix, then substring matches) with each hit's
one-line description and registries, a node's detail, and the path between two."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict

from shared.errors import NotFound
from shared.knowledge.index import GraphIndex, NodeInfo
from shared.knowledge.matching import Ambiguous
from shared.knowledge.model import NODE_KINDS, NodeKind
from shared.knowledge.provenance import NodeProvenance
from shared.knowledge.schemas import GraphPath, NodeDetail, NodeHit, NodeList, ReleaseLine
from shared.knowledge.traverse import shortest_path


class AmbiguousNode(LookupError):
    """A reference that names several nodes; `candidates` are their keys."""

    def __init__(self, ident: str, candidates: list[str]) -> None:
        names = ", ".join(candidates)
        super().__init__(f"{ident!r} names several nodes ({names}); use one of their ids")
        self.candidates = candidates
        self.field: str | None = None  # the input that named them, when there are several


def node_index(graph: GraphIndex, ident: str) -> int:
    """The node `ident` (a key `kind:id`, a bare id, an alias or a name) names; NotFound
    or AmbiguousNode otherwise."""
    try:
        match = graph.resolve(ident)
    except Ambiguous as exc:
        raise AmbiguousNode(ident, [graph.nodes[c].key for c in exc.candidates]) from None
    if match is None:
        raise NotFound("node", ident, detail=f"no node {ident!r}")
    return match.node


def path_between(
    graph: GraphIndex,
    source: str,
    target: str,
    *,
    kinds: Collection[str] = (),
    directed: bool = False,
) -> GraphPath:
    """A shortest path from the node `source` names to the one `target` names
    (`GET /v1/graph/path` and the /knowledge/path page). An end that names no node raises
    NotFound, one that names several AmbiguousNode, each with `field` `from` or `to`
    (query parameters); no path between them raises NotFound("path")."""
    ends: list[int] = []
    for field, ident in (("from", source), ("to", target)):
        try:
            ends.append(node_index(graph, ident))
        except AmbiguousNode as exc:
            exc.field = field
            raise
        except NotFound as exc:
            exc.field, exc.location = field, "query"
            raise
    found = shortest_path(graph, ends[0], ends[1], kinds=kinds, directed=directed)
    if found is None:
        between = f"{graph.nodes[ends[0]].key} to {graph.nodes[ends[1]].key}"
        raise NotFound("path", between, detail=f"no path from {between}")
    return found


def describe(info: NodeInfo) -> str:
    """What a node is, in a few words: `Language, since 1991`, `Data skill`,
    `Course by Harvard, 80 h, beginner, free`."""
    a = info.attrs

    if info.kind == "technology":
        parts = [words(a.get("category") or "technology")]
        if a.get("since"):
            parts[0] += f", since {a['since']}"
        if a.get("status") and a["status"] != "active":
            parts.append(str(a["status"]))
        return "; ".join(parts)
    if info.kind == "skill":
        return f"{words(a['category'])} skill" if a.get("category") else "Skill"
    if info.kind == "role":
        return f"Role (O*NET {a['onet']})" if a.get("onet") else "Role"
    if info.kind == "resource":
        head = words(a.get("format") or "resource")
        if a.get("provider"):
            head += f" by {a['provider']}"
        parts = [head]
        if a.get("hours"):
            parts.append(f"{float(a['hours']):g} h")
        if a.get("level"):
            parts.append(str(a["level"]))
        parts.append("free" if a.get("free", True) else "paid")
        return ", ".join(parts)
    return info.kind.capitalize()


# category words as written in prose
_SPELLING = {
    "ai": "AI",
    "api": "API",
    "bi": "BI",
    "cd": "CD",
    "ci": "CI",
    "devops": "DevOps",
    "iac": "IaC",
    "ml": "ML",
    "os": "OS",
    "paas": "PaaS",
    "saas": "SaaS",
}


def words(value: object) -> str:
    """`ml-platform` -> `ML platform`; the first letter upper case."""
    text = " ".join(_SPELLING.get(w, w) for w in str(value).replace("_", "-").split("-"))
    text = text.replace("CI CD", "CI/CD")
    return text[:1].upper() + text[1:]


def registries(info: NodeInfo) -> list[str]:
    """The registries whose records made or merged into the node, first one first."""
    return list(dict.fromkeys(origin.registry for origin in info.provenance))


def hit(info: NodeInfo) -> NodeHit:
    return NodeHit(
        id=info.key,
        kind=info.kind,
        name=info.name,
        aliases=info.aliases,
        description=describe(info),
        registries=registries(info),
    )


def find_nodes(graph: GraphIndex, q: str | None, kind: NodeKind | None, limit: int) -> NodeList:
    """Nodes matching `q` (all nodes when empty), of `kind` if given, up to `limit`."""
    accept = None if kind is None else graph.kind == NODE_KINDS.index(kind)
    if q:
        found, truncated = graph.search.find(q, limit, accept)
    else:
        size = len(graph.by_kind[kind]) if kind else graph.node_count
        head = graph.by_kind[kind][:limit] if kind else range(limit)
        found = [int(i) for i in head if int(i) < graph.node_count]
        truncated = size > limit
    return NodeList(
        items=[hit(graph.nodes[i]) for i in found],
        truncated=truncated,
        generation=graph.generation,
    )


def node_detail(graph: GraphIndex, index: int) -> NodeDetail:
    info = graph.nodes[index]
    return NodeDetail(
        **hit(info).model_dump(),
        attributes=info.attrs,
        releases=[
            ReleaseLine(
                version=r.version, released=r.released, eol=r.eol, lts=r.lts, source=r.source
            )
            for r in info.releases
        ],
        provenance=[NodeProvenance(**asdict(origin)) for origin in info.provenance],
        degree={
            "out": int(graph.out_ptr[index + 1] - graph.out_ptr[index]),
            "in": int(graph.in_ptr[index + 1] - graph.in_ptr[index]),
        },
        generation=graph.generation,
    )
