"""Neighbourhoods, node search and shortest paths."""

from __future__ import annotations

import itertools
import random
from collections import deque

import numpy as np

from shared.knowledge.builder import GraphBuilder
from shared.knowledge.index import GraphIndex
from shared.knowledge.traverse import neighbors, shortest_path


def test_neighbors_show_inferred_edges_with_provenance(graph: GraphIndex) -> None:
    django = graph.resolve("technology:django").node
    found = neighbors(graph, django, kinds=["requires"], direction="out")
    assert {n.node.id for n in found.neighbors} >= {"technology:python", "technology:postgresql"}
    constrained = [
        n for n in found.neighbors if n.when == "==5.2.*" and n.node.id == "technology:python"
    ]
    assert constrained[0].constraint == ">=3.10,<3.15"
    needs = neighbors(graph, django, kinds=["needs-skill"], direction="out")
    inferred = [n for n in needs.neighbors if n.inferred]
    assert inferred and all(n.provenance and n.provenance.rule for n in inferred)
    capped = neighbors(graph, graph.resolve("skill:python").node, limit=3)
    assert len(capped.neighbors) == 3 and capped.truncated and capped.total > 3


def test_search_ranks_exact_then_prefix_then_substring(graph: GraphIndex) -> None:
    found, _ = graph.search.find("react", 5)
    assert graph.nodes[found[0]].key in ("technology:react", "skill:react")
    keys = [graph.nodes[i].key for i in graph.search.find("postgres", 10)[0]]
    assert set(keys[:2]) == {
        "technology:postgresql",
        "skill:postgresql",
    }
    techs = graph.kind == 0
    only, _ = graph.search.find("kube", 10, techs)
    assert only and all(graph.nodes[i].kind == "technology" for i in only)


def _bfs(n: int, adjacency: list[set[int]], s: int, t: int) -> int | None:
    dist = {s: 0}
    queue = deque([s])
    while queue:
        x = queue.popleft()
        if x == t:
            return dist[x]
        for y in adjacency[x]:
            if y not in dist:
                dist[y] = dist[x] + 1
                queue.append(y)
    return None


def test_shortest_path_matches_plain_bfs_on_random_graphs() -> None:
    rng = random.Random(11)
    for trial in range(20):
        n = rng.randint(5, 60)
        builder = GraphBuilder()
        builder.add_bulk_nodes(
            "technology", [f"t{i}" for i in range(n)], [f"T{i}" for i in range(n)]
        )
        m = rng.randint(n // 2, 2 * n)
        src = np.array([rng.randrange(n) for _ in range(m)])
        dst = np.array([rng.randrange(n) for _ in range(m)])
        builder.add_bulk_edges("requires", src, dst)
        g = builder.build(trial)
        directed_adj: list[set[int]] = [set() for _ in range(n)]
        undirected_adj: list[set[int]] = [set() for _ in range(n)]
        for a, b in zip(src.tolist(), dst.tolist(), strict=True):
            directed_adj[a].add(b)
            undirected_adj[a].add(b)
            undirected_adj[b].add(a)
        for _ in range(10):
            s, t = rng.randrange(n), rng.randrange(n)
            for directed, adj in ((False, undirected_adj), (True, directed_adj)):
                expected = _bfs(n, adj, s, t)
                path = shortest_path(g, s, t, directed=directed)
                if expected is None:
                    assert path is None
                    continue
                assert path is not None and path.length == expected
                nodes = [g.resolve(x.id).node for x in path.nodes]
                assert nodes[0] == s and nodes[-1] == t
                for a, b in itertools.pairwise(nodes):
                    assert b in adj[a]
                if directed:
                    assert all(step.traversed == "forward" for step in path.steps)


def test_path_on_the_shipped_graph(graph: GraphIndex) -> None:
    html = graph.resolve("skill:html").node
    react = graph.resolve("skill:react").node
    path = shortest_path(graph, html, react, kinds=["prerequisite-of"], directed=True)
    assert path is not None
    assert [n.id for n in path.nodes] == ["skill:html", "skill:javascript", "skill:react"]
    nothing = shortest_path(graph, react, html, kinds=["prerequisite-of"], directed=True)
    assert nothing is None
