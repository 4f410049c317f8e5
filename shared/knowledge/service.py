"""The graph of one process: compiled at cold start from the curated dataset plus the
registries in the document store, kept until a newer generation exists.

A newer generation is noticed two ways: the refresh-graph function consumes
`tech.013a.graph.updated` and recompiles (in the local runtime that is this very
process, so the API sees the change as soon as the event is delivered); and every
REFRESH_SECONDS an instance reads the generation counter (one document read), which is
how the other instances of a Cloud Run service, that Pub/Sub does not deliver to,
follow. Queries always read one immutable index; a rebuild swaps the reference."""

from __future__ import annotations

import logging
import threading
import time
import weakref
from dataclasses import dataclass
from typing import Any

from shared.events.envelope import new_event
from shared.events.handling import HandlerContext
from shared.knowledge.builder import GraphBuilder
from shared.knowledge.curated import CURATED, curated_registry
from shared.knowledge.events import GraphUpdated
from shared.knowledge.importer import ImportRejected, ParsedRegistry, Problem
from shared.knowledge.index import GraphIndex
from shared.knowledge.model import NODE_KINDS
from shared.knowledge.store import (
    COMPILED,
    META,
    current_generation,
    delete_registry,
    load_registries,
    save_registry,
)
from shared.platform import Platform

log = logging.getLogger("aia.knowledge")
REFRESH_SECONDS = 30.0


def merged_builder(registries: list[ParsedRegistry]) -> tuple[GraphBuilder, list[Problem]]:
    builder = GraphBuilder()
    problems = builder.add_registry(curated_registry())
    if problems:
        raise RuntimeError(f"the curated dataset is inconsistent: {problems[:3]}")
    for parsed in registries:
        problems += builder.add_registry(parsed)
    return builder, problems


def compile_from_store(platform: Platform) -> GraphIndex:
    started = time.perf_counter()
    generation = current_generation(platform.documents)
    builder, problems = merged_builder(load_registries(platform.documents))
    for problem in problems[:20]:
        # Only possible if registries changed under each other (validated on import).
        log.warning("registry record skipped: %s", problem)
    index = builder.build(generation)
    log.info(
        "knowledge graph compiled",
        extra={
            "generation": generation,
            "nodes": index.node_count,
            "edges": index.edge_count,
            "seconds": round(time.perf_counter() - started, 3),
        },
    )
    return index


class KnowledgeGraph:
    def __init__(self, platform: Platform) -> None:
        self._platform = weakref.ref(platform)
        self._index: GraphIndex | None = None
        self._checked_at = float("-inf")
        self._lock = threading.Lock()

    @property
    def platform(self) -> Platform:
        platform = self._platform()
        if platform is None:
            raise RuntimeError("the platform of this graph is gone")
        return platform

    def current(self) -> GraphIndex:
        index = self._index
        if index is None:
            return self.reload()
        now = self.platform.clock.monotonic()
        if now - self._checked_at >= REFRESH_SECONDS:
            self._checked_at = now
            if current_generation(self.platform.documents) > index.generation:
                return self.reload()
        return index

    def reload(self, at_least: int = 0) -> GraphIndex:
        """Recompile unless the index already has generation `at_least` (when given)."""
        with self._lock:
            index = self._index
            if index is not None and at_least and index.generation >= at_least:
                return index
            index = compile_from_store(self.platform)
            self._index = index
            self._checked_at = self.platform.clock.monotonic()
            return index


_graphs: dict[int, KnowledgeGraph] = {}
_graphs_lock = threading.Lock()


def graph_service(platform: Platform) -> KnowledgeGraph:
    """The graph of `platform` (one per platform, so tests with their own runtimes never
    share an index)."""
    key = id(platform)
    graph = _graphs.get(key)
    if graph is not None and graph._platform() is platform:
        return graph
    with _graphs_lock:
        graph = _graphs.get(key)
        if graph is None or graph._platform() is not platform:
            graph = KnowledgeGraph(platform)
            _graphs[key] = graph
            weakref.finalize(platform, _graphs.pop, key, None)
    return graph


def current_graph(platform: Platform) -> GraphIndex:
    return graph_service(platform).current()


# -- imports ---------------------------------------------------------------------------
@dataclass(frozen=True)
class ImportOutcome:
    registry: str
    generation: int
    counts: dict[str, int]
    matches: list[dict[str, Any]]
    requires_cycles: list[list[str]]
    nodes: dict[str, int]
    inferred_edges: int


def validate_import(
    platform: Platform, parsed: ParsedRegistry
) -> tuple[GraphIndex, list[dict[str, Any]]]:
    """Merge `parsed` with everything else (replacing its earlier version) and compile;
    ImportRejected if any reference fails or a prerequisite cycle appears."""
    name = parsed.registry.name
    if name == CURATED:
        raise ImportRejected([Problem("registry", "name", f"{CURATED!r} is reserved")])
    others = [r for r in load_registries(platform.documents) if r.registry.name != name]
    builder, problems = merged_builder(others)
    if problems:
        raise RuntimeError(f"stored registries do not merge: {problems[:3]}")
    problems = builder.add_registry(parsed)
    cycle = builder.prerequisite_cycle(registry=name)
    if cycle is not None:
        problems.append(cycle)
    if problems:
        raise ImportRejected(problems)
    matches = [
        {
            "record": m.record,
            "node": m.node,
            "matched_by": m.method,
            "confidence": m.confidence,
        }
        for m in builder.matches
        if m.registry == name
    ]
    return builder.build(0), matches


def import_registry(platform: Platform, parsed: ParsedRegistry, imported_by: str) -> ImportOutcome:
    trial, matches = validate_import(platform, parsed)
    name = parsed.registry.name
    generation = save_registry(
        platform.documents,
        parsed,
        imported_by=imported_by,
        now=platform.clock.now(),
        matches=matches,
    )
    platform.events.publish(
        new_event(
            GraphUpdated(generation=generation, registry=name, action="imported"),
            source="knowledge",
            time=platform.clock.now(),
        )
    )
    mine = {
        i
        for i, node in enumerate(trial.nodes)
        if any(p["registry"] == name for p in node.provenance)
    }
    cycles = [
        [trial.nodes[n].key for n in cycle]
        for cycle in trial.requires_cycles
        if mine.intersection(cycle)
    ]
    stats = trial.stats()
    return ImportOutcome(
        registry=name,
        generation=generation,
        counts=parsed.registry.counts(),
        matches=matches,
        requires_cycles=cycles,
        nodes={k: stats["nodes"][k] for k in NODE_KINDS},
        inferred_edges=stats["inferred_edges"],
    )


def remove_registry(platform: Platform, name: str) -> int | None:
    """Remove a registry unless another still refers to its nodes; the new generation."""
    others = [r for r in load_registries(platform.documents) if r.registry.name != name]
    _, problems = merged_builder(others)
    if problems:
        raise ImportRejected(problems)
    generation = delete_registry(platform.documents, name)
    if generation is not None:
        platform.events.publish(
            new_event(
                GraphUpdated(generation=generation, registry=name, action="deleted"),
                source="knowledge",
                time=platform.clock.now(),
            )
        )
    return generation


# -- the refresh-graph function ----------------------------------------------------------
def refresh_graph(ctx: HandlerContext[GraphUpdated]) -> None:
    """Recompile this instance's index if it is older than the event's generation.
    Idempotent: a replay finds the index already there and does nothing."""
    graph = graph_service(ctx.platform)
    index = graph.reload(at_least=ctx.data.generation)
    # For operators: what was last compiled (check-and-set, in the handler's transaction).
    compiled = ctx.tx.get(META, COMPILED)
    if compiled is None or int(compiled["generation"]) < index.generation:
        stats = index.stats()
        ctx.tx.set(META, COMPILED, {**stats, "compiled_at": ctx.platform.clock.now().isoformat()})
    log.info(
        "knowledge graph refreshed",
        extra={"generation": index.generation, "registry": ctx.data.registry},
    )
