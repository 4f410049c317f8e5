"""Who may receive what: the suppression list (by address: unsubscribed categories,
hard bounces, complaints, repeated soft bounces), per-user category preferences, and the
last time a user was active (the activation nudge skips active users). All in the
document store; checked at send time, not only when a journey starts."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from shared.email.types import LOCKED_CATEGORIES, Category
from shared.ports.documents import Document, DocumentStore, DocumentTransaction

SUPPRESSIONS = "email_suppressions"
PREFERENCES = "email_preferences"
ACTIVITY = "user_activity"
SOFT_BOUNCE_LIMIT = 3  # soft bounces in a row before an address is treated as dead

# what lifting a suppression clears (the soft-bounce count is reset too)
LIFTED = (
    "hard_bounce",
    "hard_bounce_detail",
    "complaint",
    "complaint_detail",
    "soft_bounce_events",
)

DEFAULT_PREFERENCES: dict[str, bool] = {c.value: True for c in Category}


def address_key(address: str) -> str:
    return hashlib.sha256(address.strip().lower().encode()).hexdigest()


class SuppressionList:
    def __init__(self, store: DocumentStore) -> None:
        self._store = store

    def get(self, address: str) -> Document | None:
        return self._store.get(SUPPRESSIONS, address_key(address))

    def _change(self, address: str, fn: Any, now: datetime) -> Document:
        doc_id = address_key(address)

        def apply(tx: DocumentTransaction) -> Document:
            current = tx.get(SUPPRESSIONS, doc_id) or {
                "address": address.strip().lower(),
                "unsubscribed": {},
                "soft_bounces": 0,
            }
            fn(current)
            current["updated_at"] = now.isoformat()
            tx.set(SUPPRESSIONS, doc_id, current)
            return current

        return self._store.run_transaction(apply)

    def suppress(self, address: str, reason: str, now: datetime, detail: str = "") -> None:
        """`hard_bounce` or `complaint`: the address receives nothing more (complaints
        still get transactional security mail the user asked for)."""
        if reason not in ("hard_bounce", "complaint"):
            raise ValueError(f"unknown suppression reason {reason!r}")

        def mark(doc: Document) -> None:
            doc.setdefault(reason, now.isoformat())
            if detail:
                doc[f"{reason}_detail"] = detail[:500]

        self._change(address, mark, now)

    def soft_bounce(self, address: str, now: datetime, event_id: str = "") -> int:
        """Count a soft bounce once per provider event id (webhooks are redelivered)."""

        def count(doc: Document) -> None:
            seen: list[str] = doc.setdefault("soft_bounce_events", [])
            if event_id and event_id in seen:
                return
            if event_id:
                seen.append(event_id)
                del seen[:-20]
            doc["soft_bounces"] = int(doc.get("soft_bounces", 0)) + 1

        return int(self._change(address, count, now)["soft_bounces"])

    def unsubscribe(self, address: str, category: str, now: datetime) -> None:
        def mark(doc: Document) -> None:
            doc["unsubscribed"].setdefault(category, now.isoformat())

        self._change(address, mark, now)

    def resubscribe(self, address: str, category: str, now: datetime) -> None:
        if self.get(address) is None:
            return

        def clear(doc: Document) -> None:
            doc["unsubscribed"].pop(category, None)

        self._change(address, clear, now)

    def listed(self, limit: int, skip: int = 0) -> list[tuple[str, Document]]:
        """(id, record) most recently changed first, from position `skip`. The port has
        no offset: the records before are read and dropped (an operator's list)."""
        rows = self._store.query(
            SUPPRESSIONS, order_by="updated_at", descending=True, limit=skip + limit
        )
        return rows[skip:]

    def changed_since(self, since: datetime) -> list[Document]:
        """Every record changed at or after `since` (each of its marks is older)."""
        rows = self._store.query(SUPPRESSIONS, [("updated_at", ">=", since.isoformat())])
        return [doc for _, doc in rows]

    def lift(self, doc_id: str, now: datetime) -> Document | None:
        """Clear what an operator may clear: hard bounces, complaints and soft bounces.
        The recipient's own unsubscribes stay (only they turn a category back on). None
        when there is no such record."""

        def apply(tx: DocumentTransaction) -> Document | None:
            doc = tx.get(SUPPRESSIONS, doc_id)
            if doc is None:
                return None
            for mark in LIFTED:
                doc.pop(mark, None)
            doc["soft_bounces"] = 0
            doc["updated_at"] = now.isoformat()
            tx.set(SUPPRESSIONS, doc_id, doc)
            return doc

        return self._store.run_transaction(apply)

    def reason_blocking(self, address: str, category: str, transactional: bool) -> str | None:
        doc = self.get(address)
        if doc is None:
            return None
        if doc.get("hard_bounce"):
            return "hard_bounce"
        if int(doc.get("soft_bounces", 0)) >= SOFT_BOUNCE_LIMIT:
            return "soft_bounce"
        if transactional:
            return None
        if doc.get("complaint"):
            return "complaint"
        if category in doc.get("unsubscribed", {}):
            return "unsubscribed"
        return None


class Preferences:
    """One document per user (`owner_id` = the user), categories on unless turned off."""

    def __init__(self, store: DocumentStore) -> None:
        self._store = store

    def of(self, user_id: str) -> dict[str, bool]:
        doc = self._store.get(PREFERENCES, user_id) or {}
        return {**DEFAULT_PREFERENCES, **doc.get("categories", {})}

    def allows(self, user_id: str, category: str) -> bool:
        if category in LOCKED_CATEGORIES:
            return True
        return self.of(user_id).get(category, True)

    def update(self, user_id: str, changes: dict[str, bool], now: datetime) -> dict[str, bool]:
        locked = {c.value for c in LOCKED_CATEGORIES}
        changes = {k: v for k, v in changes.items() if k not in locked}

        def apply(tx: DocumentTransaction) -> dict[str, bool]:
            doc = tx.get(PREFERENCES, user_id) or {"owner_id": user_id, "categories": {}}
            doc["categories"] = {**doc.get("categories", {}), **changes}
            doc["updated_at"] = now.isoformat()
            tx.set(PREFERENCES, user_id, doc)
            return {**DEFAULT_PREFERENCES, **doc["categories"]}

        return self._store.run_transaction(apply)


class Activity:
    def __init__(self, store: DocumentStore) -> None:
        self._store = store

    def last_seen(self, user_id: str) -> datetime | None:
        doc = self._store.get(ACTIVITY, user_id)
        return datetime.fromisoformat(doc["last_seen_at"]) if doc else None

    def record(self, user_id: str, now: datetime) -> None:
        self._store.set(ACTIVITY, user_id, {"owner_id": user_id, "last_seen_at": now.isoformat()})
