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
from dataclasses import dataclass

from shared.events.envelope import new_event
from shared.events.handling import HandlerContext
from shared.knowledge.builder import GraphBuilder
from shared.knowledge.curated import CURATED, curated_registry
from shared.knowledge.events import GraphUpdated
from shared.knowledge.importer import ImportRejected, ParsedRegistry, Problem
from shared.knowledge.index import GraphIndex
from shared.knowledge.model import NODE_KINDS
from shared.knowledge.provenance import RegistryMatch, RegistrySummary
from shared.knowledge.store import (
    COMPILED,
    META,
    current_generation,
    delete_registry,
    load_registries,
    registry_summaries,
    save_registry,
)
from shared.ports.clock import Clock
from shared.ports.documents import DocumentStore
from shared.ports.events import EventPublisher

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


def compile_from_store(documents: DocumentStore) -> GraphIndex:
    started = time.perf_counter()
    generation = current_generation(documents)
    builder, problems = merged_builder(load_registries(documents))
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
    """The graph of one process (the composition root builds one per `Features`, so
    tests with their own runtimes never share an index) and the registries it is
    compiled from."""

    def __init__(self, documents: DocumentStore, events: EventPublisher, clock: Clock) -> None:
        self.documents = documents
        self.events = events
        self.clock = clock
        self._index: GraphIndex | None = None
        self._checked_at = float("-inf")
        self._lock = threading.Lock()

    def current(self) -> GraphIndex:
        index = self._index
        if index is None:
            return self.reload()
        now = self.clock.monotonic()
        if now - self._checked_at >= REFRESH_SECONDS:
            self._checked_at = now
            if current_generation(self.documents) > index.generation:
                return self.reload()
        return index

    def reload(self, at_least: int = 0) -> GraphIndex:
        """Recompile unless the index already has generation `at_least` (when given)."""
        with self._lock:
            index = self._index
            if index is not None and at_least and index.generation >= at_least:
                return index
            index = compile_from_store(self.documents)
            self._index = index
            self._checked_at = self.clock.monotonic()
            return index

    def import_registry(self, parsed: ParsedRegistry, imported_by: str) -> ImportOutcome:
        return import_registry(self.documents, self.events, self.clock, parsed, imported_by)

    def remove_registry(self, name: str) -> int | None:
        return remove_registry(self.documents, self.events, self.clock, name)

    def registries(self) -> list[RegistrySummary]:
        return [RegistrySummary.model_validate(doc) for doc in registry_summaries(self.documents)]


# -- imports ---------------------------------------------------------------------------
@dataclass(frozen=True)
class ImportOutcome:
    registry: str
    generation: int
    counts: dict[str, int]
    matches: list[RegistryMatch]
    requires_cycles: list[list[str]]
    nodes: dict[str, int]
    inferred_edges: int


def validate_import(
    documents: DocumentStore, parsed: ParsedRegistry
) -> tuple[GraphIndex, list[RegistryMatch]]:
    """Merge `parsed` with everything else (replacing its earlier version) and compile;
    ImportRejected if any reference fails or a prerequisite cycle appears."""
    name = parsed.registry.name
    if name == CURATED:
        raise ImportRejected([Problem("registry", "name", f"{CURATED!r} is reserved")])
    others = [r for r in load_registries(documents) if r.registry.name != name]
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
        RegistryMatch(record=m.record, node=m.node, matched_by=m.method, confidence=m.confidence)
        for m in builder.matches
        if m.registry == name
    ]
    return builder.build(0), matches


def import_registry(
    documents: DocumentStore,
    events: EventPublisher,
    clock: Clock,
    parsed: ParsedRegistry,
    imported_by: str,
) -> ImportOutcome:
    trial, matches = validate_import(documents, parsed)
    name = parsed.registry.name
    generation = save_registry(
        documents, parsed, imported_by=imported_by, now=clock.now(), matches=matches
    )
    events.publish(
        new_event(
            GraphUpdated(generation=generation, registry=name, action="imported"),
            source="knowledge",
            time=clock.now(),
        )
    )
    mine = {
        i for i, node in enumerate(trial.nodes) if any(p.registry == name for p in node.provenance)
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
        nodes={k: stats.nodes[k] for k in NODE_KINDS},
        inferred_edges=stats.inferred_edges,
    )


def remove_registry(
    documents: DocumentStore, events: EventPublisher, clock: Clock, name: str
) -> int | None:
    """Remove a registry unless another still refers to its nodes; the new generation."""
    others = [r for r in load_registries(documents) if r.registry.name != name]
    _, problems = merged_builder(others)
    if problems:
        raise ImportRejected(problems)
    generation = delete_registry(documents, name)
    if generation is not None:
        events.publish(
            new_event(
                GraphUpdated(generation=generation, registry=name, action="deleted"),
                source="knowledge",
                time=clock.now(),
            )
        )
    return generation


# -- the refresh-graph function ----------------------------------------------------------
def refresh_graph(ctx: HandlerContext[GraphUpdated]) -> None:
    """Recompile this instance's index if it is older than the event's generation.
    Idempotent: a replay finds the index already there and does nothing."""
    graph = ctx.features.knowledge
    index = graph.reload(at_least=ctx.data.generation)
    # For operators: what was last compiled (check-and-set, in the handler's transaction).
    compiled = ctx.tx.get(META, COMPILED)
    if compiled is None or int(compiled["generation"]) < index.generation:
        stats = index.stats()
        compiled_at = graph.clock.now().isoformat()
        ctx.tx.set(META, COMPILED, {**stats.model_dump(), "compiled_at": compiled_at})
    log.info(
        "knowledge graph refreshed",
        extra={"generation": index.generation, "registry": ctx.data.registry},
    )
