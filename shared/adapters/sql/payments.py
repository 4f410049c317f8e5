"""Purchases and handled Stripe events in SQL, beside the ledger. Each event is one
transaction: its id is inserted first (a repeated delivery finds the key taken and does
nothing; a concurrent one waits for the first to commit), then the purchase row is
locked (`FOR UPDATE` on PostgreSQL; SQLite's transactions begin IMMEDIATE, so writers
run one at a time) and the ledger is posted on the same connection."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, select, update

from shared.adapters.sql.database import insert_or_ignore
from shared.adapters.sql.ledger import SqlLedgerStore
from shared.adapters.sql.schema import purchases, stripe_events
from shared.ledger.payments.purchases import HandledEvent, PaymentsUnit, Purchase
from shared.ledger.postings import Holding, Posting, Receipt
from shared.money import Token

_PENDING = "handling"  # the outcome until the handler returns (never committed as such)


class SqlPaymentsStore:
    def __init__(self, engine: Engine, ledger: SqlLedgerStore) -> None:
        self.engine = engine
        self.ledger = ledger

    def handle_event(
        self, event_id: str, kind: str, at: datetime, handle: Callable[[PaymentsUnit], str]
    ) -> str | None:
        with self.engine.begin() as conn:
            claimed = conn.execute(
                insert_or_ignore(self.engine, stripe_events)
                .values(id=event_id, type=kind, outcome=_PENDING, received_at=at)
                .on_conflict_do_nothing(index_elements=["id"])
                .returning(stripe_events.c.id)
            ).scalar()
            if claimed is None:
                return None
            outcome = handle(_SqlPaymentsUnit(conn, self, at))
            conn.execute(
                update(stripe_events).where(stripe_events.c.id == event_id).values(outcome=outcome)
            )
        return outcome

    def purchase(self, payment_intent: str) -> Purchase | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(purchases).where(purchases.c.payment_intent == payment_intent)
            ).first()
        return None if row is None else _purchase(row)

    def purchase_of_session(self, session_id: str) -> Purchase | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(purchases).where(purchases.c.session_id == session_id)
            ).first()
        return None if row is None else _purchase(row)

    def handled_event(self, event_id: str) -> HandledEvent | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(stripe_events).where(stripe_events.c.id == event_id)).first()
        return None if row is None else HandledEvent(row.id, row.type, row.outcome, row.received_at)

    def import_handled(self, purchases: Sequence[Purchase], events: Sequence[HandledEvent]) -> int:
        written = 0
        with self.engine.begin() as conn:
            for purchase in purchases:
                written += self.add_purchase(conn, purchase)
            for event in events:
                claimed = conn.execute(
                    insert_or_ignore(self.engine, stripe_events)
                    .values(
                        id=event.event_id,
                        type=event.type,
                        outcome=event.outcome,
                        received_at=event.received_at,
                    )
                    .on_conflict_do_nothing(index_elements=["id"])
                    .returning(stripe_events.c.id)
                ).scalar()
                written += claimed is not None
        return written

    def add_purchase(self, conn: Connection, purchase: Purchase) -> bool:
        claimed = conn.execute(
            insert_or_ignore(self.engine, purchases)
            .values(
                payment_intent=purchase.payment_intent,
                session_id=purchase.session_id,
                user_id=purchase.user_id,
                aia_minor=purchase.aia_minor,
                refunded_minor=purchase.refunded_minor,
                entry_id=purchase.entry_id,
                created_at=purchase.created_at,
                updated_at=purchase.updated_at,
            )
            # a known intent (or, never from Stripe, a known session) is left as it is
            .on_conflict_do_nothing()
            .returning(purchases.c.payment_intent)
        ).scalar()
        return claimed is not None


@dataclass
class _SqlPaymentsUnit:
    conn: Connection
    store: SqlPaymentsStore
    at: datetime

    def purchase(self, payment_intent: str) -> Purchase | None:
        row = self.conn.execute(
            select(purchases).where(purchases.c.payment_intent == payment_intent).with_for_update()
        ).first()
        return None if row is None else _purchase(row)

    def add_purchase(self, purchase: Purchase) -> bool:
        return self.store.add_purchase(self.conn, purchase)

    def record_refunded(self, payment_intent: str, refunded_minor: int) -> None:
        self.conn.execute(
            update(purchases)
            .where(purchases.c.payment_intent == payment_intent)
            .values(refunded_minor=refunded_minor, updated_at=self.at)
        )

    def holdings(self, owners: Sequence[str], token: Token) -> dict[str, Holding]:
        return self.store.ledger.holdings_within(self.conn, owners, token, self.at)

    def post(self, posting: Posting) -> Receipt:
        return self.store.ledger.post_within(self.conn, posting, self.at)

    def freeze(self, owner: str) -> None:
        self.store.ledger.set_frozen_within(self.conn, owner, True, self.at)

    def audit(self, actor: str, action: str, subject: str, details: dict[str, Any]) -> None:
        self.store.ledger.audit_within(self.conn, self.at, actor, action, subject, details)


def _purchase(row: Any) -> Purchase:
    return Purchase(
        payment_intent=row.payment_intent,
        session_id=row.session_id,
        user_id=row.user_id,
        aia_minor=int(row.aia_minor),
        refunded_minor=int(row.refunded_minor),
        entry_id=row.entry_id,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )
