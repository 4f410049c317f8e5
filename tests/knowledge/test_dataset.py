"""The curated dataset: sizes, integrity, and spot checks of facts against sources."""

from __future__ import annotations

import csv
from datetime import date

import numpy as np

from shared.knowledge.builder import GraphBuilder
from shared.knowledge.curated import DATA, curated_registry
from shared.knowledge.index import PREREQ, GraphIndex
from shared.knowledge.matching import normalise
from shared.knowledge.stack import release_for


def test_sizes_meet_the_issue(graph: GraphIndex) -> None:
    counts = graph.stats().nodes
    assert counts["technology"] >= 300
    assert counts["skill"] >= 200
    assert counts["role"] >= 40
    assert counts["resource"] >= 150
    assert counts["sector"] >= 10


def test_every_reference_resolves_and_no_prerequisite_cycle() -> None:
    builder = GraphBuilder()
    assert builder.add_registry(curated_registry()) == []
    assert builder.prerequisite_cycle() is None


def test_every_edge_joins_existing_nodes(graph: GraphIndex) -> None:
    assert graph.src.min() >= 0 and graph.dst.min() >= 0
    assert graph.src.max() < graph.node_count and graph.dst.max() < graph.node_count
    prereq = graph.ekind == PREREQ
    assert (graph.kind[graph.src[prereq]] == graph.kind[graph.dst[prereq]]).all()


def test_every_record_has_a_source() -> None:
    registry = curated_registry().registry
    for tech in registry.technologies:
        assert tech.source.startswith("https://"), tech.id
        for release in tech.releases:
            assert release.source.startswith("https://"), (tech.id, release.version)
        if tech.status == "deprecated":
            assert tech.status_source, tech.id
    for record in [*registry.skills, *registry.roles, *registry.sectors]:
        assert record.source.startswith("https://"), record.id
    for resource in registry.resources:
        assert resource.url.startswith(("https://", "http://")), resource.id
        assert resource.hours > 0


def test_end_of_life_dates_parse_and_follow_release_dates() -> None:
    with (DATA / "releases.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert sum(1 for r in rows if r["eol"]) >= 80
    for row in rows:
        if row["eol"]:
            eol = date.fromisoformat(row["eol"])
            if row["released"]:
                assert date.fromisoformat(row["released"]) < eol, row


def test_every_skill_is_taught_and_every_role_needs_skills(graph: GraphIndex) -> None:
    registry = curated_registry().registry
    taught = {s for r in registry.resources for s in r.teaches}
    assert {s.id for s in registry.skills} <= taught
    assert all(len(r.skills) >= 3 for r in registry.roles)


def test_aliases_are_unambiguous_within_a_kind() -> None:
    registry = curated_registry().registry
    for records in (registry.technologies, registry.skills, registry.roles):
        owner: dict[str, str] = {}
        for record in records:
            for text in (record.id, *record.aliases):
                key = normalise(text)
                assert owner.setdefault(key, record.id) == record.id, (text, record.id)


def test_facts_against_their_sources(graph: GraphIndex) -> None:
    python = graph.nodes[graph.resolve("technology:python").node]
    assert release_for(python, "3.9.18").eol == date(2025, 10, 31)
    assert release_for(python, "3.12").eol == date(2028, 10, 31)
    node = graph.nodes[graph.resolve("technology:nodejs").node]
    assert release_for(node, "20.11.1").eol == date(2026, 4, 30)
    postgres = graph.nodes[graph.resolve("technology:postgres").node]
    assert release_for(postgres, "13.4").eol == date(2025, 11, 13)
    django = graph.resolve("technology:django").node
    constraints = {
        graph.attrs[int(graph.attr[e])].when: graph.attrs[int(graph.attr[e])].constraint
        for e in graph.out_edges(django).tolist()
        if int(graph.dst[e]) == graph.resolve("technology:python").node
    }
    assert constraints["==5.2.*"] == ">=3.10,<3.15"  # Django 5.x requires Python >= 3.10
    assert constraints["==4.2.*"] == ">=3.8,<3.13"


def test_prerequisites_form_layers(graph: GraphIndex) -> None:
    # A learning order exists: a topological sort consumes every prerequisite edge.
    edges = np.flatnonzero(graph.ekind == PREREQ)
    indegree = np.bincount(graph.dst[edges], minlength=graph.node_count)
    ready = list(np.flatnonzero((indegree == 0) & (graph.kind == 1)))
    seen = 0
    while ready:
        node = ready.pop()
        seen += 1
        for e in graph.out_edges(int(node), PREREQ).tolist():
            target = int(graph.dst[e])
            indegree[target] -= 1
            if indegree[target] == 0:
                ready.append(target)
    assert seen == int((graph.kind == 1).sum())
