"""Pitfalls of a stack and the team that will run it, each with a severity and a
prevention strategy: missing prerequisites, incompatible or end-of-life versions,
deprecated tools, conflicts, dependency cycles, overlapping tools, single points of
failure, and skill gaps."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from shared.knowledge.compatibility import IMPLIED_CATEGORIES, consistent_fixes, score_parts
from shared.knowledge.index import NEEDS, REQUIRES, TEACHES, GraphIndex
from shared.knowledge.matching import Ambiguous
from shared.knowledge.schemas import Fix, Pitfall, PitfallReport, StackItem
from shared.knowledge.stack import Assessment, assess, ref
from shared.ports.stack_advice import TeamMember

SEVERITY_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4}
# Foundations that many items depend on by nature: not a single point of failure.
FOUNDATIONS = IMPLIED_CATEGORIES | {"runtime", "package-manager", "build-tool"}
LONG_PAST = timedelta(days=365)
SKILL_CONFIDENCE = 0.75  # inferred needs below this are not reported as gaps


def _fix_text(fixes: list[Fix], node: str) -> str | None:
    for fix in fixes:
        if fix.node.id == node and fix.action == "pick-version" and fix.version:
            return f"pin {fix.node.name} {fix.version}"
        if fix.node.id == node and fix.action == "replace" and fix.replace_with:
            return f"replace {fix.node.name} with {fix.replace_with.name}"
    return None


def _version_findings(found: Assessment, fixes: list[Fix]) -> list[Pitfall]:
    graph = found.graph
    out: list[Pitfall] = []
    for check in found.checks:
        target = graph.nodes[graph.names.keys[check.target.id]]
        if check.outcome == "missing":
            if check.constraint is None and target.attrs.get("category") in IMPLIED_CATEGORIES:
                continue
            wanted = f" {check.constraint}" if check.constraint else ""
            out.append(
                Pitfall(
                    kind="missing-prerequisite",
                    severity="medium",
                    title=f"{check.source.name} requires {check.target.name}{wanted}",
                    detail=f"{check.target.name} is not in the stack, so nothing checks the "
                    "version it will run with.",
                    nodes=[check.source, check.target],
                    prevention=f"Add {check.target.name}{wanted} to the stack and pin its "
                    "version in the build (lock file or base image).",
                    evidence=[check.reference] if check.reference else [],
                )
            )
        elif check.outcome in ("violated", "upgrade-within-line"):
            fix = _fix_text(fixes, check.target.id) or _fix_text(fixes, check.source.id)
            severe = check.outcome == "violated"
            out.append(
                Pitfall(
                    kind="incompatible-version",
                    severity="high" if severe else "low",
                    title=f"{check.source.name} {check.source_version} needs "
                    f"{check.target.name} {check.constraint}, the stack has "
                    f"{check.target_version}",
                    detail=(check.note or "")
                    + (
                        "" if severe else " Early patch releases of the chosen line do not qualify."
                    ),
                    nodes=[check.source, check.target],
                    prevention=(fix[0].upper() + fix[1:] + "; " if fix else "")
                    + "check version constraints in CI (a resolver or a compatibility test).",
                    evidence=[check.reference] if check.reference else [],
                )
            )
    for e, a, b in found.conflicts:
        attr = graph.attrs[int(graph.attr[e])] if graph.attr[e] >= 0 else None
        fix = _fix_text(fixes, a.info.key)
        out.append(
            Pitfall(
                kind="conflict",
                severity="high",
                title=f"{a.info.name} conflicts with {b.info.name}",
                detail=attr.note if attr and attr.note else "These two cannot work together.",
                nodes=[ref(a.info), ref(b.info)],
                prevention=(fix[0].upper() + fix[1:] + "." if fix else f"Drop {a.info.name}."),
                evidence=[attr.source] if attr and attr.source else [],
            )
        )
    for item in found.items:
        release = item.release
        if item.support in ("end-of-life", "ending-soon") and release and release.eol:
            past = found.today - release.eol
            severity = (
                "medium"
                if item.support == "ending-soon"
                else "critical"
                if past > LONG_PAST
                else "high"
            )
            fix = _fix_text(fixes, item.info.key)
            when = "ended" if item.support == "end-of-life" else "ends"
            out.append(
                Pitfall(
                    kind="end-of-life",
                    severity=severity,
                    title=f"{item.info.name} {release.version} support {when} on {release.eol}",
                    detail="No security fixes after end of life"
                    + (f" ({past.days} days ago)." if past.days > 0 else "."),
                    nodes=[ref(item.info)],
                    prevention=(fix[0].upper() + fix[1:] + "; " if fix else "Upgrade; ")
                    + "track end-of-life dates and schedule upgrades a quarter ahead.",
                    evidence=[release.source],
                )
            )
        if item.info.attrs.get("status") == "deprecated":
            fix = _fix_text(fixes, item.info.key)
            source = item.info.attrs.get("status_source")
            out.append(
                Pitfall(
                    kind="deprecated",
                    severity="medium",
                    title=f"{item.info.name} is deprecated",
                    detail="It gets no new features and may stop getting fixes.",
                    nodes=[ref(item.info)],
                    prevention=(fix[0].upper() + fix[1:] + "." if fix else "Plan a replacement."),
                    evidence=[source] if source else [],
                )
            )
    return out


def _structure_findings(found: Assessment) -> list[Pitfall]:
    graph = found.graph
    out: list[Pitfall] = []
    closures = {p.node: _requires_closure(graph, [p.node]) for p in found.items}
    reach = set().union(*closures.values()) if closures else set()
    # Dependency cycles among what the stack requires, directly or transitively.
    cycles = sorted({graph.cycle_of[n] for n in reach if n in graph.cycle_of})
    for c in cycles:
        members = graph.requires_cycles[c]
        names = " -> ".join(graph.nodes[n].name for n in [*members, members[0]])
        out.append(
            Pitfall(
                kind="dependency-cycle",
                severity="medium",
                title=f"Dependency cycle: {names}",
                detail="These components require each other, so none can be upgraded, "
                "built or deployed on its own.",
                nodes=[ref(graph.nodes[n]) for n in members],
                prevention="Upgrade the cycle's members together behind one tested, pinned "
                "combination; where you own a member, break the cycle with an interface.",
            )
        )
    for a, b in found.overlaps:
        out.append(
            Pitfall(
                kind="overlapping-tools",
                severity="low",
                title=f"{a.info.name} and {b.info.name} do the same job",
                detail="Two tools for one job double upgrades, knowledge and failure modes.",
                nodes=[ref(a.info), ref(b.info)],
                prevention="Standardise on one; if both stay, record which one owns what.",
            )
        )
    # A component other items depend on: when it fails or breaks on upgrade, they all do.
    for item in found.items:
        if item.info.attrs.get("category") in FOUNDATIONS:
            continue
        dependents = [
            p for p in found.items if p.node != item.node and item.node in closures[p.node]
        ]
        if len(dependents) >= 2:
            names = ", ".join(p.info.name for p in dependents)
            out.append(
                Pitfall(
                    kind="single-point-of-failure",
                    severity="medium",
                    title=f"{item.info.name} is a single point of failure for {names}",
                    detail=f"{len(dependents)} components of the stack require it.",
                    nodes=[ref(item.info), *(ref(p.info) for p in dependents)],
                    prevention=f"Run {item.info.name} redundantly (replicas or a managed, "
                    "highly available service), monitor it, and rehearse its failover.",
                )
            )
    return out


def _requires_closure(graph: GraphIndex, seeds: list[int]) -> set[int]:
    seen = set(seeds)
    frontier = list(seeds)
    while frontier:
        nxt: list[int] = []
        for node in frontier:
            for target in graph.dst[graph.out_edges(node, REQUIRES)].tolist():
                if target not in seen:
                    seen.add(target)
                    nxt.append(target)
        frontier = nxt
    return seen


def member_skills(graph: GraphIndex, skills: list[str]) -> tuple[set[int], list[str]]:
    """A member's skills as skill nodes (a technology named counts as the skills it
    directly needs); and what could not be recognised."""
    held: set[int] = set()
    unknown: list[str] = []
    for text in skills:
        try:
            match = graph.resolve(text, ("skill",)) or graph.resolve(text, ("technology",))
        except Ambiguous:
            match = None
        if match is None:
            unknown.append(text)
            continue
        if graph.nodes[match.node].kind == "skill":
            held.add(match.node)
        else:
            edges = graph.out_edges(match.node, NEEDS)
            held.update(graph.dst[edges[graph.rule[edges] == 0]].tolist())
    return held, unknown


def _cheapest_route(graph: GraphIndex, skill: int) -> str | None:
    teachers = graph.src[graph.in_edges(skill, TEACHES)].tolist()
    if not teachers:
        return None
    best = min(teachers, key=lambda r: (graph.nodes[r].attrs.get("hours", 1e9), r))
    info = graph.nodes[best]
    return f"{info.name} ({info.attrs.get('provider')}, about {info.attrs.get('hours'):g} h)"


def _team_findings(
    found: Assessment, team: Sequence[TeamMember]
) -> tuple[list[Pitfall], list[str]]:
    graph = found.graph
    if not team:
        return [
            Pitfall(
                kind="skill-gap",
                severity="info",
                title="No team given",
                detail="Skill gaps and people as single points of failure were not assessed.",
                nodes=[],
                prevention="Pass the team and each member's skills.",
            )
        ], []
    held: list[set[int]] = []
    unknown: list[str] = []
    for member in team:
        skills, missing = member_skills(graph, list(member.skills))
        held.append(skills)
        unknown.extend(missing)
    needed: dict[int, list[tuple[int, bool]]] = {}
    for item in found.items:
        edges = graph.out_edges(item.node, NEEDS)
        for e in edges.tolist():
            if graph.conf[e] < SKILL_CONFIDENCE:
                continue
            needed.setdefault(int(graph.dst[e]), []).append((item.node, graph.rule[e] == 0))
    out: list[Pitfall] = []
    for skill, users in sorted(needed.items(), key=lambda kv: graph.nodes[kv[0]].name):
        holders = [team[i].label(i) for i, skills in enumerate(held) if skill in skills]
        info = graph.nodes[skill]
        techs = sorted({graph.nodes[t].name for t, _ in users})
        direct = any(d for _, d in users)
        if not holders:
            route = _cheapest_route(graph, skill)
            out.append(
                Pitfall(
                    kind="skill-gap",
                    severity="high" if direct else "medium",
                    title=f"Nobody on the team has {info.name}",
                    detail=f"Needed for {', '.join(techs)}.",
                    nodes=[ref(info), *(ref(graph.nodes[t]) for t, _ in users)],
                    prevention=(f"Learn it via {route}" if route else "Train or hire for it")
                    + "; POST /v1/graph/pathways gives a full plan.",
                )
            )
        elif len(holders) == 1 and len(team) > 1 and direct:
            out.append(
                Pitfall(
                    kind="single-point-of-failure",
                    severity="high",
                    title=f"Only {holders[0]} knows {info.name}",
                    detail=f"Bus factor 1 for {', '.join(techs)}.",
                    nodes=[ref(info)],
                    prevention="Pair on this area, document it, and cross-train a second "
                    "person before it is on the critical path.",
                )
            )
    if len(team) == 1:
        out.append(
            Pitfall(
                kind="single-point-of-failure",
                severity="high",
                title="A one-person team",
                detail="Every skill the stack needs rests on one person.",
                nodes=[],
                prevention="Document operations (runbooks) and line up a second person "
                "who can take over.",
            )
        )
    return out, sorted(set(unknown))


def pitfalls(
    graph: GraphIndex,
    stack: Sequence[StackItem],
    team: Sequence[TeamMember],
    today: date,
    *,
    strict: bool = True,
) -> PitfallReport:
    found = assess(graph, stack, today, strict=strict)
    fixes = consistent_fixes(found)
    findings = _version_findings(found, fixes) + _structure_findings(found)
    team_findings, unknown = _team_findings(found, team)
    findings += team_findings
    findings.sort(key=lambda p: (SEVERITY_ORDER[p.severity], p.kind, p.title))
    summary = {s: 0 for s in SEVERITY_ORDER}
    for finding in findings:
        summary[finding.severity] += 1
    parts = score_parts(found)
    return PitfallReport(
        findings=findings,
        summary=summary,
        compatibility_score=round(sum(p.points for p in parts)),
        unrecognised_skills=unknown,
        evaluated_on=today,
        generation=graph.generation,
    )
