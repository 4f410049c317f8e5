"""Neighbourhoods and shortest paths on the compiled arrays.

The shortest path is a bidirectional breadth-first search whose frontiers expand a
whole level at a time with numpy (CSR gathers), always growing the cheaper side; on a
graph of 100k nodes and 1M edges it touches a few thousand edges, not the million."""

from __future__ import annotations

import itertools
from collections.abc import Collection

import numpy as np
import numpy.typing as npt

from shared.knowledge.index import EDGE_CODE, GraphIndex
from shared.knowledge.model import ALL_EDGE_KINDS
from shared.knowledge.schemas import GraphPath, Neighbor, Neighbors, PathStep
from shared.knowledge.stack import ref

I32 = npt.NDArray[np.int32]
I64 = npt.NDArray[np.int64]
MAX_DEPTH = 16


def neighbors(
    graph: GraphIndex,
    node: int,
    *,
    kinds: Collection[str] = (),
    direction: str = "both",
    limit: int = 100,
    include_inferred: bool = True,
) -> Neighbors:
    codes = np.array([EDGE_CODE[k] for k in kinds], dtype=np.int8)
    picked: list[tuple[str, I32]] = []
    total = 0
    for side in ("out", "in"):
        if direction not in (side, "both"):
            continue
        edges = graph.out_edges(node) if side == "out" else graph.in_edges(node)
        if len(codes):
            edges = edges[np.isin(graph.ekind[edges], codes)]
        if not include_inferred:
            edges = edges[graph.rule[edges] == 0]
        total += len(edges)
        # Stated edges first, then by kind; stable within, so the order is the data's.
        order = np.lexsort((graph.ekind[edges], graph.rule[edges]))
        picked.append((side, edges[order]))
    found: list[Neighbor] = []
    for side, edges in picked:
        for e in edges[: max(0, limit - len(found))].tolist():
            view = graph.edge(e)
            other = view.target if side == "out" else view.source
            attr = view.attr
            found.append(
                Neighbor(
                    edge=view.kind,
                    direction=side,
                    node=ref(graph.nodes[other]),
                    confidence=view.confidence,
                    inferred=view.inferred,
                    constraint=attr.constraint if attr else None,
                    when=attr.when if attr else None,
                    optional=bool(attr and attr.optional),
                    note=attr.note if attr else None,
                    reference=attr.source if attr else None,
                    provenance=graph.provenance(e) if view.inferred else None,
                )
            )
    return Neighbors(
        node=ref(graph.nodes[node]),
        neighbors=found,
        total=total,
        truncated=total > len(found),
        generation=graph.generation,
    )


def _expand(
    ptr: I64,
    nbr: I32,
    eid: I32,
    frontier: I64,
    allowed: npt.NDArray[np.bool_] | None,
    ekind: npt.NDArray[np.int8],
) -> tuple[I64, I64, I64]:
    """Every (from, to, edge) leaving `frontier` through the CSR (ptr, nbr, eid)."""
    starts = ptr[frontier]
    counts = ptr[frontier + 1] - starts
    total = int(counts.sum())
    if total == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    offsets = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
    slots = np.repeat(starts, counts) + offsets
    origin = np.repeat(frontier, counts)
    target = nbr[slots].astype(np.int64)
    edges = eid[slots].astype(np.int64)
    if allowed is not None:
        keep = allowed[ekind[edges]]
        origin, target, edges = origin[keep], target[keep], edges[keep]
    return origin, target, edges


def shortest_path(
    graph: GraphIndex,
    source: int,
    target: int,
    *,
    kinds: Collection[str] = (),
    directed: bool = False,
) -> GraphPath | None:
    """A shortest path (fewest edges) from `source` to `target`, or None. Undirected by
    default: "how are these related"; `directed` follows edges forward only."""
    n = graph.node_count
    allowed: npt.NDArray[np.bool_] | None = None
    if kinds:
        allowed = np.zeros(len(ALL_EDGE_KINDS), dtype=bool)
        allowed[[EDGE_CODE[k] for k in kinds]] = True
    if directed:
        forward = (graph.out_ptr, graph.dst, graph.out_edge)
        backward = (graph.in_ptr, graph.src, graph.in_edge)
    else:
        forward = backward = (graph.und_ptr, graph.und_nbr, graph.und_edge)
    parent = [np.full(n, -1, dtype=np.int64), np.full(n, -1, dtype=np.int64)]
    via = [np.full(n, -1, dtype=np.int64), np.full(n, -1, dtype=np.int64)]
    dist = [np.full(n, -1, dtype=np.int32), np.full(n, -1, dtype=np.int32)]
    parent[0][source] = source
    parent[1][target] = target
    dist[0][source] = 0
    dist[1][target] = 0
    level = [0, 0]
    frontiers = [np.array([source], dtype=np.int64), np.array([target], dtype=np.int64)]
    meet = source if source == target else -1
    depth = 0
    while meet < 0 and depth < MAX_DEPTH and all(len(f) for f in frontiers):
        cost = [
            int((p[0][f + 1] - p[0][f]).sum())
            for p, f in zip((forward, backward), frontiers, strict=True)
        ]
        side = 0 if cost[0] <= cost[1] else 1
        ptr, nbr, eid = forward if side == 0 else backward
        if directed:
            # The CSR gives the edge ids; the node on the far side is src/dst of the edge.
            origin, _, edges = _expand(ptr, nbr, eid, frontiers[side], allowed, graph.ekind)
            far = (graph.dst if side == 0 else graph.src)[edges].astype(np.int64)
        else:
            origin, far, edges = _expand(ptr, nbr, eid, frontiers[side], allowed, graph.ekind)
        fresh = parent[side][far] < 0
        origin, far, edges = origin[fresh], far[fresh], edges[fresh]
        far, first = np.unique(far, return_index=True)
        parent[side][far] = origin[first]
        via[side][far] = edges[first]
        level[side] += 1
        dist[side][far] = level[side]
        touching = far[dist[1 - side][far] >= 0]
        if len(touching):
            # Every new node is level[side] away; the nearest to the other end wins.
            meet = int(touching[np.argmin(dist[1 - side][touching])])
        frontiers[side] = far
        depth += 1
    if meet < 0:
        return None
    half = [meet]
    while half[-1] != source:
        half.append(int(parent[0][half[-1]]))
    nodes = half[::-1]
    node = meet
    while node != target:
        node = int(parent[1][node])
        nodes.append(node)
    steps: list[PathStep] = []
    for a, b in itertools.pairwise(nodes):
        e = int(via[0][b]) if parent[0][b] == a else int(via[1][a])
        forward_edge = int(graph.src[e]) == a and int(graph.dst[e]) == b
        steps.append(
            PathStep(
                edge=ALL_EDGE_KINDS[int(graph.ekind[e])],
                source=ref(graph.nodes[a]),
                target=ref(graph.nodes[b]),
                traversed="forward" if forward_edge else "backward",
                inferred=bool(graph.rule[e] > 0),
            )
        )
    return GraphPath(
        source=ref(graph.nodes[source]),
        target=ref(graph.nodes[target]),
        length=len(steps),
        nodes=[ref(graph.nodes[x]) for x in nodes],
        steps=steps,
        generation=graph.generation,
    )
