"""Merging registries into one graph: records become nodes (or merge into the node
another registry already has for the same entity), references become edges, and
everything that cannot be resolved is a problem naming the row and field."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from shared.knowledge.cycles import find_cycle
from shared.knowledge.importer import ParsedRegistry, Problem
from shared.knowledge.index import (
    EDGE_CODE,
    EdgeArrays,
    EdgeAttr,
    GraphIndex,
    NodeInfo,
    NodeOrigin,
    compile_graph,
    release_infos,
)
from shared.knowledge.matching import Ambiguous, Match, NameIndex
from shared.knowledge.model import (
    ENDPOINTS,
    SYMMETRIC,
    Edge,
    Release,
    Resource,
    Role,
    Sector,
    Skill,
    Technology,
)
from shared.knowledge.versions import (
    InvalidConstraint,
    sort_key,
    validate_constraint,
    validate_version,
)

Record = Technology | Skill | Role | Resource | Sector
SECTIONS: tuple[tuple[str, str], ...] = (
    ("technologies", "technology"),
    ("skills", "skill"),
    ("roles", "role"),
    ("resources", "resource"),
    ("sectors", "sector"),
)
# Reference columns of each record type: (field, edge kind, the record is the edge's
# source (True) or its target (False), the referenced node's kinds).
COLUMNS: dict[str, tuple[tuple[str, str, bool, tuple[str, ...]], ...]] = {
    "technology": (
        ("requires", "requires", True, ("technology",)),
        ("alternatives", "alternative-to", True, ("technology",)),
        ("sectors", "used-in-sector", True, ("sector",)),
    ),
    "skill": (
        ("prerequisites", "prerequisite-of", False, ("skill",)),
        ("technologies", "needs-skill", False, ("technology",)),
    ),
    "role": (
        ("skills", "needs-skill", True, ("skill",)),
        ("sectors", "used-in-sector", True, ("sector",)),
    ),
    "resource": (("teaches", "teaches", True, ("skill",)),),
    "sector": (),
}
EMPTY: dict[str, Any] = {}


def _attrs(kind: str, record: Record) -> dict[str, Any]:
    fields = {
        "technology": ("category", "versioning", "since", "status", "status_source", "source"),
        "skill": ("category", "source"),
        "role": ("onet", "source"),
        "resource": ("provider", "format", "hours", "hours_basis", "level", "free", "url"),
        "sector": ("source",),
    }[kind]
    return {f: getattr(record, f) for f in fields if getattr(record, f) is not None}


@dataclass(frozen=True)
class MatchReport:
    registry: str
    record: str
    node: str
    method: str
    confidence: float


class GraphBuilder:
    def __init__(self) -> None:
        self.nodes: list[NodeInfo] = []
        self.names = NameIndex()
        self.attrs: list[EdgeAttr] = []
        self.matches: list[MatchReport] = []
        self._src: list[int] = []
        self._dst: list[int] = []
        self._kind: list[int] = []
        self._conf: list[float] = []
        self._attr: list[int] = []
        self._bulk: list[EdgeArrays] = []
        self._signatures: set[tuple[Any, ...]] = set()
        self._prereq_where: dict[tuple[int, int], tuple[str, str]] = {}

    # -- nodes -------------------------------------------------------------------
    def _new_node(self, kind: str, ident: str, name: str, aliases: list[str]) -> int:
        index = len(self.nodes)
        self.nodes.append(
            NodeInfo(
                key=f"{kind}:{ident}",
                kind=kind,
                id=ident,
                name=name,
                aliases=list(aliases),
                attrs={},
                releases=[],
                provenance=[],
            )
        )
        self.names.add(index, kind, ident, name, aliases)
        return index

    def _add_record(
        self, kind: str, record: Record, registry: str, where: str, below: int
    ) -> tuple[int, Problem | None]:
        aliases = list(record.aliases)
        key = f"{kind}:{record.id}"
        match: Match | None
        problem = None
        if key in self.names.keys and self.names.keys[key] < below:
            match = Match(self.names.keys[key], "id")
        else:
            try:
                match = self.names.lookup(kind, [record.id, record.name, *aliases], below=below)
            except Ambiguous as exc:
                match = None
                names = ", ".join(self.nodes[c].key for c in exc.candidates)
                problem = Problem(where, "id", f"matches several existing nodes ({names})")
        if match is None:
            if key in self.names.keys:
                return self.names.keys[key], Problem(where, "id", f"{key} is already defined")
            index = self._new_node(kind, record.id, record.name, aliases)
            node = self.nodes[index]
            node.attrs.update(_attrs(kind, record))
            node.provenance.append(NodeOrigin(registry, record.id, "new", 1.0))
            return index, problem
        node = self.nodes[match.node]
        for text in (record.id, record.name, *aliases):
            if text not in (node.id, node.name) and text not in node.aliases:
                node.aliases.append(text)
        self.names.add(match.node, kind, record.id, record.name, aliases)
        for attr, value in _attrs(kind, record).items():
            node.attrs.setdefault(attr, value)
        node.provenance.append(NodeOrigin(registry, record.id, match.method, match.confidence))
        self.matches.append(
            MatchReport(registry, f"{kind}:{record.id}", node.key, match.method, match.confidence)
        )
        return match.node, None

    def _add_releases(self, node: NodeInfo, releases: list[Release]) -> None:
        known = {r.version for r in node.releases}
        fresh = [r.model_dump() for r in releases if r.version not in known]
        if fresh:
            merged = [*node.releases, *release_infos(node.scheme, fresh)]
            merged.sort(key=lambda r: sort_key(node.scheme, r.version))
            node.releases = merged

    # -- edges -------------------------------------------------------------------
    def _resolve(
        self, ref: str, kinds: tuple[str, ...], where: str, field: str, problems: list[Problem]
    ) -> Match | None:
        try:
            match = self.names.resolve(ref, kinds)
        except Ambiguous as exc:
            names = ", ".join(self.nodes[c].key for c in exc.candidates)
            problems.append(Problem(where, field, f"{ref!r} is ambiguous: {names}"))
            return None
        if match is None:
            wanted = " or ".join(kinds)
            problems.append(Problem(where, field, f"no {wanted} {ref!r} in any registry"))
        return match

    def add_edge(
        self,
        kind: str,
        source: int,
        target: int,
        *,
        confidence: float = 1.0,
        attr: EdgeAttr | None = None,
    ) -> bool:
        """Add one edge unless the same edge is already there; False if it was."""
        if kind in SYMMETRIC and source == target:
            return False
        if kind == "alternative-to":
            source, target = min(source, target), max(source, target)
        signature = (
            kind,
            source,
            target,
            attr.constraint if attr else None,
            attr.when if attr else None,
        )
        if signature in self._signatures:
            return False
        self._signatures.add(signature)
        self._src.append(source)
        self._dst.append(target)
        self._kind.append(EDGE_CODE[kind])
        self._conf.append(confidence)
        if attr is None:
            self._attr.append(-1)
        else:
            self._attr.append(len(self.attrs))
            self.attrs.append(attr)
        if kind == "prerequisite-of" and attr is not None:
            self._prereq_where.setdefault((source, target), (attr.registry, attr.where or ""))
        return True

    def _edge_from_record(
        self, edge: Edge, registry: str, where: str, problems: list[Problem]
    ) -> None:
        from_kinds, to_kinds = ENDPOINTS[edge.kind]
        source = self._resolve(edge.from_, tuple(sorted(from_kinds)), where, "from", problems)
        target = self._resolve(edge.to, tuple(sorted(to_kinds)), where, "to", problems)
        if source is None or target is None:
            return
        src_node, dst_node = self.nodes[source.node], self.nodes[target.node]
        try:
            if edge.constraint:
                validate_constraint(dst_node.scheme, edge.constraint)
        except InvalidConstraint as exc:
            problems.append(Problem(where, "constraint", f"{exc} ({dst_node.key})"))
            return
        try:
            if edge.when:
                validate_constraint(src_node.scheme, edge.when)
        except InvalidConstraint as exc:
            problems.append(Problem(where, "when", f"{exc} ({src_node.key})"))
            return
        attr = EdgeAttr(
            registry=registry,
            constraint=edge.constraint,
            when=edge.when,
            optional=edge.optional,
            source=edge.source,
            note=edge.note,
            where=where,
        )
        confidence = edge.confidence * min(source.confidence, target.confidence)
        self.add_edge(edge.kind, source.node, target.node, confidence=confidence, attr=attr)

    # -- registries --------------------------------------------------------------
    def add_registry(self, parsed: ParsedRegistry) -> list[Problem]:
        """Merge one registry; the problems found (nothing is rolled back: a caller
        that gets problems discards this builder)."""
        registry = parsed.registry
        name = registry.name
        problems: list[Problem] = []
        below = len(self.nodes)
        placed: list[tuple[str, str, int, Record, str]] = []
        for section, kind in SECTIONS:
            for i, record in enumerate(getattr(registry, section)):
                where = parsed.where.get((section, i), f"{section}[{i}]")
                index, problem = self._add_record(kind, record, name, where, below)
                if problem:
                    problems.append(problem)
                if isinstance(record, Technology) and record.releases:
                    self._add_releases(self.nodes[index], record.releases)
                placed.append((section, kind, index, record, where))
        for i, release in enumerate(parsed.releases):
            where = parsed.where.get(("releases", i), f"releases[{i}]")
            match = self._resolve(
                release.technology or "", ("technology",), where, "technology", problems
            )
            if match is None:
                continue
            node = self.nodes[match.node]
            try:
                validate_version(node.scheme, release.version)
            except InvalidConstraint as exc:
                problems.append(Problem(where, "version", str(exc)))
                continue
            self._add_releases(node, [release])
        for _section, kind, index, record, where in placed:
            for field, edge_kind, outgoing, kinds in COLUMNS[kind]:
                for ref in getattr(record, field):
                    match = self._resolve(ref, kinds, where, field, problems)
                    if match is None:
                        continue
                    source, target = (index, match.node) if outgoing else (match.node, index)
                    attr = EdgeAttr(registry=name, where=where)
                    self.add_edge(edge_kind, source, target, confidence=match.confidence, attr=attr)
        for i, edge in enumerate(registry.edges):
            where = parsed.where.get(("edges", i), f"edges[{i}]")
            self._edge_from_record(edge, name, where, problems)
        return problems

    def prerequisite_cycle(self, registry: str | None = None) -> Problem | None:
        """A problem naming a cycle of prerequisite edges, if there is one; located at
        an edge of `registry` on the cycle when it has one."""
        code = EDGE_CODE["prerequisite-of"]
        kinds = np.asarray(self._kind, dtype=np.int8)
        mask = kinds == code
        src = np.asarray(self._src, dtype=np.int64)[mask]
        dst = np.asarray(self._dst, dtype=np.int64)[mask]
        for bulk in self._bulk:
            bmask = bulk.kind == code
            src = np.concatenate([src, bulk.src[bmask].astype(np.int64)])
            dst = np.concatenate([dst, bulk.dst[bmask].astype(np.int64)])
        cycle = find_cycle(len(self.nodes), src, dst)
        if cycle is None:
            return None
        keys = [self.nodes[i].key for i in cycle]
        named = " -> ".join([*keys, keys[0]])
        steps = list(zip(cycle, [*cycle[1:], cycle[0]], strict=True))
        located = [self._prereq_where.get(step) for step in steps]
        mine = [w for w in located if w and (registry is None or w[0] == registry)]
        where = mine[0][1] if mine else "registry"
        return Problem(where, "prerequisites", f"prerequisite cycle: {named}")

    # -- bulk (generated graphs) -------------------------------------------------
    def add_bulk_nodes(self, kind: str, ids: list[str], names: list[str]) -> int:
        """Append nodes without matching (a generated graph); returns the first index."""
        first = len(self.nodes)
        keys = self.names.keys
        for offset, (ident, name) in enumerate(zip(ids, names, strict=True)):
            key = f"{kind}:{ident}"
            self.nodes.append(NodeInfo(key, kind, ident, name, [], EMPTY, [], []))
            keys[key] = first + offset
        return first

    def add_bulk_edges(
        self, kind: str, src: np.ndarray[Any, Any], dst: np.ndarray[Any, Any]
    ) -> None:
        count = len(src)
        self._bulk.append(
            EdgeArrays(
                src=np.asarray(src, dtype=np.int32),
                dst=np.asarray(dst, dtype=np.int32),
                kind=np.full(count, EDGE_CODE[kind], dtype=np.int8),
                conf=np.ones(count, dtype=np.float32),
                attr=np.full(count, -1, dtype=np.int32),
            )
        )

    # -- compile -----------------------------------------------------------------
    def build(self, generation: int) -> GraphIndex:
        parts = [
            EdgeArrays(
                src=np.asarray(self._src, dtype=np.int32),
                dst=np.asarray(self._dst, dtype=np.int32),
                kind=np.asarray(self._kind, dtype=np.int8),
                conf=np.asarray(self._conf, dtype=np.float32),
                attr=np.asarray(self._attr, dtype=np.int32),
            ),
            *self._bulk,
        ]
        edges = EdgeArrays(
            src=np.concatenate([p.src for p in parts]),
            dst=np.concatenate([p.dst for p in parts]),
            kind=np.concatenate([p.kind for p in parts]),
            conf=np.concatenate([p.conf for p in parts]),
            attr=np.concatenate([p.attr for p in parts]),
        )
        return compile_graph(generation, self.nodes, self.names, edges, self.attrs)
