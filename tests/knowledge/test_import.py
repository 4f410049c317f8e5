"""Importers (JSON, CSV) with errors naming row and field; prerequisite cycles rejected
with the cycle named; cross-registry matching and inferred edges with provenance."""

from __future__ import annotations

from typing import Any

import pytest

from shared.knowledge.builder import GraphBuilder
from shared.knowledge.curated import curated_registry
from shared.knowledge.importer import ImportRejected, parse_csv, parse_json
from shared.knowledge.index import ROUTE, GraphIndex, NodeOrigin
from tests.knowledge.conftest import small_graph

SOURCE = "https://example.org/"


def test_csv_errors_name_the_row_and_the_field() -> None:
    files = {
        "technologies.csv": "id,name,category,source\n"
        "good,Good,library,https://example.org/\n"
        "Bad Id,Bad,library,https://example.org/\n",
        "releases.csv": "technology,version,released,eol,source\n"
        "good,1.2,2024-01-01,2023-13-01,https://example.org/\n",
        "resources.csv": "id,name,provider,format,hours,level,teaches,url\n"
        "r1,R,P,course,-3,beginner,x,https://example.org/\n",
    }
    with pytest.raises(ImportRejected) as caught:
        parse_csv("mine", files)
    paths = {p.path for p in caught.value.problems}
    assert "technologies.csv row 3.id" in paths
    assert "releases.csv row 2.eol" in paths
    assert "resources.csv row 2.hours" in paths


def test_csv_rejects_unknown_columns_and_ragged_rows() -> None:
    with pytest.raises(ImportRejected) as caught:
        parse_csv("mine", {"skills.csv": "id,name,colour\na,A,red\n"})
    assert [p.path for p in caught.value.problems] == ["skills.csv row 1.colour"]
    with pytest.raises(ImportRejected) as caught:
        parse_csv("mine", {"skills.csv": "id,name,category,source\na,A\n"})
    assert caught.value.problems[0].where == "skills.csv row 2"


def test_json_errors_name_the_item_and_the_field() -> None:
    document = {
        "technologies": [
            {
                "id": "t",
                "name": "T",
                "category": "x",
                "source": SOURCE,
                "versioning": "pep440",
                "releases": [{"version": "not a version", "source": SOURCE}],
            },
        ],
        "skills": [{"id": "s", "name": "S", "category": "x", "source": "ftp://nope"}],
        "edges": [{"kind": "teaches", "from": "a", "to": "b", "constraint": ">=1"}],
        "colours": [],
    }
    with pytest.raises(ImportRejected) as caught:
        parse_json("mine", document)
    paths = {p.path for p in caught.value.problems}
    assert "technologies[0]" in {p.where for p in caught.value.problems}
    assert "skills[0].source" in paths
    assert "edges[0]" in {p.where for p in caught.value.problems}
    assert "content.colours" in paths
    message = " ".join(p.message for p in caught.value.problems)
    assert "not a version" in message and "carries no version constraint" in message


def _skills(*rows: tuple[str, str]) -> dict[str, Any]:
    return {
        "skills": [
            {
                "id": sid,
                "name": sid.upper(),
                "category": "x",
                "source": SOURCE,
                "prerequisites": [p for p in pre.split(";") if p],
            }
            for sid, pre in rows
        ]
    }


def test_a_prerequisite_cycle_is_rejected_with_the_cycle_named() -> None:
    builder = GraphBuilder()
    problems = builder.add_registry(
        parse_json("loop", _skills(("a", "c"), ("b", "a"), ("c", "b"), ("d", "a")))
    )
    assert problems == []
    problem = builder.prerequisite_cycle(registry="loop")
    assert problem is not None
    assert problem.field == "prerequisites"
    assert problem.where.startswith("skills[")
    named = problem.message.removeprefix("prerequisite cycle: ").split(" -> ")
    assert named[0] == named[-1] and sorted(named[:-1]) == ["skill:a", "skill:b", "skill:c"]
    assert "skill:d" not in problem.message


def test_a_cycle_across_registries_is_found() -> None:
    builder = GraphBuilder()
    assert builder.add_registry(curated_registry()) == []
    # python is a prerequisite of django in the curated data; this makes it circular.
    assert (
        builder.add_registry(
            parse_json(
                "mine",
                {
                    "skills": [
                        {
                            "id": "python",
                            "name": "Python programming",
                            "category": "x",
                            "source": SOURCE,
                            "prerequisites": ["skill:django"],
                        }
                    ]
                },
            )
        )
        == []
    )
    problem = builder.prerequisite_cycle(registry="mine")
    assert problem is not None and "skill:django" in problem.message
    assert "skill:python" in problem.message


def test_requires_cycles_are_data_not_errors() -> None:
    def tech(i, req):
        return {
            "id": i,
            "name": i.upper(),
            "category": "lib",
            "source": SOURCE,
            "requires": [req],
        }

    g = small_graph({"technologies": [tech("x", "y"), tech("y", "z"), tech("z", "x")]})
    [cycle] = g.requires_cycles
    assert sorted(g.nodes[n].key for n in cycle) == ["technology:x", "technology:y", "technology:z"]


@pytest.fixture(scope="module")
def merged() -> tuple[GraphBuilder, GraphIndex]:
    builder = GraphBuilder()
    assert builder.add_registry(curated_registry()) == []
    acme = {
        "technologies": [
            {"id": "postgres", "name": "Postgres DB", "category": "database", "source": SOURCE},
            {
                "id": "nodejs",
                "name": "Node",
                "category": "runtime",
                "source": SOURCE,
                "releases": [{"version": "99", "eol": "2099-01-01", "source": SOURCE}],
            },
            {
                "id": "google-k8s",
                "name": "Google Kubernetes Engine",
                "category": "x",
                "source": SOURCE,
            },
            {
                "id": "acme-orm",
                "name": "Acme ORM",
                "category": "orm",
                "source": SOURCE,
                "requires": ["postgres"],
            },
        ],
        "skills": [
            {
                "id": "acme-orm",
                "name": "Acme ORM skills",
                "category": "x",
                "source": SOURCE,
                "technologies": ["acme-orm"],
                "prerequisites": ["sql"],
            }
        ],
        "resources": [
            {
                "id": "acme-academy",
                "name": "Acme Academy",
                "provider": "Acme",
                "format": "course",
                "hours": 3,
                "level": "beginner",
                "teaches": ["acme-orm"],
                "url": SOURCE,
            },
            {
                "id": "acme-pg",
                "name": "Acme on Postgres",
                "provider": "Acme",
                "format": "course",
                "hours": 2,
                "level": "beginner",
                "teaches": ["skill:postgres"],
                "url": SOURCE,
            },
        ],
    }
    assert builder.add_registry(parse_json("acme", acme)) == []
    return builder, builder.build(2)


def test_records_merge_by_id_alias_and_name(merged: tuple[GraphBuilder, GraphIndex]) -> None:
    builder, g = merged
    found = {m.record: (m.node, m.method, m.confidence) for m in builder.matches}
    assert found["technology:nodejs"] == ("technology:nodejs", "id", 1.0)
    assert found["technology:postgres"] == ("technology:postgresql", "alias", 0.9)
    assert found["technology:google-k8s"] == ("technology:gke", "name", 0.8)
    assert "technology:acme-orm" not in found  # new, not matched
    pg = g.nodes[g.resolve("technology:postgresql").node]
    assert NodeOrigin("acme", "postgres", "alias", 0.9) in pg.provenance
    assert "Postgres DB" in pg.aliases
    node = g.nodes[g.resolve("technology:nodejs").node]
    assert [r.version for r in node.releases][-1] == "99"  # releases merged in


def test_edges_of_merged_records_point_at_the_merged_node(
    merged: tuple[GraphBuilder, GraphIndex],
) -> None:
    _, g = merged
    orm = g.resolve("technology:acme-orm").node
    targets = {g.nodes[int(g.dst[e])].key for e in g.out_edges(orm).tolist()}
    assert "technology:postgresql" in targets


def test_inferred_learning_routes_keep_provenance_and_confidence(
    merged: tuple[GraphBuilder, GraphIndex],
) -> None:
    _, g = merged
    course = g.resolve("resource:acme-pg").node
    routes = [e for e in g.out_edges(course, ROUTE).tolist()]
    by_target = {g.nodes[int(g.dst[e])].key: e for e in routes}
    e = by_target["technology:postgresql"]
    view = g.edge(e)
    assert view.inferred and view.rule == "teaches a needed skill"
    # teaches resolved by alias (0.9) x needs-skill stated (1.0) x rule factor 0.9
    assert view.confidence == pytest.approx(0.81, abs=1e-3)
    provenance = g.provenance(e).model_dump(mode="json")  # as answers state it
    assert [p["edge"] for p in provenance["from"]] == [
        "resource:acme-pg teaches skill:postgresql",
        "technology:postgresql needs-skill skill:postgresql",
    ]
    assert provenance["from"][0]["registry"] == "acme"
    assert provenance["from"][1]["registry"] == "curated"


def test_needs_propagate_through_requires_with_provenance(graph: GraphIndex) -> None:
    django = graph.resolve("technology:django").node
    python_skill = graph.resolve("skill:python").node
    [e] = [e for e in graph.out_edges(django).tolist() if int(graph.dst[e]) == python_skill]
    view = graph.edge(e)
    assert view.inferred and view.rule == "requires then needs-skill"
    assert view.confidence == pytest.approx(0.8)
    chain = [p["edge"] for p in graph.provenance(e).model_dump(mode="json")["from"]]
    assert chain[0] == "technology:django requires technology:python"
    assert chain[1] == "technology:python needs-skill skill:python"
    # A route inferred from an inferred need carries the whole chain.
    tutorial = graph.resolve("resource:python-tutorial").node
    [r] = [r for r in graph.out_edges(tutorial, ROUTE).tolist() if int(graph.dst[r]) == django]
    nested = graph.provenance(r).model_dump(mode="json")["from"][1]
    assert nested["rule"] == "requires then needs-skill"
    assert graph.edge(r).confidence == pytest.approx(0.72, abs=1e-3)


def test_unresolvable_and_ambiguous_references_are_problems() -> None:
    builder = GraphBuilder()
    assert builder.add_registry(curated_registry()) == []
    problems = builder.add_registry(
        parse_json(
            "mine",
            {
                "edges": [
                    {
                        "kind": "requires",
                        "from": "technology:django",
                        "to": "technology:no-such-thing",
                    },
                    {
                        "kind": "requires",
                        "from": "technology:django",
                        "to": "technology:python",
                        "constraint": "^^3",
                    },
                    {"kind": "teaches", "from": "technology:django", "to": "skill:python"},
                ],
            },
        )
    )
    by_where = {(p.where, p.field) for p in problems}
    assert ("edges[0]", "to") in by_where
    assert ("edges[1]", "constraint") in by_where
    assert ("edges[2]", "from") in by_where  # a technology cannot teach
