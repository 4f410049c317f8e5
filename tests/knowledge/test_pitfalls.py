"""Pitfalls: each kind of finding, its severity and its prevention strategy."""

from __future__ import annotations

from datetime import date

from shared.knowledge.index import GraphIndex
from shared.knowledge.pitfalls import pitfalls
from shared.knowledge.schemas import PitfallReport, StackItem
from shared.ports.stack_advice import TeamMember
from tests.knowledge.conftest import TODAY, small_graph

SOURCE = "https://example.org/"


def run(
    graph: GraphIndex,
    stack: list[tuple[str, str | None]],
    team: list[tuple[str, list[str]]],
    today: date = TODAY,
) -> PitfallReport:
    return pitfalls(
        graph,
        [StackItem(id=i, version=v) for i, v in stack],
        [TeamMember(name=n, skills=s) for n, s in team],
        today,
    )


def kinds(report: PitfallReport) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for f in report.findings:
        found.setdefault(f.kind, []).append(f"{f.severity}: {f.title}")
    return found


def test_versions_eol_deprecation_and_missing_prerequisites(graph: GraphIndex) -> None:
    report = run(
        graph,
        [
            ("django", "4.2"),
            ("python", "3.7"),
            ("sidekiq", "7"),
            ("redis", "6.0"),
            ("moment", None),
        ],
        [("ann", ["python", "django"]), ("bob", ["ruby", "redis"])],
        today=date(2026, 11, 25),
    )
    found = kinds(report)
    assert "critical: Python 3.7 support ended on 2023-06-27" in found["end-of-life"]
    assert any("Django 4.2" in t for t in found["end-of-life"])
    assert any(
        "needs Python >=3.8,<3.13, the stack has 3.7" in t for t in found["incompatible-version"]
    )
    assert any("Sidekiq 7 needs Redis >=6.2" in t for t in found["incompatible-version"])
    assert found["deprecated"] == ["medium: Moment.js is deprecated"]
    assert any("Sidekiq requires Ruby" in t for t in found["missing-prerequisite"])
    assert report.summary["critical"] == 1
    assert all(f.prevention for f in report.findings)
    severities = [f.severity for f in report.findings]
    order = ["critical", "high", "medium", "low", "info"]
    assert severities == sorted(severities, key=order.index)


def test_team_gaps_and_people_as_single_points_of_failure(graph: GraphIndex) -> None:
    report = run(
        graph,
        [("react", "19"), ("nodejs", "22"), ("postgresql", "17")],
        [("ann", ["JavaScript", "react", "sql"]), ("bob", ["javascript", "astrology"])],
    )
    found = kinds(report)
    assert any("Nobody on the team has Node.js development" in t for t in found["skill-gap"])
    assert any("Nobody on the team has PostgreSQL" in t for t in found["skill-gap"])
    assert "high: Only ann knows React development" in found["single-point-of-failure"]
    assert report.unrecognised_skills == ["astrology"]
    gap = next(f for f in report.findings if f.title == "Nobody on the team has PostgreSQL")
    assert "Learn it via" in gap.prevention and " h)" in gap.prevention
    alone = run(graph, [("react", "19")], [("solo", ["react", "javascript"])])
    assert "high: A one-person team" in kinds(alone)["single-point-of-failure"]
    nobody = run(graph, [("react", "19")], [])
    assert kinds(nobody)["skill-gap"] == ["info: No team given"]


def test_shared_components_and_overlaps(graph: GraphIndex) -> None:
    report = run(
        graph,
        [("redis", None), ("sidekiq", None), ("bullmq", None), ("jest", None), ("vitest", None)],
        [("a", []), ("b", [])],
    )
    found = kinds(report)
    assert (
        "medium: Redis is a single point of failure for Sidekiq, BullMQ"
        in found["single-point-of-failure"]
    )
    assert "low: Jest and Vitest do the same job" in found["overlapping-tools"]


def test_dependency_cycles_reachable_from_the_stack() -> None:
    def tech(i, *req):
        return {
            "id": i,
            "name": i.upper(),
            "category": "lib",
            "source": SOURCE,
            "requires": list(req),
        }

    graph = small_graph(
        {"technologies": [tech("app", "x"), tech("x", "y"), tech("y", "x"), tech("other")]}
    )
    report = run(graph, [("app", None)], [("a", []), ("b", [])])
    [cycle] = [f for f in report.findings if f.kind == "dependency-cycle"]
    assert cycle.title == "Dependency cycle: X -> Y -> X"
    assert cycle.severity == "medium"
    clean = run(graph, [("other", None)], [("a", []), ("b", [])])
    assert not [f for f in clean.findings if f.kind == "dependency-cycle"]
