"""The document store on Firestore (native mode). With `FIRESTORE_EMULATOR_HOST` set the
client talks to that stand-in. Transactions use the client's retry on contention
(`Aborted`); a `create` of an existing document fails the commit with `DocumentExists`."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from google.api_core import exceptions as gexc
from google.cloud import firestore

from shared.ports.documents import Document, DocumentExists, DocumentTransaction, Filter

T = TypeVar("T")


def _already_exists(exc: BaseException) -> bool:
    """Whether `exc`, or an error it chains to, says the document already exists. The
    client may raise a rollback error with the failed commit as its context."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, gexc.AlreadyExists | DocumentExists) or (
            isinstance(current, gexc.Conflict) and not isinstance(current, gexc.Aborted)
        ):
            return True
        current = current.__cause__ or current.__context__
    return False


class _Transaction:
    def __init__(self, client: firestore.Client, transaction: firestore.Transaction) -> None:
        self._client = client
        self._tx = transaction

    def _ref(self, collection: str, doc_id: str) -> firestore.DocumentReference:
        return self._client.collection(collection).document(doc_id)

    def get(self, collection: str, doc_id: str) -> Document | None:
        snapshot = self._ref(collection, doc_id).get(transaction=self._tx)
        return snapshot.to_dict() if snapshot.exists else None

    def create(self, collection: str, doc_id: str, data: Document) -> None:
        self._tx.create(self._ref(collection, doc_id), data)

    def set(self, collection: str, doc_id: str, data: Document) -> None:
        self._tx.set(self._ref(collection, doc_id), data)

    def delete(self, collection: str, doc_id: str) -> None:
        self._tx.delete(self._ref(collection, doc_id))


class FirestoreDocumentStore:
    def __init__(self, project: str, database: str = "(default)") -> None:
        self._project = project
        self._database = database
        self._client: firestore.Client | None = None
        self._lock = threading.Lock()

    def _db(self) -> firestore.Client:
        if self._client is None:
            with self._lock:
                if self._client is None:
                    self._client = firestore.Client(project=self._project, database=self._database)
        return self._client

    def _ref(self, collection: str, doc_id: str) -> firestore.DocumentReference:
        return self._db().collection(collection).document(doc_id)

    def get(self, collection: str, doc_id: str) -> Document | None:
        snapshot = self._ref(collection, doc_id).get()
        return snapshot.to_dict() if snapshot.exists else None

    def create(self, collection: str, doc_id: str, data: Document) -> bool:
        try:
            self._ref(collection, doc_id).create(data)
        except gexc.AlreadyExists:
            return False
        return True

    def set(self, collection: str, doc_id: str, data: Document) -> None:
        self._ref(collection, doc_id).set(data)

    def delete(self, collection: str, doc_id: str) -> None:
        self._ref(collection, doc_id).delete()

    def query(
        self,
        collection: str,
        where: Sequence[Filter] = (),
        order_by: str | None = None,
        descending: bool = False,
        limit: int | None = None,
    ) -> list[tuple[str, Document]]:
        query: Any = self._db().collection(collection)
        for field, op, value in where:
            operand = list(value) if op == "in" else value
            query = query.where(filter=firestore.FieldFilter(field, op, operand))
        if order_by:
            direction = firestore.Query.DESCENDING if descending else firestore.Query.ASCENDING
            query = query.order_by(order_by, direction=direction)
        if limit is not None:
            query = query.limit(int(limit))
        return [(snap.id, snap.to_dict() or {}) for snap in query.stream()]

    def run_transaction(self, fn: Callable[[DocumentTransaction], T]) -> T:
        client = self._db()

        @firestore.transactional
        def body(transaction: firestore.Transaction) -> T:
            return fn(_Transaction(client, transaction))

        try:
            result: T = body(client.transaction())
        except DocumentExists:
            raise
        except Exception as exc:
            if _already_exists(exc):
                raise DocumentExists(str(exc)) from exc
            raise
        return result

    def ping(self) -> None:
        self._ref("_aia_ping", "ping").get(timeout=10)

    def close(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            client.close()  # type: ignore[no-untyped-call, unused-ignore]
