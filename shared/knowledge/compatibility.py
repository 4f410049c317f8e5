"""Compatibility of a stack: a 0-100 score made of five explained parts, and concrete
fixes (which version to pick, what to add or replace).

Parts and weights: versions 35 (share of the applicable version constraints that hold,
a patch upgrade within the chosen line counting 3/4), conflicts 20 (each stated
conflict costs half), end of life 20 (mean over items whose release line we track:
supported 1, ending within 180 days 1/2, past end of life 0), overlap 10 (each pair of
alternatives in one stack costs a quarter), maturity 15 (age of the technology, fresh
or pre-1.0 release lines, deprecation)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from shared.knowledge.index import ALTERNATIVE, REQUIRES, GraphIndex, NodeInfo, ReleaseInfo
from shared.knowledge.schemas import CompatibilityReport, Fix, ScorePart, StackItem
from shared.knowledge.stack import Assessment, Placed, applies, assess, ref, support_of
from shared.knowledge.versions import contains, judge

# A missing requirement on one of these, without a version constraint, is implied by
# the stack (React runs on JavaScript; a managed service runs on its cloud): not a fix.
IMPLIED_CATEGORIES = frozenset({"language", "cloud-platform", "os"})
WEIGHTS = {"versions": 35, "conflicts": 20, "end_of_life": 20, "overlap": 10, "maturity": 15}
FRESH_LINE = timedelta(days=90)


def _versions_part(found: Assessment) -> tuple[float, str, list[str]]:
    judged = [c for c in found.checks if c.outcome not in ("missing", "unknown")]
    details = []
    for c in found.checks:
        if c.outcome == "satisfied" and c.constraint is None:
            continue
        if c.outcome == "missing" and c.constraint is None and implied(found, c.target.id):
            continue
        source = f"{c.source.name} {c.source_version or ''}".strip()
        target = f"{c.target.name} {c.constraint or ''}".strip()
        have = c.target_version or "none"
        details.append(f"{source} requires {target}: {c.outcome} (have {have})")
    scored = [c for c in judged if c.constraint is not None]
    if not scored:
        return 1.0, "no version constraint applies between these items", details
    value = sum(
        1.0 if c.outcome == "satisfied" else 0.75 if c.outcome == "upgrade-within-line" else 0.0
        for c in scored
    )
    held = sum(c.outcome == "satisfied" for c in scored)
    return value / len(scored), f"{held} of {len(scored)} version constraints hold", details


def _eol_part(found: Assessment) -> tuple[float, str, list[str]]:
    tracked = [p for p in found.items if p.support in ("supported", "ending-soon", "end-of-life")]
    details = []
    for p in found.items:
        if p.release is None:
            details.append(f"{p.info.name} {p.version or ''}: no tracked release line".strip())
        elif p.release.eol:
            details.append(
                f"{p.info.name} {p.release.version}: {p.support}, end of life {p.release.eol}"
            )
        else:
            details.append(f"{p.info.name} {p.release.version}: no end of life announced")
    if not tracked:
        return 1.0, "no item has a tracked release line", details
    value = sum({"supported": 1.0, "ending-soon": 0.5}.get(p.support, 0.0) for p in tracked)
    eol = sum(p.support == "end-of-life" for p in tracked)
    return value / len(tracked), f"{eol} of {len(tracked)} tracked items past end of life", details


def _maturity(item: Placed, today: date) -> tuple[float, str]:
    info = item.info
    if info.attrs.get("status") == "deprecated":
        return 0.2, f"{info.name} is deprecated"
    since = info.attrs.get("since")
    if since is None:
        base, why = 0.75, "first release year unknown"
    else:
        age = today.year - int(since)
        base = (
            1.0
            if age >= 10
            else 0.9
            if age >= 5
            else 0.75
            if age >= 3
            else 0.6
            if age >= 1
            else 0.4
        )
        why = f"public since {since}"
    release = item.release
    if release and release.released and today - release.released < FRESH_LINE:
        base *= 0.85
        why += f"; line {release.version} is under 90 days old"
    if release and release.line and release.line[0] == 0 and info.scheme == "semver":
        base *= 0.8
        why += "; pre-1.0 line"
    return base, f"{info.name}: {why}"


def _part(name: str, value: float, explanation: str, details: list[str]) -> ScorePart:
    weight = WEIGHTS[name]
    value = max(0.0, min(1.0, value))
    return ScorePart(
        name=name,
        weight=weight,
        score=round(value, 3),
        points=round(weight * value, 2),
        explanation=explanation,
        details=details,
    )


def score_parts(found: Assessment) -> list[ScorePart]:
    versions = _versions_part(found)
    conflicts = [
        f"{a.info.name} conflicts with {b.info.name}"
        + (
            f": {found.graph.attrs[int(found.graph.attr[e])].note}"
            if found.graph.attr[e] >= 0
            else ""
        )
        for e, a, b in found.conflicts
    ]
    eol = _eol_part(found)
    overlaps = [f"{a.info.name} and {b.info.name} are alternatives" for a, b in found.overlaps]
    maturity = [_maturity(p, found.today) for p in found.items]
    return [
        _part("versions", versions[0], versions[1], versions[2]),
        _part(
            "conflicts",
            1 - 0.5 * len(conflicts),
            f"{len(conflicts)} stated conflict(s) between items",
            conflicts,
        ),
        _part("end_of_life", eol[0], eol[1], eol[2]),
        _part(
            "overlap",
            1 - 0.25 * len(overlaps),
            f"{len(overlaps)} pair(s) of tools doing the same job",
            overlaps,
        ),
        _part(
            "maturity",
            sum(m[0] for m in maturity) / len(maturity) if maturity else 1.0,
            "age and status of each technology and its release line",
            [m[1] for m in maturity],
        ),
    ]


def implied(found: Assessment, key: str) -> bool:
    match = found.graph.resolve(key)
    return match is not None and found.graph.nodes[match.node].attrs.get("category") in (
        IMPLIED_CATEGORIES
    )


# -- fixes -------------------------------------------------------------------------
def _constraints_on(found: Assessment, target: int, skip: int | None = None) -> list[str]:
    """Constraints the other items put on `target` (for the versions they have)."""
    graph = found.graph
    out = []
    for item in found.items:
        if item.node == target or item.node == skip:
            continue
        for e in graph.out_edges(item.node, REQUIRES).tolist():
            if int(graph.dst[e]) != target or graph.attr[e] < 0:
                continue
            attr = graph.attrs[int(graph.attr[e])]
            if attr.constraint and applies(attr.when, item):
                out.append(attr.constraint)
    return out


def _own_requirements_hold(found: Assessment, info: NodeInfo, node: int, version: str) -> bool:
    graph, by_node = found.graph, found.by_node()
    for e in graph.out_edges(node, REQUIRES).tolist():
        target = by_node.get(int(graph.dst[e]))
        if target is None or graph.attr[e] < 0 or target.version is None:
            continue
        attr = graph.attrs[int(graph.attr[e])]
        if attr.when and not contains(info.scheme, attr.when, version):
            continue
        if attr.constraint:
            outcome = judge(target.info.scheme, attr.constraint, target.version, line=target.line)
            if outcome.outcome == "violated":
                return False
    return True


def best_line(
    found: Assessment, node: int, constraints: list[str], *, require_own: bool = True
) -> tuple[ReleaseInfo, str] | None:
    """The newest supported release line of `node` meeting `constraints` (and whose own
    requirements the rest of the stack meets): the line, and the exact version to pick
    (the line itself, or its smallest patch that works)."""
    info = found.graph.nodes[node]
    candidates = sorted(
        info.releases,
        key=lambda r: (support_of(r, found.today) == "supported", r.line),
        reverse=True,
    )
    for release in candidates:
        if support_of(release, found.today) == "end-of-life":
            continue
        pick = release.version
        ok = True
        for constraint in constraints:
            verdict = judge(info.scheme, constraint, pick, line=True)
            if verdict.outcome == "violated":
                ok = False
                break
            if verdict.outcome == "upgrade-within-line":
                pick = verdict.version
        if ok and (not require_own or _own_requirements_hold(found, info, node, release.version)):
            return release, pick
    return None


def fixes(found: Assessment) -> list[Fix]:
    graph = found.graph
    out: list[Fix] = []
    fixed: set[int] = set()
    for (e, source, target), check in zip(found.check_edges, found.checks, strict=True):
        attr = graph.attrs[int(graph.attr[e])] if graph.attr[e] >= 0 else None
        constraint = attr.constraint if attr else None
        if check.outcome == "missing":
            node = int(graph.dst[e])
            if node in fixed or (constraint is None and implied(found, graph.nodes[node].key)):
                continue
            fixed.add(node)
            choice = best_line(found, node, [constraint] if constraint else [], require_own=False)
            out.append(
                Fix(
                    action="add",
                    node=ref(graph.nodes[node]),
                    version=choice[1] if choice else None,
                    reason=f"{source.info.name} requires {graph.nodes[node].name}"
                    + (f" {constraint}" if constraint else ""),
                )
            )
        elif (
            check.outcome == "upgrade-within-line"
            and target
            and constraint
            and target.support not in ("end-of-life", "ending-soon")
        ):
            verdict = judge(target.info.scheme, constraint, target.version or "", line=True)
            out.append(
                Fix(
                    action="pick-version",
                    node=ref(target.info),
                    version=verdict.version,
                    reason=f"{source.info.name} {source.version} requires "
                    f"{target.info.name} {constraint}",
                )
            )
        elif check.outcome == "violated" and target and constraint:
            if target.node in fixed:
                continue
            wanted = _constraints_on(found, target.node)
            choice = best_line(found, target.node, wanted)
            if choice:
                fixed.add(target.node)
                out.append(
                    Fix(
                        action="pick-version",
                        node=ref(target.info),
                        version=choice[1],
                        reason=f"{source.info.name} {source.version} requires "
                        f"{target.info.name} {constraint}; {target.version} does not match",
                    )
                )
                continue
            other = _source_line_for(found, source, target)
            if other:
                fixed.add(source.node)
                out.append(
                    Fix(
                        action="pick-version",
                        node=ref(source.info),
                        version=other,
                        reason=f"no known {target.info.name} line meets {constraint}; "
                        f"{source.info.name} {other} works with {target.info.name} "
                        f"{target.version}",
                    )
                )
    for item in found.items:
        if item.support in ("end-of-life", "ending-soon") and item.node not in fixed:
            choice = best_line(found, item.node, _constraints_on(found, item.node))
            if choice and choice[0].version != (item.release.version if item.release else None):
                fixed.add(item.node)
                eol = item.release.eol if item.release else None
                out.append(
                    Fix(
                        action="pick-version",
                        node=ref(item.info),
                        version=choice[1],
                        reason=f"{item.info.name} {item.version} is {item.support} ({eol}); "
                        f"{choice[0].version} is supported"
                        + (f" until {choice[0].eol}" if choice[0].eol else ""),
                    )
                )
        if item.info.attrs.get("status") == "deprecated":
            replacement = _alternative(found, item)
            out.append(
                Fix(
                    action="replace",
                    node=ref(item.info),
                    replace_with=ref(graph.nodes[replacement]) if replacement is not None else None,
                    reason=f"{item.info.name} is deprecated",
                )
            )
    for e, a, b in found.conflicts:
        replacement = _alternative(found, a)
        note = graph.attrs[int(graph.attr[e])].note if graph.attr[e] >= 0 else None
        out.append(
            Fix(
                action="replace" if replacement is not None else "remove",
                node=ref(a.info),
                replace_with=ref(graph.nodes[replacement]) if replacement is not None else None,
                reason=f"{a.info.name} conflicts with {b.info.name}"
                + (f": {note}" if note else ""),
            )
        )
    for a, b in found.overlaps:
        out.append(
            Fix(
                action="remove",
                node=ref(b.info),
                reason=f"{a.info.name} and {b.info.name} do the same job; keep one",
            )
        )
    return out


def _source_line_for(found: Assessment, source: Placed, target: Placed) -> str | None:
    """A supported line of `source` whose requirement on `target` its version meets."""
    graph = found.graph
    for release in sorted(source.info.releases, key=lambda r: r.line, reverse=True):
        if support_of(release, found.today) == "end-of-life":
            continue
        ok = True
        for e in graph.out_edges(source.node, REQUIRES).tolist():
            if int(graph.dst[e]) != target.node or graph.attr[e] < 0:
                continue
            attr = graph.attrs[int(graph.attr[e])]
            if attr.when and not contains(source.info.scheme, attr.when, release.version):
                continue
            if attr.constraint and target.version:
                verdict = judge(
                    target.info.scheme, attr.constraint, target.version, line=target.line
                )
                ok = ok and verdict.outcome != "violated"
        if ok:
            return release.version
    return None


def _alternative(found: Assessment, item: Placed) -> int | None:
    """An alternative to `item` that is not deprecated and conflicts with no item."""
    graph = found.graph
    stack = {p.node for p in found.items}
    edges = (
        graph.out_edges(item.node, ALTERNATIVE).tolist()
        + graph.in_edges(item.node, ALTERNATIVE).tolist()
    )
    for e in edges:
        other = int(graph.dst[e]) if int(graph.src[e]) == item.node else int(graph.src[e])
        info = graph.nodes[other]
        if other in stack or info.attrs.get("status") == "deprecated":
            continue
        return other
    return None


def compatibility(
    graph: GraphIndex, stack: Sequence[StackItem], today: date, *, strict: bool = True
) -> CompatibilityReport:
    found = assess(graph, stack, today, strict=strict)
    return report(found)


def consistent_fixes(found: Assessment) -> list[Fix]:
    """Fixes whose version picks work together: the picks are applied to the stack and
    it is assessed again, until no further pick is needed (at most three rounds)."""
    result = fixes(found)
    current = found
    for _ in range(3):
        picks = {f.node.id: f.version for f in result if f.action == "pick-version" and f.version}
        if not picks:
            break
        stack = [
            StackItem(id=p.info.key, version=picks.get(p.info.key, p.version))
            for p in current.items
        ]
        current = assess(found.graph, stack, found.today, strict=False)
        changed = False
        for fix in fixes(current):
            if fix.action != "pick-version" or picks.get(fix.node.id) == fix.version:
                continue
            changed = True
            previous = next((f for f in result if f.node.id == fix.node.id), None)
            if previous is not None and previous.action == "pick-version":
                previous.version = fix.version
                previous.reason = f"{previous.reason}; then {fix.reason}"
            else:
                result.append(fix)
        if not changed:
            break
    return result


def report(found: Assessment) -> CompatibilityReport:
    parts = score_parts(found)
    return CompatibilityReport(
        score=round(sum(p.points for p in parts)),
        parts=parts,
        stack=[p.entry() for p in found.items],
        constraints=found.checks,
        fixes=consistent_fixes(found),
        evaluated_on=found.today,
        generation=found.graph.generation,
    )
