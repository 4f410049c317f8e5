"""DocumentStore contract: SqliteDocumentStore and FirestoreDocumentStore (on the
Firestore stand-in) behave alike. Not covered here: isolation of concurrent transactions,
which the stand-in does not provide (see docs/decisions/0003-gcp-stand-ins.md)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from shared.ports.documents import DocumentExists, DocumentStore, DocumentTransaction

C = "contract_docs"


def seed(documents: DocumentStore) -> None:
    rows: dict[str, dict[str, Any]] = {
        "a": {"kind": "fruit", "name": "apple", "rank": 3, "price": 1.5, "meta": {"score": 7}},
        "b": {"kind": "fruit", "name": "banana", "rank": 1, "price": 0.5, "meta": {"score": 2}},
        "c": {"kind": "veg", "name": "carrot", "rank": 2, "price": 0.75, "meta": {"score": 9}},
        "d": {"kind": "fruit", "name": "date", "rank": 5, "price": 4.0, "meta": {"score": 4}},
        "e": {"kind": "veg", "name": "endive", "rank": 4, "price": 2.25, "meta": {"score": 1}},
    }
    for doc_id, data in rows.items():
        documents.set(C, doc_id, data)


def ids(rows: list[tuple[str, dict[str, Any]]]) -> list[str]:
    return [doc_id for doc_id, _ in rows]


def test_get_missing_is_none(documents: DocumentStore) -> None:
    assert documents.get(C, "nope") is None


def test_set_then_get_round_trips_json_values(documents: DocumentStore) -> None:
    data = {
        "s": "text ✓",
        "i": 42,
        "f": 2.5,
        "t": True,
        "n": None,
        "l": [1, "two", {"three": 3}],
        "m": {"nested": {"deep": [True, False]}},
    }
    documents.set(C, "doc", data)
    assert documents.get(C, "doc") == data


def test_set_replaces_the_whole_document(documents: DocumentStore) -> None:
    documents.set(C, "doc", {"a": 1, "b": 2})
    documents.set(C, "doc", {"a": 3})
    assert documents.get(C, "doc") == {"a": 3}


def test_create_twice_keeps_the_first(documents: DocumentStore) -> None:
    assert documents.create(C, "once", {"v": 1}) is True
    assert documents.create(C, "once", {"v": 2}) is False
    assert documents.get(C, "once") == {"v": 1}


def test_delete(documents: DocumentStore) -> None:
    documents.set(C, "doc", {"v": 1})
    documents.delete(C, "doc")
    assert documents.get(C, "doc") is None
    documents.delete(C, "doc")  # deleting what is gone is fine
    assert documents.create(C, "doc", {"v": 2}) is True


def test_collections_are_separate(documents: DocumentStore) -> None:
    documents.set("left", "x", {"side": "left"})
    documents.set("right", "x", {"side": "right"})
    assert documents.get("left", "x") == {"side": "left"}
    assert ids(documents.query("right")) == ["x"]


def test_query_all_is_ordered_by_id(documents: DocumentStore) -> None:
    seed(documents)
    assert ids(documents.query(C)) == ["a", "b", "c", "d", "e"]
    assert documents.query(C)[0] == ("a", documents.get(C, "a"))


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ([("kind", "==", "veg")], ["c", "e"]),
        ([("rank", "<", 3)], ["b", "c"]),
        ([("rank", "<=", 3)], ["a", "b", "c"]),
        ([("rank", ">", 3)], ["d", "e"]),
        ([("price", ">=", 2.25)], ["d", "e"]),
        ([("kind", "!=", "fruit")], ["c", "e"]),
        ([("name", "in", ["apple", "endive", "zucchini"])], ["a", "e"]),
        ([("meta.score", ">", 5)], ["a", "c"]),
        ([("kind", "==", "fruit"), ("name", "==", "date")], ["d"]),
        ([("kind", "==", "meat")], []),
    ],
)
def test_query_filters(documents: DocumentStore, where: list[Any], expected: list[str]) -> None:
    seed(documents)
    assert sorted(ids(documents.query(C, where=where))) == expected


def test_query_order_and_limit(documents: DocumentStore) -> None:
    seed(documents)
    assert ids(documents.query(C, order_by="rank")) == ["b", "c", "a", "e", "d"]
    assert ids(documents.query(C, order_by="rank", descending=True)) == ["d", "e", "a", "c", "b"]
    assert ids(documents.query(C, order_by="price", limit=2)) == ["b", "c"]
    assert ids(documents.query(C, order_by="meta.score", descending=True, limit=1)) == ["c"]


def test_query_filter_order_and_limit_together(documents: DocumentStore) -> None:
    seed(documents)
    fruit_by_rank = documents.query(C, where=[("kind", "==", "fruit")], order_by="rank", limit=2)
    assert ids(fruit_by_rank) == ["b", "a"]
    ranged = documents.query(C, where=[("rank", ">=", 2)], order_by="rank", descending=True)
    assert ids(ranged) == ["d", "e", "a", "c"]


def test_transaction_commits_its_reads_and_writes(documents: DocumentStore) -> None:
    documents.set(C, "counter", {"n": 1})

    def bump(tx: DocumentTransaction) -> int:
        current = tx.get(C, "counter")
        assert current is not None
        assert tx.get(C, "absent") is None
        n = int(current["n"]) + 1
        tx.set(C, "counter", {"n": n})
        tx.create(C, "created", {"by": "tx"})
        tx.delete(C, "gone")
        return n

    documents.set(C, "gone", {"x": 1})
    assert documents.run_transaction(bump) == 2
    assert documents.get(C, "counter") == {"n": 2}
    assert documents.get(C, "created") == {"by": "tx"}
    assert documents.get(C, "gone") is None


def test_transaction_rolls_back_when_fn_raises(documents: DocumentStore) -> None:
    documents.set(C, "counter", {"n": 1})

    class Boom(Exception):
        pass

    def fail(tx: DocumentTransaction) -> None:
        tx.get(C, "counter")
        tx.set(C, "counter", {"n": 99})
        tx.set(C, "other", {"x": 1})
        raise Boom

    with pytest.raises(Boom):
        documents.run_transaction(fail)
    assert documents.get(C, "counter") == {"n": 1}
    assert documents.get(C, "other") is None


def test_create_in_transaction_conflicts_and_writes_nothing(documents: DocumentStore) -> None:
    documents.set(C, "taken", {"owner": "first"})

    def claim(tx: DocumentTransaction) -> None:
        tx.set(C, "side-effect", {"written": True})
        tx.create(C, "taken", {"owner": "second"})

    with pytest.raises(DocumentExists):
        documents.run_transaction(claim)
    assert documents.get(C, "taken") == {"owner": "first"}
    assert documents.get(C, "side-effect") is None


def test_create_in_transaction_when_free(documents: DocumentStore) -> None:
    def claim(tx: DocumentTransaction) -> str:
        if tx.get(C, "free") is not None:
            return "taken"
        tx.create(C, "free", {"owner": "me"})
        return "claimed"

    assert documents.run_transaction(claim) == "claimed"
    assert documents.run_transaction(claim) == "taken"
    assert documents.get(C, "free") == {"owner": "me"}


def test_ping(documents: DocumentStore) -> None:
    documents.ping()


def test_concurrent_transactions_do_not_lose_updates(tmp_path: Path) -> None:
    """Embedded store only: the Firestore stand-in does not isolate transactions (it
    loses concurrent increments), so this rule is proved here and on PostgreSQL, and
    the Firestore adapter relies on the client's retry on `Aborted` (see the ADR 0003)."""
    from shared.adapters.local.documents import SqliteDocumentStore

    store = SqliteDocumentStore(tmp_path / "documents.sqlite3")
    store.set(C, "counter", {"n": 0})

    def bump(tx: DocumentTransaction) -> None:
        current = tx.get(C, "counter")
        assert current is not None
        tx.set(C, "counter", {"n": current["n"] + 1})

    def worker() -> None:
        for _ in range(25):
            store.run_transaction(bump)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert store.get(C, "counter") == {"n": 100}
    store.close()
