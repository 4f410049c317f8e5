"""Users' registries in the document store (Firestore in production).

An import is written as chunks of at most CHUNK_RECORDS records, then one registry
document that names the chunks: that last write is the commit point, so a crash
mid-import leaves orphan chunks (never read, replaced next time) and never half a
registry. Every import or removal takes the next graph generation from a counter
document, in a transaction; instances compare their index's generation with it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shared.knowledge.importer import SECTIONS, ParsedRegistry, parse_json
from shared.knowledge.provenance import RegistryMatch
from shared.ports.documents import DocumentStore, DocumentTransaction

REGISTRIES = "graph_registries"
CHUNKS = "graph_registry_chunks"
META = "graph_meta"
COUNTER = "generation"
COMPILED = "compiled"
CHUNK_RECORDS = 400


def current_generation(store: DocumentStore) -> int:
    doc = store.get(META, COUNTER)
    return int(doc["value"]) if doc else 0


def next_generation(store: DocumentStore) -> int:
    def bump(tx: DocumentTransaction) -> int:
        doc = tx.get(META, COUNTER)
        value = (int(doc["value"]) if doc else 0) + 1
        tx.set(META, COUNTER, {"value": value})
        return value

    return store.run_transaction(bump)


def document_of(parsed: ParsedRegistry) -> dict[str, Any]:
    """The registry as the JSON import format (what is stored and re-read)."""
    dumped = parsed.registry.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    doc: dict[str, Any] = {k: v for k, v in dumped.items() if k in SECTIONS and v}
    if parsed.releases:
        doc["releases"] = [
            r.model_dump(mode="json", exclude_defaults=True) for r in parsed.releases
        ]
    return doc


def _chunks(document: dict[str, Any]) -> list[dict[str, list[Any]]]:
    flat = [(section, record) for section, records in document.items() for record in records]
    chunks: list[dict[str, list[Any]]] = []
    for start in range(0, len(flat), CHUNK_RECORDS):
        chunk: dict[str, list[Any]] = {}
        for section, record in flat[start : start + CHUNK_RECORDS]:
            chunk.setdefault(section, []).append(record)
        chunks.append(chunk)
    return chunks or [{}]


def save_registry(
    store: DocumentStore,
    parsed: ParsedRegistry,
    *,
    imported_by: str,
    now: datetime,
    matches: list[RegistryMatch],
) -> int:
    name = parsed.registry.name
    generation = next_generation(store)
    chunks = _chunks(document_of(parsed))
    for i, chunk in enumerate(chunks):
        store.set(
            CHUNKS,
            f"{name}:{generation}:{i}",
            {"registry": name, "generation": generation, "index": i, "records": chunk},
        )
    previous = store.get(REGISTRIES, name)
    store.set(
        REGISTRIES,
        name,
        {
            "name": name,
            "generation": generation,
            "chunks": len(chunks),
            "counts": parsed.registry.counts(),
            "imported_at": now.isoformat(),
            "imported_by": imported_by,
            "matches": [m.model_dump() for m in matches[:500]],
        },
    )
    if previous:
        _drop_chunks(store, name, int(previous["generation"]), int(previous["chunks"]))
    return generation


def _drop_chunks(store: DocumentStore, name: str, generation: int, count: int) -> None:
    for i in range(count):
        store.delete(CHUNKS, f"{name}:{generation}:{i}")


def delete_registry(store: DocumentStore, name: str) -> int | None:
    """Remove a registry; the new generation, or None if there was none."""
    doc = store.get(REGISTRIES, name)
    if doc is None:
        return None
    store.delete(REGISTRIES, name)
    _drop_chunks(store, name, int(doc["generation"]), int(doc["chunks"]))
    return next_generation(store)


def registry_summaries(store: DocumentStore) -> list[dict[str, Any]]:
    return [doc for _, doc in store.query(REGISTRIES, order_by="generation")]


def load_registries(store: DocumentStore) -> list[ParsedRegistry]:
    """Every stored registry, in import order (earlier registries own merged nodes)."""
    found = []
    for doc in registry_summaries(store):
        name, generation = doc["name"], int(doc["generation"])
        document: dict[str, list[Any]] = {}
        for i in range(int(doc["chunks"])):
            chunk = store.get(CHUNKS, f"{name}:{generation}:{i}")
            if chunk is None:
                raise RuntimeError(f"registry {name} generation {generation}: chunk {i} missing")
            for section, records in chunk["records"].items():
                document.setdefault(section, []).extend(records)
        found.append(parse_json(name, document))
    return found
