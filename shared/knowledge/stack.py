"""A stack placed on the graph: each item resolved to a technology and a version, its
release line and support status on a given day, and every version constraint between
the items judged. Compatibility and pitfalls are both read from this assessment."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from shared.knowledge.index import (
    ALTERNATIVE,
    CONFLICTS,
    REQUIRES,
    GraphIndex,
    NodeInfo,
    ReleaseInfo,
)
from shared.knowledge.matching import Ambiguous
from shared.knowledge.schemas import ConstraintCheck, NodeRef, StackEntry, StackItem, Support
from shared.knowledge.versions import (
    InvalidConstraint,
    contains,
    in_line,
    is_line,
    judge,
    release_of,
    validate_version,
)

ENDING_SOON = timedelta(days=180)


class StackProblems(ValueError):
    """Stack items that cannot be placed: (index, field, message)."""

    def __init__(self, problems: list[tuple[int, str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"stack[{i}].{f}: {m}" for i, f, m in problems))


def ref(info: NodeInfo) -> NodeRef:
    return NodeRef(id=info.key, kind=info.kind, name=info.name)


@dataclass
class Placed:
    position: int
    input: str
    node: int
    info: NodeInfo
    version: str | None
    assumed: bool
    line: bool
    matched_by: str
    confidence: float
    release: ReleaseInfo | None = None
    support: Support = "untracked"

    def entry(self) -> StackEntry:
        return StackEntry(
            input=self.input,
            node=ref(self.info),
            version=self.version,
            version_assumed=self.assumed,
            matched_by=self.matched_by,
            confidence=self.confidence,
            release_line=self.release.version if self.release else None,
            support=self.support,
            eol=self.release.eol if self.release else None,
            eol_source=self.release.source if self.release and self.release.eol else None,
        )


def release_for(info: NodeInfo, version: str) -> ReleaseInfo | None:
    """The release line `version` belongs to (the longest matching line)."""
    release = release_of(info.scheme, version)
    found = [r for r in info.releases if in_line(r.line, release)]
    return max(found, key=lambda r: len(r.line)) if found else None


def support_of(release: ReleaseInfo | None, today: date) -> Support:
    if release is None:
        return "untracked"
    if release.eol is None or release.eol - today > ENDING_SOON:
        return "supported"
    return "end-of-life" if release.eol <= today else "ending-soon"


def default_release(info: NodeInfo, today: date) -> ReleaseInfo | None:
    """The newest release line still supported on `today` (else the newest)."""
    supported = [r for r in info.releases if support_of(r, today) == "supported"]
    pool = supported or info.releases
    return pool[-1] if pool else None


def recommended_release(info: NodeInfo, today: date) -> ReleaseInfo | None:
    """The line to recommend on `today`: the newest supported long-term-support line
    where the technology has such lines, else its newest supported line; None when no
    line is supported (then nothing is recommended rather than an end-of-life line)."""
    supported = [r for r in info.releases if support_of(r, today) == "supported"]
    long_term = [r for r in supported if r.lts]
    pool = long_term or supported
    return pool[-1] if pool else None


@dataclass
class Assessment:
    graph: GraphIndex
    today: date
    items: list[Placed]
    checks: list[ConstraintCheck] = field(default_factory=list)
    check_edges: list[tuple[int, Placed, Placed | None]] = field(default_factory=list)
    conflicts: list[tuple[int, Placed, Placed]] = field(default_factory=list)
    overlaps: list[tuple[Placed, Placed]] = field(default_factory=list)
    unknown: list[tuple[int, str]] = field(default_factory=list)

    def by_node(self) -> dict[int, Placed]:
        return {p.node: p for p in self.items}


def place(
    graph: GraphIndex, stack: Sequence[StackItem], today: date, *, strict: bool
) -> tuple[list[Placed], list[tuple[int, str]]]:
    """Resolve stack items to technologies and versions. Strict: raise StackProblems;
    lenient: skip what cannot be placed and return it."""
    problems: list[tuple[int, str, str]] = []
    placed: list[Placed] = []
    seen: dict[int, int] = {}
    for i, item in enumerate(stack):
        try:
            match = graph.resolve(item.id, ("technology",))
        except Ambiguous as exc:
            names = ", ".join(graph.nodes[c].key for c in exc.candidates)
            problems.append((i, "id", f"{item.id!r} is ambiguous: {names}"))
            continue
        if match is None:
            techs = graph.kind == 0
            close = graph.search.find(item.id, 3, techs)[0] or graph.search.similar(
                item.id, 3, techs
            )
            suggestions = [graph.nodes[n].key for n in close]
            hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
            problems.append((i, "id", f"no technology {item.id!r}{hint}"))
            continue
        if match.node in seen:
            problems.append((i, "id", f"{item.id!r} is already stack[{seen[match.node]}]"))
            continue
        info = graph.nodes[match.node]
        version, assumed = item.version, False
        if version is not None:
            try:
                validate_version(info.scheme, version)
            except InvalidConstraint as exc:
                problems.append((i, "version", str(exc)))
                if strict:
                    continue
                version = None  # lenient: placed, with its version unknown
        else:
            default = default_release(info, today)
            version, assumed = (default.version, True) if default else (None, False)
        known = frozenset(r.version for r in info.releases)
        item_placed = Placed(
            position=i,
            input=item.id,
            node=match.node,
            info=info,
            version=version,
            assumed=assumed,
            line=version is not None and is_line(info.scheme, version, known),
            matched_by=match.method,
            confidence=match.confidence,
        )
        if version is None:
            item_placed.support = "unknown-version"
        else:
            item_placed.release = release_for(info, version)
            item_placed.support = support_of(item_placed.release, today)
        seen[match.node] = i
        placed.append(item_placed)
    if problems and strict:
        raise StackProblems(problems)
    return placed, [(i, m) for i, _, m in problems]


def applies(edge_when: str | None, item: Placed) -> bool | None:
    """Whether an edge guarded by `when` holds for the item's version (None: unknown)."""
    if not edge_when:
        return True
    if item.version is None:
        return None
    return contains(item.info.scheme, edge_when, item.version)


def judge_target(constraint: str, target: Placed) -> str:
    if target.version is None:
        return "unknown"
    return judge(target.info.scheme, constraint, target.version, line=target.line).outcome


def assess(
    graph: GraphIndex, stack: Sequence[StackItem], today: date, *, strict: bool
) -> Assessment:
    items, unknown = place(graph, stack, today, strict=strict)
    found = Assessment(graph=graph, today=today, items=items, unknown=unknown)
    by_node = found.by_node()
    for item in items:
        for e in graph.out_edges(item.node, REQUIRES).tolist():
            attr = graph.attrs[int(graph.attr[e])] if graph.attr[e] >= 0 else None
            holds = applies(attr.when if attr else None, item)
            if holds is False:
                continue
            target = by_node.get(int(graph.dst[e]))
            constraint = attr.constraint if attr else None
            optional = bool(attr and attr.optional)
            if target is None:
                if optional:
                    continue
                outcome = "missing"
            elif holds is None:
                outcome = "unknown"
            elif constraint is None:
                outcome = "satisfied"
            else:
                outcome = judge_target(constraint, target)
            target_info = graph.nodes[int(graph.dst[e])]
            found.checks.append(
                ConstraintCheck(
                    source=ref(item.info),
                    source_version=item.version,
                    target=ref(target_info),
                    target_version=target.version if target else None,
                    constraint=constraint,
                    outcome=outcome,
                    optional=optional,
                    note=attr.note if attr else None,
                    reference=attr.source if attr else None,
                )
            )
            found.check_edges.append((e, item, target))
        for e in graph.out_edges(item.node, ALTERNATIVE).tolist():
            other = by_node.get(int(graph.dst[e]))
            if other is not None:
                found.overlaps.append((item, other))
    found.conflicts = _conflicts(graph, found)
    return found


def _conflicts(graph: GraphIndex, found: Assessment) -> list[tuple[int, Placed, Placed]]:
    """Stated conflicts between stack items, each once (an edge is stored from the side
    that states it; a version constraint applies to its target)."""
    by_node = found.by_node()
    pairs: list[tuple[int, Placed, Placed]] = []
    seen: set[int] = set()
    for item in found.items:
        for e in graph.out_edges(item.node, CONFLICTS).tolist():
            other = by_node.get(int(graph.dst[e]))
            if other is None or e in seen:
                continue
            attr = graph.attrs[int(graph.attr[e])] if graph.attr[e] >= 0 else None
            if attr and attr.when and applies(attr.when, item) is False:
                continue
            if attr and attr.constraint and judge_target(attr.constraint, other) != "satisfied":
                continue
            seen.add(e)
            pairs.append((e, item, other))
    return pairs
