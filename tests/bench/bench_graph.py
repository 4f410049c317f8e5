"""Knowledge graph: cold-start load time and p50/p95 of each query, on the shipped data
and on a generated graph of 100k nodes and 1M stated edges (plus the edges inferred
from them); peak memory of the build.

The generated graph has the shape of the real one, scaled: 1,000 domains, each with
50 technologies (5 requires, 7 alternatives and 7 sectors each; requires edges point
to earlier technologies of the domain, 500 random ones cross domains, and 50 domains
have a two-technology dependency cycle), 30 skills in five prerequisite tiers (10% of
the prerequisites reach another domain's first tier), 17 resources teaching 4 skills
each, and 2 roles needing 12 upper-tier skills; 1,000 sectors. A tenth of the requires
edges carry version constraints and a fifth of the technologies have release lines
with end-of-life dates."""

from __future__ import annotations

import gc
import random
import resource
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from tests.bench.latency import percentiles

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 1, 1)
DOMAINS = 1000
TECHS, SKILLS, RESOURCES, ROLES = 50, 30, 17, 2
SECTORS = 1000


def _time(fn: Callable[[], Any], runs: int) -> dict[str, float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return percentiles(samples)


def _process_cold_start() -> float:
    """Seconds for a fresh interpreter to import the package and compile the graph."""
    code = (
        "import time; t = time.perf_counter();"
        "from shared.knowledge.service import merged_builder;"
        "b, p = merged_builder([]); b.build(0);"
        "print(time.perf_counter() - t)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return float(out.stdout.strip())


def shipped(runs: int) -> dict[str, Any]:
    from shared.knowledge.curated import curated_registry
    from shared.knowledge.service import merged_builder

    def cold() -> Any:
        curated_registry.cache_clear()
        builder, _ = merged_builder([])
        return builder.build(0)

    load = _time(cold, 5)
    graph = cold()
    return {
        "nodes": graph.node_count,
        "edges": graph.edge_count,
        "inferred_edges": graph.edge_count - graph.explicit_edges,
        "cold_start_in_process": load,
        "cold_start_new_process_s": round(_process_cold_start(), 3),
        "queries": _queries(graph, _shipped_inputs(graph), runs),
    }


def _shipped_inputs(graph: Any) -> dict[str, list[Any]]:
    from shared.knowledge.schemas import StackItem, TeamMember

    stacks = [
        [("django", "5.2"), ("python", "3.9"), ("postgresql", "13"), ("redis", None)],
        [("angular", "18"), ("nodejs", "20"), ("typescript", "5.0"), ("jest", None)],
        [("nextjs", "15"), ("react", "19"), ("nodejs", "22"), ("prisma", None), ("vercel", None)],
        [("rails", "7.1"), ("ruby", "3.2"), ("sidekiq", "7"), ("redis", None), ("mysql", "8.0")],
        [("spring-boot", "3.5"), ("java", "17"), ("kafka", "4.0"), ("kubernetes", "1.30")],
    ]
    team = [
        TeamMember(name="a", skills=["python", "sql", "javascript"]),
        TeamMember(name="b", skills=["react", "docker", "linux"]),
    ]
    roles = [graph.nodes[i].key for i in graph.by_kind["role"].tolist()]
    rng = random.Random(1)
    names = [n.name for n in graph.nodes]
    return {
        "stacks": [[StackItem(id=i, version=v) for i, v in s] for s in stacks],
        "team": [team],
        "targets": [(["html", "css"], r) for r in roles],
        "queries": [rng.choice(names)[:4] for _ in range(50)],
        "nodes": rng.sample(range(graph.node_count), 50),
        "pairs": [
            (rng.randrange(graph.node_count), rng.randrange(graph.node_count)) for _ in range(50)
        ],
    }


def _queries(graph: Any, inputs: dict[str, list[Any]], runs: int) -> dict[str, Any]:
    from shared.knowledge.compatibility import compatibility
    from shared.knowledge.pathways import plan
    from shared.knowledge.pitfalls import pitfalls
    from shared.knowledge.traverse import neighbors, shortest_path

    rng = random.Random(2)

    def pick(key: str) -> Any:
        return rng.choice(inputs[key])

    cases: dict[str, Callable[[], Any]] = {
        "compatibility": lambda: compatibility(graph, pick("stacks"), TODAY),
        "pitfalls": lambda: pitfalls(graph, pick("stacks"), pick("team"), TODAY),
        "pathways": lambda: plan(graph, *pick("targets")),
        "nodes_search": lambda: graph.search.find(pick("queries"), 20),
        "neighbors": lambda: neighbors(graph, pick("nodes"), limit=100),
        "shortest_path": lambda: shortest_path(graph, *pick("pairs")),
    }
    out: dict[str, Any] = {}
    for name, fn in cases.items():
        for _ in range(5):
            fn()  # warm caches (lru caches of parsed ranges)
        out[name] = _time(fn, runs)
    return out


def generate(seed: int = 7) -> Any:
    """Build the generated graph; returns (builder, seconds spent generating input)."""
    from shared.knowledge.builder import GraphBuilder
    from shared.knowledge.index import EdgeAttr, ReleaseInfo

    rng = np.random.default_rng(seed)
    builder = GraphBuilder()
    t_count, s_count = DOMAINS * TECHS, DOMAINS * SKILLS
    r_count, role_count = DOMAINS * RESOURCES, DOMAINS * ROLES
    t0 = builder.add_bulk_nodes(
        "technology", [f"tech-{i}" for i in range(t_count)], [f"Tech {i}" for i in range(t_count)]
    )
    s0 = builder.add_bulk_nodes(
        "skill", [f"skill-{i}" for i in range(s_count)], [f"Skill {i}" for i in range(s_count)]
    )
    r0 = builder.add_bulk_nodes(
        "resource", [f"res-{i}" for i in range(r_count)], [f"Course {i}" for i in range(r_count)]
    )
    o0 = builder.add_bulk_nodes(
        "role", [f"role-{i}" for i in range(role_count)], [f"Role {i}" for i in range(role_count)]
    )
    c0 = builder.add_bulk_nodes(
        "sector", [f"sector-{i}" for i in range(SECTORS)], [f"Sector {i}" for i in range(SECTORS)]
    )
    domain_t = np.arange(t_count) // TECHS
    local_t = np.arange(t_count) % TECHS
    # requires: 5 per technology, to earlier technologies of its domain.
    req_src = np.repeat(np.arange(t_count), 5)
    back = rng.integers(1, TECHS, size=len(req_src))
    req_local = local_t[req_src] - back
    keep = req_local >= 0
    req_src = req_src[keep]
    req_dst = domain_t[req_src] * TECHS + req_local[keep]
    constrained = rng.random(len(req_src)) < 0.1
    builder.add_bulk_edges("requires", t0 + req_src[~constrained], t0 + req_dst[~constrained])
    for s, d in zip(req_src[constrained].tolist(), req_dst[constrained].tolist(), strict=True):
        attr = EdgeAttr(registry="generated", constraint=f">={rng.integers(1, 4)}", when=None)
        builder.add_edge("requires", t0 + s, t0 + d, attr=attr)
    cross_src = rng.integers(0, t_count, 500)
    cross_dst = rng.integers(0, t_count, 500)
    builder.add_bulk_edges("requires", t0 + cross_src, t0 + cross_dst)
    # 50 domains whose first two technologies require each other: dependency cycles.
    looped = rng.choice(DOMAINS, 50, replace=False) * TECHS
    builder.add_bulk_edges(
        "requires",
        t0 + np.concatenate([looped, looped + 1]),
        t0 + np.concatenate([looped + 1, looped]),
    )
    # alternatives (6) and sectors (5) per technology; some conflicts.
    alt_src = np.repeat(np.arange(t_count), 7)
    alt_dst = domain_t[alt_src] * TECHS + rng.integers(0, TECHS, len(alt_src))
    builder.add_bulk_edges("alternative-to", t0 + alt_src, t0 + alt_dst)
    sec_src = np.repeat(np.arange(t_count), 7)
    builder.add_bulk_edges(
        "used-in-sector", t0 + sec_src, c0 + rng.integers(0, SECTORS, len(sec_src))
    )
    con_src = rng.integers(0, t_count, t_count // 5)
    con_dst = domain_t[con_src] * TECHS + rng.integers(0, TECHS, len(con_src))
    builder.add_bulk_edges("conflicts-with", t0 + con_src, t0 + con_dst)
    # skills: five tiers of six per domain; three prerequisites from the tier below.
    domain_s = np.arange(s_count) // SKILLS
    local_s = np.arange(s_count) % SKILLS
    upper = np.flatnonzero(local_s >= 6)
    pre_dst = np.repeat(upper, 3)
    pre_local = (local_s[pre_dst] // 6 - 1) * 6 + rng.integers(0, 6, len(pre_dst))
    pre_src = domain_s[pre_dst] * SKILLS + pre_local
    far = rng.random(len(pre_dst)) < 0.1
    pre_src[far] = rng.integers(0, DOMAINS, int(far.sum())) * SKILLS + rng.integers(
        0, 6, int(far.sum())
    )
    builder.add_bulk_edges("prerequisite-of", s0 + pre_src, s0 + pre_dst)
    # needs: one skill per technology, twelve upper-tier skills per role.
    builder.add_bulk_edges(
        "needs-skill",
        t0 + np.arange(t_count),
        s0 + domain_t * SKILLS + rng.integers(0, SKILLS, t_count),
    )
    role_src = np.repeat(np.arange(role_count), 12)
    role_dst = (role_src // ROLES) * SKILLS + rng.integers(12, SKILLS, len(role_src))
    builder.add_bulk_edges("needs-skill", o0 + role_src, s0 + role_dst)
    # teaching: four skills of adjacent tiers per resource, with hours.
    domain_r = np.arange(r_count) // RESOURCES
    teach_src = np.repeat(np.arange(r_count), 4)
    base_tier = rng.integers(0, 4, r_count)[teach_src]
    teach_local = (base_tier + rng.integers(0, 2, len(teach_src))) * 6 + rng.integers(
        0, 6, len(teach_src)
    )
    builder.add_bulk_edges(
        "teaches", r0 + teach_src, s0 + domain_r[teach_src] * SKILLS + teach_local
    )
    hours = rng.integers(1, 60, r_count)
    for i in range(r_count):
        builder.nodes[r0 + i].attrs = {
            "hours": float(hours[i]),
            "provider": "gen",
            "url": "https://example.org/",
        }
    # a fifth of the technologies have three release lines, the oldest past end of life.
    for i in np.flatnonzero(rng.random(t_count) < 0.2).tolist():
        node = builder.nodes[t0 + i]
        node.attrs = {"versioning": "semver", "since": 2015, "category": "library"}
        node.releases = [
            ReleaseInfo(
                str(v),
                (v,),
                date(2018 + v, 1, 1),
                date(2022 + 2 * v, 6, 30),
                False,
                "https://example.org/",
            )
            for v in (1, 2, 3)
        ]
    return builder


def _generated_inputs(graph: Any, runs: int) -> dict[str, list[Any]]:
    from shared.knowledge.schemas import StackItem, TeamMember

    rng = random.Random(5)
    stacks, teams, targets = [], [], []
    for _ in range(20):
        domain = rng.randrange(DOMAINS)
        techs = rng.sample(range(domain * TECHS, (domain + 1) * TECHS), 8)
        stacks.append(
            [
                StackItem(id=f"tech-{t}", version=rng.choice(["1", "2", "3.1.0", None]))
                for t in techs
            ]
        )
        teams.append(
            [
                TeamMember(
                    name=f"m{k}",
                    skills=[f"skill-{domain * SKILLS + rng.randrange(SKILLS)}" for _ in range(6)],
                )
                for k in range(4)
            ]
        )
        role = domain * ROLES + rng.randrange(ROLES)
        have = [f"skill-{domain * SKILLS + rng.randrange(6)}" for _ in range(3)]
        targets.append((have, f"role-{role}"))
    n = graph.node_count
    return {
        "stacks": stacks,
        "team": teams,
        "targets": targets,
        "queries": [f"tech-{rng.randrange(DOMAINS * TECHS)}" for _ in range(50)]
        + [f"skill {rng.randrange(1000)}" for _ in range(50)],
        "nodes": [rng.randrange(n) for _ in range(200)],
        "pairs": [(rng.randrange(n), rng.randrange(n)) for _ in range(200)],
    }


def generated(runs: int) -> dict[str, Any]:
    gc.collect()
    started = time.perf_counter()
    builder = generate()
    generate_s = time.perf_counter() - started
    started = time.perf_counter()
    graph = builder.build(1)
    compile_s = time.perf_counter() - started
    stated = graph.explicit_edges
    queries = _queries(graph, _generated_inputs(graph, runs), runs)
    del graph, builder
    gc.collect()
    tracemalloc.start()
    builder = generate()
    graph = builder.build(1)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "nodes": graph.node_count,
        "stated_edges": stated,
        "inferred_edges": graph.edge_count - stated,
        "requires_cycles": len(graph.requires_cycles),
        "generate_input_s": round(generate_s, 3),
        "cold_start_compile_s": round(compile_s, 3),
        "peak_traced_memory_mb": round(peak / 2**20, 1),
        "queries": queries,
    }


def run(quick: bool = False) -> dict[str, Any]:
    runs = 60 if quick else 400
    result = {"shipped": shipped(runs), "generated": generated(runs)}
    result["max_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    result["targets"] = {"query_p95_ms": 20, "cold_start_s": 2}
    return result


if __name__ == "__main__":
    import json

    sys.path.insert(0, str(ROOT))
    print(json.dumps(run(quick="--quick" in sys.argv), indent=2))
