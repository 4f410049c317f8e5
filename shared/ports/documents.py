from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Literal, Protocol, TypeVar

T = TypeVar("T")
Operator = Literal["==", "!=", "<", "<=", ">", ">=", "in"]
Filter = tuple[str, Operator, Any]
Document = dict[str, Any]


class DocumentTransaction(Protocol):
    """Reads and writes that commit together or not at all. Read before you write
    (Firestore's rule), and keep a transaction small."""

    def get(self, collection: str, doc_id: str) -> Document | None: ...

    def create(self, collection: str, doc_id: str, data: Document) -> None:
        """Write a new document; the commit fails with `DocumentExists` if it exists."""
        ...

    def set(self, collection: str, doc_id: str, data: Document) -> None: ...

    def delete(self, collection: str, doc_id: str) -> None: ...


class DocumentStore(Protocol):
    """JSON documents in named collections (Firestore in production)."""

    def get(self, collection: str, doc_id: str) -> Document | None: ...

    def create(self, collection: str, doc_id: str, data: Document) -> bool:
        """Atomically create; False (and nothing written) if the id is taken."""
        ...

    def set(self, collection: str, doc_id: str, data: Document) -> None: ...

    def delete(self, collection: str, doc_id: str) -> None: ...

    def query(
        self,
        collection: str,
        where: Sequence[Filter] = (),
        order_by: str | None = None,
        descending: bool = False,
        limit: int | None = None,
    ) -> list[tuple[str, Document]]: ...

    def run_transaction(self, fn: Callable[[DocumentTransaction], T]) -> T:
        """Run `fn` in a transaction; it may be re-run on contention, so keep it pure
        apart from the transaction's own reads and writes."""
        ...

    def ping(self) -> None:
        """Raise if the store cannot be reached (readiness check)."""
        ...


class DocumentExists(Exception):
    """A `create` found the document already there."""
