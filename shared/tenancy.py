"""Tenant isolation as a rule of the data layer: every owned document records its
owner, and an `OwnedCollection` bound to a caller can only see and change that
caller's documents. Another owner's document is indistinguishable from a missing one
(the API answers 404, never 403, so ids cannot be probed)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from shared.api.spec import Principal
from shared.errors import NotFound
from shared.ports.documents import Document, DocumentStore, Filter

OWNER = "owner_id"
__all__ = ["OWNER", "NotFound", "OwnedCollection"]


class OwnedCollection:
    def __init__(self, store: DocumentStore, collection: str, owner: Principal | str) -> None:
        self._store = store
        self.collection = collection
        self.owner_id = owner.user_id if isinstance(owner, Principal) else owner

    def _mine(self, doc: Document | None) -> Document | None:
        return doc if doc is not None and doc.get(OWNER) == self.owner_id else None

    def get(self, doc_id: str) -> Document | None:
        return self._mine(self._store.get(self.collection, doc_id))

    def require(self, doc_id: str, kind: str | None = None) -> Document:
        doc = self.get(doc_id)
        if doc is None:
            raise NotFound(kind or self.collection.rstrip("s"), doc_id)
        return doc

    def create(self, doc_id: str, data: Document) -> bool:
        return self._store.create(self.collection, doc_id, {**data, OWNER: self.owner_id})

    def update(self, doc_id: str, changes: dict[str, Any]) -> Document:
        """Merge `changes` into one of the caller's documents, atomically."""

        def apply(tx: Any) -> Document:
            current = self._mine(tx.get(self.collection, doc_id))
            if current is None:
                raise NotFound(self.collection.rstrip("s"), doc_id)
            merged = {**current, **changes, OWNER: self.owner_id}
            tx.set(self.collection, doc_id, merged)
            return merged

        return self._store.run_transaction(apply)

    def delete(self, doc_id: str) -> bool:
        if self.get(doc_id) is None:
            return False
        self._store.delete(self.collection, doc_id)
        return True

    def query(
        self,
        where: Sequence[Filter] = (),
        order_by: str | None = None,
        descending: bool = False,
        limit: int | None = None,
    ) -> list[tuple[str, Document]]:
        return self._store.query(
            self.collection,
            [(OWNER, "==", self.owner_id), *where],
            order_by=order_by,
            descending=descending,
            limit=limit,
        )
