"""The compiled graph: node tables and edges as numpy arrays with CSR adjacency
(outgoing, incoming, and both directions), inferred edges with their provenance, the
dependency cycles, and a search index. Immutable once built; a reload builds a new one
and swaps the reference, so queries never see a half-built graph."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, Field

from shared.knowledge.cycles import strongly_connected
from shared.knowledge.matching import Match, NameIndex
from shared.knowledge.model import ALL_EDGE_KINDS, LEARNING_ROUTE, NODE_KINDS
from shared.knowledge.provenance import EdgeProvenance
from shared.knowledge.search import SearchIndex
from shared.knowledge.versions import Scheme, release_of, sort_key

I32 = npt.NDArray[np.int32]
I64 = npt.NDArray[np.int64]
KIND_CODE: dict[str, int] = {k: i for i, k in enumerate(NODE_KINDS)}
EDGE_CODE: dict[str, int] = {k: i for i, k in enumerate(ALL_EDGE_KINDS)}
REQUIRES = EDGE_CODE["requires"]
NEEDS = EDGE_CODE["needs-skill"]
TEACHES = EDGE_CODE["teaches"]
PREREQ = EDGE_CODE["prerequisite-of"]
ROUTE = EDGE_CODE[LEARNING_ROUTE]
CONFLICTS = EDGE_CODE["conflicts-with"]
ALTERNATIVE = EDGE_CODE["alternative-to"]
# How much an inference keeps of its premises' confidence.
RULES = {
    1: ("requires then needs-skill", 0.8),  # T requires U, U needs S => T needs S
    2: ("teaches a needed skill", 0.9),  # R teaches S, T needs S => R is a route to T
}


@dataclass(frozen=True, slots=True)
class ReleaseInfo:
    version: str
    line: tuple[int, ...]
    released: date | None
    eol: date | None
    lts: bool
    source: str


@dataclass(frozen=True, slots=True)
class NodeOrigin:
    """A registry's record that made a node, or merged into it, and how it matched."""

    registry: str
    id: str
    matched_by: str  # "new", or the matching method ("alias", "name", ...)
    confidence: float


class GraphStats(BaseModel):
    generation: int = Field(description="The compiled graph's generation")
    nodes: dict[str, int] = Field(description="Nodes by kind")
    edges: dict[str, int] = Field(description="Edges by kind, inferred ones included")
    inferred_edges: int = Field(description="Edges the inference rules added")
    requires_cycles: int = Field(description="Prerequisite cycles (each is a data problem)")


@dataclass(slots=True)
class NodeInfo:
    key: str
    kind: str
    id: str
    name: str
    aliases: list[str]
    attrs: dict[str, Any]
    releases: list[ReleaseInfo]
    provenance: list[NodeOrigin]

    @property
    def scheme(self) -> Scheme:
        scheme: Scheme = self.attrs.get("versioning", "semver")
        return scheme

    def summary(self) -> dict[str, Any]:
        return {"id": self.key, "kind": self.kind, "name": self.name}


@dataclass(frozen=True, slots=True)
class EdgeAttr:
    registry: str
    constraint: str | None = None
    when: str | None = None
    optional: bool = False
    source: str | None = None
    note: str | None = None
    where: str | None = None


@dataclass(frozen=True)
class EdgeView:
    """One edge as the API shows it."""

    id: int
    kind: str
    source: int
    target: int
    confidence: float
    attr: EdgeAttr | None
    inferred: bool
    rule: str | None
    via: tuple[int, ...]


@dataclass
class GraphIndex:
    generation: int
    nodes: list[NodeInfo]
    names: NameIndex
    kind: npt.NDArray[np.int8]
    src: I32
    dst: I32
    ekind: npt.NDArray[np.int8]
    conf: npt.NDArray[np.float32]
    attr: I32
    attrs: list[EdgeAttr]
    rule: npt.NDArray[np.int8]
    via_a: I32
    via_b: I32
    explicit_edges: int
    out_ptr: I64
    out_edge: I32
    in_ptr: I64
    in_edge: I32
    und_ptr: I64
    und_nbr: I32
    und_edge: I32
    search: SearchIndex
    requires_cycles: list[list[int]]
    cycle_of: dict[int, int] = field(default_factory=dict)

    # -- nodes -------------------------------------------------------------------
    @property
    def node_count(self) -> int:
        return len(self.nodes)

    @property
    def edge_count(self) -> int:
        return len(self.src)

    def node(self, index: int) -> NodeInfo:
        return self.nodes[index]

    def resolve(self, ref: str, kinds: tuple[str, ...] = NODE_KINDS) -> Match | None:
        return self.names.resolve(ref, kinds)

    # -- edges -------------------------------------------------------------------
    def out_edges(self, node: int, kind: int | None = None) -> I32:
        edges = self.out_edge[self.out_ptr[node] : self.out_ptr[node + 1]]
        return edges if kind is None else edges[self.ekind[edges] == kind]

    def in_edges(self, node: int, kind: int | None = None) -> I32:
        edges = self.in_edge[self.in_ptr[node] : self.in_ptr[node + 1]]
        return edges if kind is None else edges[self.ekind[edges] == kind]

    def edge(self, e: int) -> EdgeView:
        a = int(self.attr[e])
        rule = int(self.rule[e])
        via = tuple(int(v) for v in (self.via_a[e], self.via_b[e]) if v >= 0)
        return EdgeView(
            id=e,
            kind=ALL_EDGE_KINDS[int(self.ekind[e])],
            source=int(self.src[e]),
            target=int(self.dst[e]),
            confidence=round(float(self.conf[e]), 3),
            attr=self.attrs[a] if a >= 0 else None,
            inferred=rule > 0,
            rule=RULES[rule][0] if rule else None,
            via=via,
        )

    def provenance(self, e: int, depth: int = 0) -> EdgeProvenance:
        """Where an edge comes from: its registry, or the rule and the edges it was
        inferred from (recursively)."""
        view = self.edge(e)
        inferred = view.inferred and depth < 4
        return EdgeProvenance(
            edge=self.describe(e),
            confidence=view.confidence,
            registry=view.attr.registry if view.attr is not None else None,
            source=(view.attr.source or None) if view.attr is not None else None,
            rule=view.rule if inferred else None,
            inferred_from=[self.provenance(v, depth + 1) for v in view.via] if inferred else None,
        )

    def describe(self, e: int) -> str:
        return (
            f"{self.nodes[int(self.src[e])].key} {ALL_EDGE_KINDS[int(self.ekind[e])]} "
            f"{self.nodes[int(self.dst[e])].key}"
        )

    # -- derived lookups ---------------------------------------------------------
    @cached_property
    def by_kind(self) -> dict[str, I32]:
        """Node indices of each kind, ordered by name."""
        order: dict[str, I32] = {}
        names = np.array([n.name.lower() for n in self.nodes])
        for kind, code in KIND_CODE.items():
            members = np.flatnonzero(self.kind == code).astype(np.int32)
            order[kind] = members[np.argsort(names[members], kind="stable")]
        return order

    def stats(self) -> GraphStats:
        counts = np.bincount(self.kind, minlength=len(NODE_KINDS))
        edges = np.bincount(self.ekind, minlength=len(ALL_EDGE_KINDS))
        return GraphStats(
            generation=self.generation,
            nodes={k: int(counts[i]) for i, k in enumerate(NODE_KINDS)},
            edges={k: int(edges[i]) for i, k in enumerate(ALL_EDGE_KINDS)},
            inferred_edges=self.edge_count - self.explicit_edges,
            requires_cycles=len(self.requires_cycles),
        )


def _csr(keys: I32, n: int) -> tuple[I64, I32]:
    order = np.argsort(keys, kind="stable").astype(np.int32)
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(keys, minlength=n), out=ptr[1:])
    return ptr, order


def _join(left_key: I32, right_key: I32, n: int) -> tuple[I64, I64]:
    """All pairs (i, j) with left_key[i] == right_key[j], as two index arrays."""
    if len(left_key) == 0 or len(right_key) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    ptr, order = _csr(right_key, n)
    counts = (ptr[left_key.astype(np.int64) + 1] - ptr[left_key]).astype(np.int64)
    total = int(counts.sum())
    left = np.repeat(np.arange(len(left_key), dtype=np.int64), counts)
    starts = np.repeat(ptr[left_key], counts)
    offsets = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
    right = order[starts + offsets].astype(np.int64)
    return left, right


@dataclass
class EdgeArrays:
    src: I32
    dst: I32
    kind: npt.NDArray[np.int8]
    conf: npt.NDArray[np.float32]
    attr: I32


def _infer(
    n: int,
    node_kind: npt.NDArray[np.int8],
    edges: EdgeArrays,
    optional: npt.NDArray[np.bool_],
) -> tuple[EdgeArrays, npt.NDArray[np.int8], I32, I32]:
    """Apply the inference rules once, vectorised; duplicates keep the most confident
    derivation, and nothing already stated explicitly is inferred again."""
    src, dst, kind, conf = edges.src, edges.dst, edges.kind, edges.conf
    tech = KIND_CODE["technology"]

    # Rule 1: T requires U (not optional), U needs S  =>  T needs S.
    req = np.flatnonzero((kind == REQUIRES) & ~optional)
    need = np.flatnonzero((kind == NEEDS) & (node_kind[src] == tech))
    li, ri = _join(dst[req], src[need], n)
    e1, e2 = req[li], need[ri]
    t, s = src[e1].astype(np.int64), dst[e2].astype(np.int64)
    c1 = conf[e1] * conf[e2] * np.float32(RULES[1][1])
    stated = src[need].astype(np.int64) * n + dst[need]
    keys1 = t * n + s
    fresh = ~np.isin(keys1, stated) & (t != s)
    e1, e2, keys1, c1 = e1[fresh], e2[fresh], keys1[fresh], c1[fresh]
    e1, e2, keys1, c1 = _best(keys1, c1, e1, e2)

    base = len(src)
    n1 = len(keys1)
    ids1 = np.arange(base, base + n1, dtype=np.int64)
    # Rule 2: R teaches S, T (a technology) needs S (stated or by rule 1)  =>  R routes to T.
    teach = np.flatnonzero(kind == TEACHES)
    need_src = np.concatenate([src[need].astype(np.int64), keys1 // n])
    need_dst = np.concatenate([dst[need].astype(np.int64), keys1 % n])
    need_id = np.concatenate([need, ids1])
    need_conf = np.concatenate([conf[need], c1])
    li, ri = _join(dst[teach], need_dst.astype(np.int32), n)
    r_edge, n_edge = teach[li], need_id[ri]
    keys2 = src[r_edge].astype(np.int64) * n + need_src[ri]
    c2 = conf[r_edge] * need_conf[ri] * np.float32(RULES[2][1])
    r_edge, n_edge, keys2, c2 = _best(keys2, c2, r_edge, n_edge)

    inferred_src = np.concatenate([keys1 // n, keys2 // n]).astype(np.int32)
    inferred_dst = np.concatenate([keys1 % n, keys2 % n]).astype(np.int32)
    total = len(inferred_src)
    out = EdgeArrays(
        src=np.concatenate([src, inferred_src]),
        dst=np.concatenate([dst, inferred_dst]),
        kind=np.concatenate(
            [kind, np.full(n1, NEEDS, np.int8), np.full(total - n1, ROUTE, np.int8)]
        ),
        conf=np.concatenate([conf, c1, c2]).astype(np.float32),
        attr=np.concatenate([edges.attr, np.full(total, -1, np.int32)]),
    )
    rule = np.concatenate(
        [np.zeros(base, np.int8), np.full(n1, 1, np.int8), np.full(total - n1, 2, np.int8)]
    )
    via_a = np.concatenate([np.full(base, -1, np.int64), e1, r_edge]).astype(np.int32)
    via_b = np.concatenate([np.full(base, -1, np.int64), e2, n_edge]).astype(np.int32)
    return out, rule, via_a, via_b


def _best(
    keys: I64, conf: npt.NDArray[np.float32], a: I64, b: I64
) -> tuple[I64, I64, I64, npt.NDArray[np.float32]]:
    """One derivation per key: the most confident (ties: the first)."""
    if len(keys) == 0:
        return a, b, keys, conf
    order = np.lexsort((-conf, keys))
    keys, conf, a, b = keys[order], conf[order], a[order], b[order]
    first = np.ones(len(keys), dtype=bool)
    first[1:] = keys[1:] != keys[:-1]
    return a[first], b[first], keys[first], conf[first]


def compile_graph(
    generation: int,
    nodes: list[NodeInfo],
    names: NameIndex,
    edges: EdgeArrays,
    attrs: list[EdgeAttr],
) -> GraphIndex:
    n = len(nodes)
    node_kind = np.fromiter((KIND_CODE[x.kind] for x in nodes), dtype=np.int8, count=n)
    optional = np.zeros(len(edges.src), dtype=bool)
    flagged = np.flatnonzero(edges.attr >= 0)
    if len(flagged):
        optional[flagged] = [attrs[int(a)].optional for a in edges.attr[flagged]]
    explicit = len(edges.src)
    full, rule, via_a, via_b = _infer(n, node_kind, edges, optional)
    out_ptr, out_edge = _csr(full.src, n)
    in_ptr, in_edge = _csr(full.dst, n)
    both = np.concatenate([full.src, full.dst])
    und_ptr, order = _csr(both, n)
    edge_ids = np.concatenate([np.arange(len(full.src)), np.arange(len(full.src))])
    und_nbr = np.concatenate([full.dst, full.src])[order].astype(np.int32)
    und_edge = edge_ids[order].astype(np.int32)
    req = full.kind[:explicit] == REQUIRES
    cycles = strongly_connected(
        n, full.src[:explicit][req].astype(np.int64), full.dst[:explicit][req].astype(np.int64)
    )
    cycle_of = {node: i for i, cycle in enumerate(cycles) for node in cycle}
    search = SearchIndex.build(nodes, node_kind)
    return GraphIndex(
        generation=generation,
        nodes=nodes,
        names=names,
        kind=node_kind,
        src=full.src.astype(np.int32),
        dst=full.dst.astype(np.int32),
        ekind=full.kind,
        conf=full.conf,
        attr=full.attr,
        attrs=attrs,
        rule=rule,
        via_a=via_a,
        via_b=via_b,
        explicit_edges=explicit,
        out_ptr=out_ptr,
        out_edge=out_edge,
        in_ptr=in_ptr,
        in_edge=in_edge,
        und_ptr=und_ptr,
        und_nbr=und_nbr,
        und_edge=und_edge,
        search=search,
        requires_cycles=cycles,
        cycle_of=cycle_of,
    )


def release_infos(scheme: Scheme, rows: list[dict[str, Any]]) -> list[ReleaseInfo]:
    infos = [
        ReleaseInfo(
            version=r["version"],
            line=release_of(scheme, r["version"]),
            released=r.get("released"),
            eol=r.get("eol"),
            lts=bool(r.get("lts")),
            source=r["source"],
        )
        for r in rows
    ]
    infos.sort(key=lambda r: sort_key(scheme, r.version))
    return infos
