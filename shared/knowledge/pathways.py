"""Learning pathways: from the skills someone has to a target role, skill or
technology, an ordered plan closed under prerequisites and minimal in hours.

1. Goal skills: the target's needed skills (a role's, a technology's stated ones, or
   the skill itself).
2. Known skills: those held and, transitively, their prerequisites (holding a skill
   implies its foundations).
3. Required skills: the goal skills and, transitively, their prerequisites, stopping at
   known skills. Every prerequisite of a required skill is therefore either known or
   required: the plan is closed under prerequisites.
4. Resources: the fewest total hours of resources that teach every required skill that
   any resource teaches (`shared.knowledge.cover`: exact branch and bound per component,
   greedy fallback past a budget, flagged). A resource teaching several skills counts
   once.
5. Order: required skills in topological order of the prerequisite edges, by level
   (longest prerequisite chain below a skill; a level can be learnt in parallel) and
   then by name, so the plan is deterministic.
Alternatives: per step, the other resources teaching that skill; per plan, the best
plan without each of its two largest resources."""

from __future__ import annotations

from collections.abc import Sequence

from shared.knowledge.cover import Option, minimum_cover
from shared.knowledge.index import NEEDS, PREREQ, TEACHES, GraphIndex
from shared.knowledge.matching import Ambiguous, Match
from shared.knowledge.schemas import AlternativePlan, NodeRef, Pathway, PathwayStep, ResourceRef
from shared.knowledge.stack import ref

TARGET_KINDS = ("role", "skill", "technology")
MAX_ALTERNATIVES = 3


class UnknownTarget(LookupError):
    pass


def resource_ref(graph: GraphIndex, node: int) -> ResourceRef:
    info = graph.nodes[node]
    a = info.attrs
    return ResourceRef(
        id=info.key,
        name=info.name,
        provider=str(a.get("provider", "")),
        url=str(a.get("url", "")),
        hours=float(a.get("hours", 0.0)),
        hours_basis=str(a.get("hours_basis", "estimate")),
        level=str(a.get("level", "")),
        format=str(a.get("format", "")),
        free=bool(a.get("free", True)),
    )


def _resolve_first(graph: GraphIndex, text: str, kinds: Sequence[str]) -> Match | None:
    """The first of `kinds` (in order of preference) that `text` names."""
    for kind in kinds:
        try:
            match = graph.resolve(text, (kind,))
        except Ambiguous:
            continue
        if match is not None:
            return match
    return None


def _stated_needs(graph: GraphIndex, node: int) -> list[int]:
    edges = graph.out_edges(node, NEEDS)
    return sorted(set(graph.dst[edges[graph.rule[edges] == 0]].tolist()))


def _prerequisites(graph: GraphIndex, skill: int) -> list[int]:
    return [int(p) for p in graph.src[graph.in_edges(skill, PREREQ)]]


def _ancestors(graph: GraphIndex, seeds: set[int], stop: set[int]) -> set[int]:
    """`seeds` and everything below them along prerequisite edges, not entering `stop`."""
    found = set(seeds) - stop
    frontier = list(found)
    while frontier:
        nxt = []
        for skill in frontier:
            for pre in _prerequisites(graph, skill):
                if pre not in found and pre not in stop:
                    found.add(pre)
                    nxt.append(pre)
        frontier = nxt
    return found


def _levels(graph: GraphIndex, required: set[int]) -> dict[int, int]:
    """Longest prerequisite chain below each skill, within `required` (Kahn's order;
    prerequisite edges are acyclic because imports reject cycles)."""
    below = {s: [p for p in _prerequisites(graph, s) if p in required] for s in required}
    above: dict[int, list[int]] = {s: [] for s in required}
    for skill, pres in below.items():
        for p in pres:
            above[p].append(skill)
    waiting = {s: len(pres) for s, pres in below.items()}
    ready = [s for s, n in waiting.items() if n == 0]
    level: dict[int, int] = {}
    while ready:
        skill = ready.pop()
        level[skill] = 1 + max((level[p] for p in below[skill]), default=-1)
        for nxt in above[skill]:
            waiting[nxt] -= 1
            if waiting[nxt] == 0:
                ready.append(nxt)
    return level


def plan(graph: GraphIndex, have: Sequence[str], target: str) -> Pathway:
    match = _resolve_first(graph, target, TARGET_KINDS)
    if match is None:
        raise UnknownTarget(f"no role, skill or technology {target!r}")
    goal_info = graph.nodes[match.node]
    goals = {match.node} if goal_info.kind == "skill" else set(_stated_needs(graph, match.node))
    return plan_for(graph, have, goals, ref(goal_info))


def plan_for_skills(graph: GraphIndex, have: Sequence[str], skills: Sequence[str]) -> Pathway:
    """One plan to several skills (or technologies, for their stated skills) at once:
    shared prerequisites and resources are counted once."""
    goals: set[int] = set()
    unknown = []
    for text in skills:
        match = _resolve_first(graph, text, ("skill", "technology"))
        if match is None:
            unknown.append(text)
            continue
        info = graph.nodes[match.node]
        goals |= {match.node} if info.kind == "skill" else set(_stated_needs(graph, match.node))
    target = NodeRef(id="skills:" + ",".join(sorted(skills)), kind="skills", name="skill set")
    found = plan_for(graph, have, goals, target)
    found.unrecognised = [*found.unrecognised, *unknown]
    return found


def plan_for(graph: GraphIndex, have: Sequence[str], goals: set[int], target: NodeRef) -> Pathway:
    held: set[int] = set()
    held_refs: list[NodeRef] = []
    unrecognised: list[str] = []
    for text in have:
        found = _resolve_first(graph, text, ("skill", "technology", "role"))
        if found is None:
            unrecognised.append(text)
            continue
        info = graph.nodes[found.node]
        held_refs.append(ref(info))
        held |= {found.node} if info.kind == "skill" else set(_stated_needs(graph, found.node))
    known = _ancestors(graph, held, set())
    required = _ancestors(graph, goals, known)

    teachers: dict[int, list[int]] = {
        s: sorted(set(graph.src[graph.in_edges(s, TEACHES)].tolist())) for s in required
    }
    resources = sorted({r for rs in teachers.values() for r in rs})
    options = [
        Option(
            id=r,
            hours=float(graph.nodes[r].attrs.get("hours", 0.0)),
            covers=frozenset(s for s in required if r in teachers[s]),
        )
        for r in resources
    ]
    cover = minimum_cover(required, options)
    chosen = set(cover.chosen)

    level = _levels(graph, required)
    order = sorted(required, key=lambda s: (level[s], graph.nodes[s].name.lower(), s))
    counted: set[int] = set()
    steps: list[PathwayStep] = []
    for position, skill in enumerate(order, start=1):
        mine = [r for r in teachers[skill] if r in chosen]
        resource = (
            min(mine, key=lambda r: (r not in counted, graph.nodes[r].attrs.get("hours", 0), r))
            if mine
            else None
        )
        hours = 0.0
        if resource is not None and resource not in counted:
            counted.add(resource)
            hours = float(graph.nodes[resource].attrs.get("hours", 0.0))
        others = sorted(
            (r for r in teachers[skill] if r != resource),
            key=lambda r: (graph.nodes[r].attrs.get("hours", 0), r),
        )[:MAX_ALTERNATIVES]
        steps.append(
            PathwayStep(
                order=position,
                level=level[skill],
                skill=ref(graph.nodes[skill]),
                prerequisites=[
                    ref(graph.nodes[p])
                    for p in sorted(_prerequisites(graph, skill))
                    if p in required
                ],
                resource=resource_ref(graph, resource) if resource is not None else None,
                hours=hours,
                alternatives=[resource_ref(graph, r) for r in others],
            )
        )
    alternatives = []
    largest = sorted(chosen, key=lambda r: -float(graph.nodes[r].attrs.get("hours", 0)))
    for excluded in largest[:2]:
        rest = [o for o in options if o.id != excluded]
        other = minimum_cover(required, rest)
        coverable_before = {s for s in required if teachers[s]}
        coverable_after = {s for s in required if any(r != excluded for r in teachers[s])}
        if coverable_after != coverable_before:
            continue
        alternatives.append(
            AlternativePlan(
                without=resource_ref(graph, excluded),
                total_hours=other.hours,
                resources=[resource_ref(graph, r) for r in other.chosen],
            )
        )
    method = (
        "exact: branch and bound over the resources teaching the required skills "
        "(minimum-hours set cover), per independent component"
        if cover.optimal
        else "greedy (hours per newly covered skill, within H(k) of optimal) where the "
        "exact search exceeded its budget"
    )
    return Pathway(
        target=target,
        have=held_refs,
        goal_skills=[ref(graph.nodes[s]) for s in sorted(goals, key=lambda s: graph.nodes[s].name)],
        steps=steps,
        total_hours=cover.hours,
        optimal=cover.optimal,
        method=method,
        uncovered=[ref(graph.nodes[s]) for s in order if not teachers[s]],
        alternatives=alternatives,
        unrecognised=unrecognised,
        generation=graph.generation,
    )
