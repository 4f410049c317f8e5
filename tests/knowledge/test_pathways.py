"""Learning pathways: closed under prerequisites, minimal in hours (checked by hand on a
small graph and by brute force on random instances), with alternatives."""

from __future__ import annotations

import itertools
import random

import pytest

from shared.knowledge.cover import Option, minimum_cover
from shared.knowledge.index import GraphIndex
from shared.knowledge.pathways import UnknownTarget, plan
from tests.knowledge.conftest import small_graph

SOURCE = "https://example.org/"


def _skill(sid: str, *pre: str) -> dict[str, object]:
    return {
        "id": sid,
        "name": sid.title(),
        "category": "x",
        "source": SOURCE,
        "prerequisites": list(pre),
    }


def _course(rid: str, hours: float, *skills: str) -> dict[str, object]:
    return {
        "id": rid,
        "name": rid,
        "provider": "p",
        "format": "course",
        "hours": hours,
        "level": "beginner",
        "teaches": list(skills),
        "url": SOURCE,
    }


@pytest.fixture(scope="module")
def school() -> GraphIndex:
    # basics -> lang -> {web, db} -> app. By hand: with basics known, the cheapest cover
    # of {lang, web, db, app} is r-lang + r-combo + r-app = 10 + 12 + 7 = 29 hours
    # (r-web + r-db instead of r-combo: 31; the all-in-one: 40).
    return small_graph(
        {
            "skills": [
                _skill("basics"),
                _skill("lang", "basics"),
                _skill("web", "lang"),
                _skill("db", "lang"),
                _skill("app", "web", "db"),
            ],
            "roles": [{"id": "builder", "name": "Builder", "skills": ["app"], "source": SOURCE}],
            "resources": [
                _course("r-basics", 5, "basics"),
                _course("r-lang", 10, "lang"),
                _course("r-combo", 12, "web", "db"),
                _course("r-web", 8, "web"),
                _course("r-db", 6, "db"),
                _course("r-app", 7, "app"),
                _course("r-all", 40, "lang", "web", "db", "app"),
            ],
        }
    )


def test_the_hand_checked_plan(school: GraphIndex) -> None:
    result = plan(school, ["basics"], "role:builder")
    assert result.total_hours == 29
    assert result.optimal
    assert [(s.skill.id, s.resource.id if s.resource else None, s.hours) for s in result.steps] == [
        ("skill:lang", "resource:r-lang", 10),
        ("skill:db", "resource:r-combo", 12),
        ("skill:web", "resource:r-combo", 0),  # the same course, counted once
        ("skill:app", "resource:r-app", 7),
    ]
    assert [s.level for s in result.steps] == [0, 1, 1, 2]
    assert {a.without.id: a.total_hours for a in result.alternatives}["resource:r-combo"] == 31
    web = next(s for s in result.steps if s.skill.id == "skill:web")
    assert [a.id for a in web.alternatives] == ["resource:r-web", "resource:r-all"]


def test_known_skills_and_their_foundations_are_skipped(school: GraphIndex) -> None:
    assert [s.skill.id for s in plan(school, ["web", "db"], "app").steps] == ["skill:app"]
    everything = plan(school, [], "skill:app")
    assert everything.steps[0].skill.id == "skill:basics"
    assert everything.total_hours == 34
    assert plan(school, ["app"], "app").steps == []


def _closed(result_steps: list, graph: GraphIndex, have: set[int]) -> None:  # type: ignore[type-arg]
    from shared.knowledge.pathways import _ancestors, _prerequisites

    known = _ancestors(graph, have, set())
    done: set[str] = set()
    for step in result_steps:
        node = graph.resolve(step.skill.id).node
        for pre in _prerequisites(graph, node):
            assert pre in known or graph.nodes[pre].key in done, (step.skill.id, pre)
        done.add(step.skill.id)


def test_every_role_plan_on_the_shipped_data_is_closed(graph: GraphIndex) -> None:
    for role in graph.by_kind["role"].tolist():
        key = graph.nodes[role].key
        result = plan(graph, ["python"], key)
        _closed(result.steps, graph, {graph.resolve("skill:python").node})
        covered = {s.resource.id for s in result.steps if s.resource}
        assert result.total_hours == pytest.approx(
            sum(graph.nodes[graph.resolve(r).node].attrs["hours"] for r in covered)
        )
        assert not result.uncovered


def test_cover_is_minimal_against_brute_force() -> None:
    rng = random.Random(7)
    for _ in range(60):
        elements = set(range(rng.randint(3, 8)))
        options = [
            Option(
                i,
                float(rng.randint(1, 20)),
                frozenset(rng.sample(sorted(elements), rng.randint(1, min(4, len(elements))))),
            )
            for i in range(rng.randint(3, 9))
        ]
        coverable = set().union(*(o.covers for o in options)) & elements
        best = min(
            sum(o.hours for o in combo)
            for k in range(1, len(options) + 1)
            for combo in itertools.combinations(options, k)
            if set().union(*(o.covers for o in combo)) >= coverable
        )
        result = minimum_cover(elements, options)
        assert result.optimal
        assert result.hours == pytest.approx(best)
        chosen = [o for o in options if o.id in result.chosen]
        assert set().union(*(o.covers for o in chosen)) >= coverable


def test_greedy_fallback_is_flagged_when_the_budget_runs_out() -> None:
    rng = random.Random(3)
    elements = set(range(40))
    options = [
        Option(i, float(rng.randint(5, 30)), frozenset(rng.sample(sorted(elements), 6)))
        for i in range(120)
    ]
    result = minimum_cover(elements, options, budget=50)
    assert not result.optimal
    assert set().union(*(o.covers for o in options if o.id in result.chosen)) >= elements


def test_unknown_target(school: GraphIndex) -> None:
    with pytest.raises(UnknownTarget):
        plan(school, [], "astronaut")
