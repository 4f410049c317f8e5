"""The embedded document store: JSON documents in one SQLite file under AIA_DATA_DIR."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from shared.adapters.local.sqlite import SqliteFile
from shared.ports.documents import Document, DocumentExists, Filter

T = TypeVar("T")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    collection TEXT NOT NULL,
    id TEXT NOT NULL,
    data TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (collection, id)
) WITHOUT ROWID;
"""
_OPS = {"==": "=", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}


def _json_path(field: str) -> str:
    if not field.replace("_", "").replace(".", "").isalnum():
        raise ValueError(f"invalid field path {field!r}")
    return "$." + field


def _sql_value(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dict | list):
        return json.dumps(value)
    return value


class _Direct:
    """Single-statement reads and writes, each committed on its own."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def read(self, collection: str, doc_id: str) -> tuple[Document | None, int]:
        row = self._conn.execute(
            "SELECT data, version FROM documents WHERE collection=? AND id=?",
            (collection, doc_id),
        ).fetchone()
        return (None, 0) if row is None else (json.loads(row[0]), int(row[1]))

    def get(self, collection: str, doc_id: str) -> Document | None:
        return self.read(collection, doc_id)[0]

    def create(self, collection: str, doc_id: str, data: Document) -> None:
        try:
            self._conn.execute(
                "INSERT INTO documents(collection, id, data) VALUES (?,?,?)",
                (collection, doc_id, json.dumps(data)),
            )
        except sqlite3.IntegrityError:
            raise DocumentExists(f"{collection}/{doc_id}") from None

    def set(self, collection: str, doc_id: str, data: Document) -> None:
        self._conn.execute(
            "INSERT INTO documents(collection, id, data) VALUES (?,?,?) "
            "ON CONFLICT(collection, id) DO UPDATE SET data=excluded.data, version=version+1",
            (collection, doc_id, json.dumps(data)),
        )

    def delete(self, collection: str, doc_id: str) -> None:
        self._conn.execute(
            "DELETE FROM documents WHERE collection=? AND id=?", (collection, doc_id)
        )


class _Conflict(Exception):
    """A document read by the transaction changed before it committed."""


class _Optimistic:
    """Firestore's model: reads are recorded with their version, writes are buffered,
    and the commit applies the writes only if nothing read has changed since."""

    def __init__(self, direct: _Direct) -> None:
        self._direct = direct
        self._reads: dict[tuple[str, str], int] = {}
        self._writes: dict[tuple[str, str], tuple[str, Document | None]] = {}

    def get(self, collection: str, doc_id: str) -> Document | None:
        key = (collection, doc_id)
        if key in self._writes:
            return self._writes[key][1]
        data, version = self._direct.read(collection, doc_id)
        self._reads.setdefault(key, version)
        return data

    def create(self, collection: str, doc_id: str, data: Document) -> None:
        self._writes[(collection, doc_id)] = ("create", data)

    def set(self, collection: str, doc_id: str, data: Document) -> None:
        self._writes[(collection, doc_id)] = ("set", data)

    def delete(self, collection: str, doc_id: str) -> None:
        self._writes[(collection, doc_id)] = ("delete", None)

    def commit(self, conn: sqlite3.Connection) -> None:
        conn.execute("BEGIN IMMEDIATE")
        try:
            for (collection, doc_id), version in self._reads.items():
                if self._direct.read(collection, doc_id)[1] != version:
                    raise _Conflict(f"{collection}/{doc_id}")
            for (collection, doc_id), (op, data) in self._writes.items():
                if op == "create":
                    self._direct.create(collection, doc_id, data or {})
                elif op == "set":
                    self._direct.set(collection, doc_id, data or {})
                else:
                    self._direct.delete(collection, doc_id)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")


class SqliteDocumentStore:
    def __init__(self, path: Path) -> None:
        self._db = SqliteFile(path, _SCHEMA)

    def get(self, collection: str, doc_id: str) -> Document | None:
        return _Direct(self._db.connection()).get(collection, doc_id)

    def create(self, collection: str, doc_id: str, data: Document) -> bool:
        try:
            _Direct(self._db.connection()).create(collection, doc_id, data)
        except DocumentExists:
            return False
        return True

    def set(self, collection: str, doc_id: str, data: Document) -> None:
        _Direct(self._db.connection()).set(collection, doc_id, data)

    def delete(self, collection: str, doc_id: str) -> None:
        _Direct(self._db.connection()).delete(collection, doc_id)

    def query(
        self,
        collection: str,
        where: Sequence[Filter] = (),
        order_by: str | None = None,
        descending: bool = False,
        limit: int | None = None,
    ) -> list[tuple[str, Document]]:
        sql = ["SELECT id, data FROM documents WHERE collection=?"]
        params: list[Any] = [collection]
        for field, op, value in where:
            if op == "in":
                values = list(value)
                marks = ",".join("?" * len(values)) or "NULL"
                sql.append(f"AND json_extract(data, ?) IN ({marks})")
                params += [_json_path(field), *(_sql_value(v) for v in values)]
            elif op in _OPS:
                sql.append(f"AND json_extract(data, ?) {_OPS[op]} ?")
                params += [_json_path(field), _sql_value(value)]
            else:
                raise ValueError(f"unsupported operator {op!r}")
        if order_by:
            # as Firestore: documents without the field are left out, ties go by id in
            # the same direction
            direction = "DESC" if descending else "ASC"
            sql.append("AND json_type(data, ?) IS NOT NULL")
            sql.append(f"ORDER BY json_extract(data, ?) {direction}, id {direction}")
            params += [_json_path(order_by), _json_path(order_by)]
        else:
            sql.append("ORDER BY id")
        if limit is not None:
            sql.append("LIMIT ?")
            params.append(int(limit))
        rows = self._db.connection().execute(" ".join(sql), params).fetchall()
        return [(row[0], json.loads(row[1])) for row in rows]

    def run_transaction(self, fn: Callable[[Any], T], max_attempts: int = 25) -> T:
        conn = self._db.connection()
        for _ in range(max_attempts):
            tx = _Optimistic(_Direct(conn))
            result = fn(tx)
            try:
                tx.commit(conn)
            except _Conflict:
                continue  # someone changed what we read: run again on fresh reads
            return result
        raise RuntimeError(f"transaction contended {max_attempts} times; giving up")

    def ping(self) -> None:
        self._db.connection().execute("SELECT 1").fetchone()

    def close(self) -> None:
        self._db.close()
