"""Compatibility scoring: the parts, their explanations, and concrete fixes."""

from __future__ import annotations

from datetime import date

import pytest

from shared.knowledge.compatibility import WEIGHTS, compatibility
from shared.knowledge.index import GraphIndex
from shared.knowledge.schemas import CompatibilityReport, StackItem
from shared.knowledge.stack import StackProblems
from tests.knowledge.conftest import TODAY


def check(
    graph: GraphIndex, *items: tuple[str, str | None], today: date = TODAY
) -> CompatibilityReport:
    return compatibility(graph, [StackItem(id=i, version=v) for i, v in items], today)


def parts(report: CompatibilityReport) -> dict[str, float]:
    return {p.name: p.score for p in report.parts}


def test_a_sound_stack_scores_full_marks(graph: GraphIndex) -> None:
    report = check(graph, ("django", "5.2"), ("python", "3.12"), ("postgresql", "17"))
    assert report.score == 100
    assert [p.name for p in report.parts] == list(WEIGHTS)
    assert sum(p.weight for p in report.parts) == 100
    assert all(c.outcome == "satisfied" for c in report.constraints if c.constraint)
    assert report.fixes == []


def test_violated_constraints_and_eol_lower_the_score_with_fixes(graph: GraphIndex) -> None:
    report = check(graph, ("django", "5.2"), ("python", "3.9"), ("postgres", "13"))
    assert parts(report)["versions"] == 0.0
    assert parts(report)["end_of_life"] == pytest.approx(1 / 3, abs=1e-3)
    assert report.score == round(sum(p.points for p in report.parts))
    assert report.score < 60
    picks = {f.node.id: f.version for f in report.fixes if f.action == "pick-version"}
    assert picks["technology:python"] == "3.14"  # newest supported line within <3.15
    assert picks["technology:postgresql"] == "18"
    explained = " ".join(report.parts[0].details)
    assert "Django 5.2 requires Python >=3.10,<3.15: violated (have 3.9)" in explained


def test_eol_is_relative_to_the_day_asked(graph: GraphIndex) -> None:
    before = check(graph, ("nodejs", "20"), today=date(2025, 1, 1))
    after = check(graph, ("nodejs", "20"), today=date(2026, 6, 1))
    assert before.stack[0].support == "supported"
    assert after.stack[0].support == "end-of-life"
    soon = check(graph, ("nodejs", "20"), today=date(2026, 1, 1))
    assert soon.stack[0].support == "ending-soon"
    assert parts(before)["end_of_life"] == 1.0 and parts(after)["end_of_life"] == 0.0


def test_a_line_that_needs_a_patch_upgrade_gets_that_version(graph: GraphIndex) -> None:
    report = check(graph, ("angular", "19"), ("node", "20"), today=date(2025, 6, 1))
    [constraint] = [c for c in report.constraints if c.constraint]
    assert constraint.outcome == "upgrade-within-line"
    assert parts(report)["versions"] == 0.75
    assert {f.node.id: f.version for f in report.fixes}["technology:nodejs"] == "20.11.1"


def test_fixes_are_consistent_across_items(graph: GraphIndex) -> None:
    # Angular 18 is past its end of life: the fix moves it to 20, whose Node range then
    # decides which Node line to pick.
    report = check(graph, ("angular", "18"), ("nodejs", "18"), today=date(2026, 6, 1))
    picks = {f.node.id: f.version for f in report.fixes if f.action == "pick-version"}
    assert picks["technology:angular"] == "20"
    # Angular 20 needs Node ^20.19.0 || ^22.12.0 || ^24.0.0: within the 22 line, 22.12.0.
    assert picks["technology:nodejs"] in ("22.12.0", "24")


def test_conflicts_deprecation_and_overlap(graph: GraphIndex) -> None:
    report = check(graph, ("enzyme", None), ("react", "18"), ("moment", None), ("vue", "3"))
    assert parts(report)["conflicts"] == 0.5
    assert parts(report)["overlap"] == 0.75
    assert parts(report)["maturity"] < 1
    actions = {
        (f.action, f.node.id, f.replace_with.id if f.replace_with else None) for f in report.fixes
    }
    assert ("replace", "technology:enzyme", "technology:testing-library") in actions
    assert ("replace", "technology:moment", "technology:date-fns") in actions
    # A versioned conflict holds only in range: Enzyme works with React 16.
    older = check(graph, ("enzyme", None), ("react", "16"))
    assert parts(older)["conflicts"] == 1.0


def test_missing_requirements_are_fixes_not_penalties(graph: GraphIndex) -> None:
    report = check(graph, ("django", "5.2"))
    assert report.score == 100
    [add] = [f for f in report.fixes if f.action == "add"]
    assert (add.node.id, add.version) == ("technology:python", "3.14")
    optional = [c for c in report.constraints if c.target.id == "technology:postgresql"]
    assert optional == []  # optional requirements apply only when present


def test_unknown_items_and_bad_versions_are_named(graph: GraphIndex) -> None:
    with pytest.raises(StackProblems) as caught:
        check(graph, ("djangoo", None), ("python", "three"), ("python", "3.12"))
    problems = {(i, f) for i, f, _ in caught.value.problems}
    assert problems == {(0, "id"), (1, "version")}
    assert "did you mean" in caught.value.problems[0][2]
