"""The send log: one document per idempotency key (execution + step + recipient),
claimed before the provider is called, settled after. A step that runs again (Workflows
retry, Cloud Tasks redelivery, a resumed execution) finds the key settled and sends
nothing; two concurrent runs cannot both claim it (the claim is a transaction).

A claim is a lease: if the process dies between claiming and settling, the key can be
claimed again once the lease has run out. That one window (provider accepted, process
died before recording it) can still duplicate; the Message-ID, derived from the key, is
the same on both copies, and receivers collapse them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from shared.ports.documents import Document, DocumentStore, DocumentTransaction

SENDS = "email_sends"
LEASE = timedelta(minutes=2)
RETENTION = timedelta(days=60)  # longer than any journey; purged after
SETTLED = ("sent", "suppressed", "skipped", "bounced", "rejected")


@dataclass(frozen=True)
class Claim:
    outcome: Literal["claimed", "settled", "busy"]
    record: Document


def within(stamp: object, start: datetime, end: datetime) -> bool:
    if not isinstance(stamp, str):
        return False
    try:
        return start <= datetime.fromisoformat(stamp) < end
    except ValueError:
        return False


class SendLedger:
    def __init__(self, store: DocumentStore) -> None:
        self._store = store

    def get(self, key: str) -> Document | None:
        return self._store.get(SENDS, key)

    def settled_between(self, start: datetime, end: datetime) -> list[Document]:
        """Records settled in [start, end): ISO strings compared in the query, each
        instant checked again as a time (offsets or fractions could order strings apart)."""
        rows = self._store.query(
            SENDS,
            [("settled_at", ">=", start.isoformat()), ("settled_at", "<", end.isoformat())],
        )
        return [doc for _, doc in rows if within(doc.get("settled_at"), start, end)]

    def claim(self, key: str, email_type: str, now: datetime) -> Claim:
        def attempt(tx: DocumentTransaction) -> Claim:
            record = tx.get(SENDS, key)
            if record is not None and record["status"] in SETTLED:
                return Claim("settled", record)
            lease_live = (
                record is not None
                and record["status"] == "sending"
                and datetime.fromisoformat(record["lease_until"]) > now
            )
            if record is not None and lease_live:
                return Claim("busy", record)
            claimed: Document = {
                "type": email_type,
                "status": "sending",
                "attempts": int((record or {}).get("attempts", 0)) + 1,
                "lease_until": (now + LEASE).isoformat(),
                "created_at": (record or {}).get("created_at", now.isoformat()),
                "expires_at": (now + RETENTION).isoformat(),
            }
            tx.set(SENDS, key, claimed)
            return Claim("claimed", claimed)

        return self._store.run_transaction(attempt)

    def settle(self, key: str, claim: Claim, status: str, now: datetime, **fields: Any) -> Document:
        """Record the outcome. The caller holds the claim, so a plain write suffices."""
        if status not in SETTLED:
            raise ValueError(f"not a settled status: {status}")
        record = {k: v for k, v in claim.record.items() if k != "lease_until"}
        record.update(fields, status=status, settled_at=now.isoformat())
        self._store.set(SENDS, key, record)
        return record

    def release(self, key: str, claim: Claim, error: str) -> None:
        """A transient failure: the next attempt may claim the key at once."""
        record = {k: v for k, v in claim.record.items() if k != "lease_until"}
        record.update(status="retry", last_error=error[:500])
        self._store.set(SENDS, key, record)
