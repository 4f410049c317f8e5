"""Cycles in one edge kind, on arrays.

Peeling first: a node with no incoming or no outgoing edge (among the nodes left) lies
on no cycle, so all of them are removed at once, repeatedly, with numpy. What is left
is usually empty or tiny; only that remainder goes through Tarjan's algorithm."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Ints = npt.NDArray[np.int64]


def cyclic_core(n: int, src: Ints, dst: Ints) -> npt.NDArray[np.bool_]:
    """Nodes that can lie on a cycle of the graph (src -> dst): every node of a cycle
    is kept; nodes merely between cycles may be too."""
    alive = np.zeros(n, dtype=bool)
    alive[src] = True
    alive[dst] = True
    keep = np.ones(len(src), dtype=bool)
    while True:
        keep &= alive[src] & alive[dst]
        s, d = src[keep], dst[keep]
        has_in = np.zeros(n, dtype=bool)
        has_out = np.zeros(n, dtype=bool)
        has_in[d] = True
        has_out[s] = True
        still = alive & has_in & has_out
        if np.array_equal(still, alive):
            return alive
        alive = still


def _successors(src: Ints, dst: Ints, core: npt.NDArray[np.bool_]) -> dict[int, list[int]]:
    keep = core[src] & core[dst]
    succ: dict[int, list[int]] = {}
    for s, d in zip(src[keep].tolist(), dst[keep].tolist(), strict=True):
        succ.setdefault(s, []).append(d)
    for targets in succ.values():
        targets.sort()
    return succ


def find_cycle(n: int, src: Ints, dst: Ints) -> list[int] | None:
    """One cycle (its nodes in edge order, the first not repeated), or None."""
    core = cyclic_core(n, src, dst)
    if not core.any():
        return None
    succ = _successors(src, dst, core)
    node = int(np.flatnonzero(core)[0])
    seen: dict[int, int] = {}
    path: list[int] = []
    while node not in seen:
        seen[node] = len(path)
        path.append(node)
        node = succ[node][0]
    return path[seen[node] :]


def strongly_connected(n: int, src: Ints, dst: Ints) -> list[list[int]]:
    """The strongly connected components with a cycle (two or more nodes, or a node
    with an edge to itself), each as one concrete cycle through its smallest node."""
    core = cyclic_core(n, src, dst)
    if not core.any():
        return []
    succ = _successors(src, dst, core)
    components = _tarjan(succ)
    cycles = []
    for comp in components:
        members = set(comp)
        start = min(comp)
        if len(comp) == 1 and start not in succ.get(start, []):
            continue
        cycles.append(_cycle_through(start, succ, members))
    cycles.sort()
    return cycles


def _cycle_through(start: int, succ: dict[int, list[int]], members: set[int]) -> list[int]:
    """Shortest cycle through `start` inside its component (breadth-first)."""
    parent: dict[int, int] = {}
    frontier = [start]
    while frontier:
        nxt = []
        for node in frontier:
            for target in succ.get(node, []):
                if target not in members:
                    continue
                if target == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(parent[path[-1]])
                    return path[::-1]
                if target not in parent:
                    parent[target] = node
                    nxt.append(target)
        frontier = nxt
    return [start]


def _tarjan(succ: dict[int, list[int]]) -> list[list[int]]:
    """Iterative Tarjan: strongly connected components of the successor map."""
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    on_stack: set[int] = set()
    stack: list[int] = []
    components: list[list[int]] = []
    counter = 0
    for root in sorted(succ):
        if root in index:
            continue
        work: list[tuple[int, int]] = [(root, 0)]
        while work:
            node, child = work.pop()
            if child == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            targets = succ.get(node, [])
            recurse = False
            for i in range(child, len(targets)):
                target = targets[i]
                if target not in index:
                    work.append((node, i + 1))
                    work.append((target, 0))
                    recurse = True
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            if recurse:
                continue
            if low[node] == index[node]:
                comp = []
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    comp.append(top)
                    if top == node:
                        break
                components.append(comp)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return components
