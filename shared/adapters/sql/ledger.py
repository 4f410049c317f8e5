"""The ledger in SQL. One posting is one transaction: the entry (unique idempotency
key), the touched accounts locked in id order (no deadlocks), balances checked and
updated, lines appended with the balance after each. Concurrent postings serialise on
the accounts they share, so no update is ever lost.

The `*_within` methods do the same work on a connection whose transaction the caller owns,
so a feature can post to the ledger and write its own tables in one commit (payments)."""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, Row, and_, func, insert, or_, select, update

from shared.adapters.sql.database import insert_or_ignore
from shared.adapters.sql.schema import (
    ledger_accounts,
    ledger_audit,
    ledger_entries,
    ledger_lines,
    ledger_supply,
)
from shared.ledger.postings import (
    ALL_HISTORY,
    ISSUANCE,
    SYSTEM_OWNERS,
    BookFigures,
    HistoryFilter,
    HistoryItem,
    Holding,
    IdempotencyConflict,
    LedgerRejected,
    Posting,
    Receipt,
    frozen_account,
    overdraft,
)
from shared.money import CAPS, Token


def _postgres(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"


class SqlLedgerStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # -- posting ------------------------------------------------------------------------
    def post(self, posting: Posting, at: datetime) -> Receipt:
        with self.engine.begin() as conn:
            return self.post_within(conn, posting, at)

    def post_within(self, conn: Connection, posting: Posting, at: datetime) -> Receipt:
        """`post` inside the caller's transaction: nothing is kept unless it commits, and
        a LedgerRejected leaves the transaction fit only for a rollback."""
        request_hash = posting.request_hash()
        entry_id = str(uuid.uuid4())
        claimed = conn.execute(
            insert_or_ignore(self.engine, ledger_entries)
            .values(
                id=entry_id,
                idempotency_key=posting.idempotency_key,
                kind=posting.kind,
                actor=posting.actor,
                memo=posting.memo[:500],
                request_hash=request_hash,
                details=json.dumps(posting.details, default=str),
                created_at=at,
            )
            .on_conflict_do_nothing(index_elements=["idempotency_key"])
            .returning(ledger_entries.c.id)
        ).scalar()
        if claimed is None:  # the key was taken: this is a replay
            return self._replay(conn, posting.idempotency_key, request_hash)
        balances = self._apply(conn, posting, entry_id, at)
        return Receipt(entry_id, posting.kind, at, balances)

    def _replay(self, conn: Connection, key: str, request_hash: str) -> Receipt:
        entry = conn.execute(
            select(ledger_entries).where(ledger_entries.c.idempotency_key == key)
        ).one()
        if entry.request_hash != request_hash:
            raise IdempotencyConflict(f"idempotency key {key!r} was used for another request")
        lines = conn.execute(
            select(ledger_lines.c.account_id, ledger_lines.c.balance_after).where(
                ledger_lines.c.entry_id == entry.id
            )
        ).all()
        return Receipt(
            entry.id,
            entry.kind,
            entry.created_at,
            {r.account_id: r.balance_after for r in lines},
            True,
        )

    def _apply(
        self, conn: Connection, posting: Posting, entry_id: str, at: datetime
    ) -> dict[str, int]:
        deltas: dict[str, int] = defaultdict(int)
        owners: dict[str, tuple[str, Token]] = {}
        for line in posting.lines:
            deltas[line.account_id] += line.amount
            owners[line.account_id] = (line.owner, line.token)
        current = self._lock(conn, owners, at)
        after: dict[str, int] = {}
        for account_id in sorted(owners):
            row = current[account_id]
            delta = deltas[account_id]
            new_balance = row.balance + delta
            if row.owner not in SYSTEM_OWNERS and row.frozen and delta != 0:
                raise frozen_account(row.owner)
            if row.owner != ISSUANCE and new_balance < 0:
                raise overdraft(row.owner, Token(row.token), int(row.balance), -delta)
            if row.owner == ISSUANCE and -new_balance > CAPS[Token(row.token)]:
                raise LedgerRejected("supply_cap", f"{row.token} supply cap reached")
            after[account_id] = new_balance
        for account_id, new_balance in after.items():
            conn.execute(
                update(ledger_accounts)
                .where(ledger_accounts.c.id == account_id)
                .values(balance=new_balance)
            )
            if deltas[account_id] != 0:
                conn.execute(
                    insert(ledger_lines).values(
                        entry_id=entry_id,
                        account_id=account_id,
                        amount=deltas[account_id],
                        balance_after=new_balance,
                        created_at=at,
                    )
                )
            owner, token = owners[account_id]
            if owner == ISSUANCE and deltas[account_id]:
                self._count_supply(conn, token, deltas[account_id])
        return after

    def _lock(
        self, conn: Connection, owners: dict[str, tuple[str, Token]], at: datetime
    ) -> dict[str, Row[Any]]:
        """The accounts (created if new) locked until the transaction ends, in id order so
        two transactions never wait on each other in a cycle."""
        for account_id, (owner, token) in owners.items():
            conn.execute(
                insert_or_ignore(self.engine, ledger_accounts)
                .values(
                    id=account_id,
                    owner=owner,
                    token=token.value,
                    balance=0,
                    frozen=False,
                    created_at=at,
                )
                .on_conflict_do_nothing(index_elements=["id"])
            )
        rows = conn.execute(
            select(ledger_accounts)
            .where(ledger_accounts.c.id.in_(sorted(owners)))
            .order_by(ledger_accounts.c.id)
            .with_for_update()
        ).all()
        return {r.id: r for r in rows}

    def holdings_within(
        self, conn: Connection, owners: Sequence[str], token: Token, at: datetime
    ) -> dict[str, Holding]:
        """What each owner holds of `token`, locked until the caller's transaction ends:
        a posting made on the same connection then sees exactly these balances."""
        wanted = {f"{owner}:{token.value}": (owner, token) for owner in owners}
        rows = self._lock(conn, wanted, at)
        return {
            owner: Holding(int(rows[account_id].balance), bool(rows[account_id].frozen))
            for account_id, (owner, _) in wanted.items()
        }

    def _count_supply(self, conn: Connection, token: Token, issuance_delta: int) -> None:
        conn.execute(
            insert_or_ignore(self.engine, ledger_supply)
            .values(token=token.value, minted=0, burned=0)
            .on_conflict_do_nothing(index_elements=["token"])
        )
        column = "minted" if issuance_delta < 0 else "burned"
        conn.execute(
            update(ledger_supply)
            .where(ledger_supply.c.token == token.value)
            .values({column: getattr(ledger_supply.c, column) + abs(issuance_delta)})
        )

    # -- reading ------------------------------------------------------------------------
    def balance(self, owner: str, token: Token) -> int:
        with self.engine.connect() as conn:
            value = conn.execute(
                select(ledger_accounts.c.balance).where(
                    ledger_accounts.c.id == f"{owner}:{token.value}"
                )
            ).scalar()
        return int(value or 0)

    def balances(self, owner: str) -> dict[Token, int]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(ledger_accounts.c.token, ledger_accounts.c.balance).where(
                    ledger_accounts.c.owner == owner
                )
            ).all()
        found = {Token(r.token): int(r.balance) for r in rows}
        return {token: found.get(token, 0) for token in Token}

    def balance_at(self, owner: str, token: Token, at: datetime) -> int:
        with self.engine.connect() as conn:
            value = conn.execute(
                select(ledger_lines.c.balance_after)
                .where(
                    and_(
                        ledger_lines.c.account_id == f"{owner}:{token.value}",
                        ledger_lines.c.created_at <= at,
                    )
                )
                .order_by(ledger_lines.c.created_at.desc(), ledger_lines.c.id.desc())
                .limit(1)
            ).scalar()
        return int(value or 0)

    def supply(self, token: Token) -> tuple[int, int, int]:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(ledger_supply).where(ledger_supply.c.token == token.value)
            ).first()
        minted, burned = (int(row.minted), int(row.burned)) if row else (0, 0)
        return minted - burned, minted, burned

    def total_balance(self, token: Token) -> int:
        with self.engine.connect() as conn:
            value = conn.execute(
                select(func.coalesce(func.sum(ledger_accounts.c.balance), 0)).where(
                    and_(
                        ledger_accounts.c.token == token.value, ledger_accounts.c.owner != ISSUANCE
                    )
                )
            ).scalar()
        return int(value or 0)

    def figures(self, token: Token, *, at_most: int = 20) -> BookFigures:
        accounts = ledger_accounts.c
        lines = (
            select(
                ledger_lines.c.account_id,
                func.sum(ledger_lines.c.amount).label("total"),
            )
            .group_by(ledger_lines.c.account_id)
            .subquery()
        )
        # One snapshot for every figure: under PostgreSQL's default (read committed) each
        # statement would see postings the one before did not, and report a false break.
        options = {"isolation_level": "REPEATABLE READ"} if _postgres(self.engine) else {}
        with self.engine.connect().execution_options(**options) as conn, conn.begin():
            of_token = accounts.token == token.value
            all_accounts = conn.execute(
                select(func.coalesce(func.sum(accounts.balance), 0)).where(of_token)
            ).scalar()
            issuance = conn.execute(
                select(accounts.balance).where(and_(of_token, accounts.owner == ISSUANCE))
            ).scalar()
            supply = conn.execute(
                select(ledger_supply).where(ledger_supply.c.token == token.value)
            ).first()
            negative = conn.execute(
                select(accounts.owner, accounts.balance)
                .where(and_(of_token, accounts.owner != ISSUANCE, accounts.balance < 0))
                .order_by(accounts.balance)
                .limit(at_most)
            ).all()
            unmatched = conn.execute(
                select(accounts.id)
                .outerjoin(lines, lines.c.account_id == accounts.id)
                .where(and_(of_token, func.coalesce(lines.c.total, 0) != accounts.balance))
                .order_by(accounts.id)
                .limit(at_most)
            ).all()
        return BookFigures(
            token=token,
            all_accounts=int(all_accounts or 0),
            issuance=int(issuance or 0),
            minted=int(supply.minted) if supply else 0,
            burned=int(supply.burned) if supply else 0,
            negative=tuple((r.owner, int(r.balance)) for r in negative),
            unmatched=tuple(r.id for r in unmatched),
        )

    def history(
        self,
        owner: str,
        limit: int,
        after: tuple[datetime, int] | None = None,
        matching: HistoryFilter = ALL_HISTORY,
    ) -> list[HistoryItem]:
        mine = ledger_lines.alias("mine")
        condition = ledger_accounts.c.owner == owner
        if matching.token is not None:
            condition = and_(condition, ledger_accounts.c.token == matching.token.value)
        if matching.kind is not None:
            condition = and_(condition, ledger_entries.c.kind == matching.kind)
        if matching.since is not None:
            condition = and_(condition, mine.c.created_at >= matching.since)
        if matching.until is not None:
            condition = and_(condition, mine.c.created_at < matching.until)
        if after is not None:
            at, line_id = after
            condition = and_(
                condition,
                or_(mine.c.created_at < at, and_(mine.c.created_at == at, mine.c.id < line_id)),
            )
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(
                    mine.c.id,
                    mine.c.entry_id,
                    ledger_entries.c.kind,
                    ledger_entries.c.memo,
                    ledger_accounts.c.token,
                    mine.c.amount,
                    mine.c.balance_after,
                    mine.c.created_at,
                )
                .join(ledger_accounts, ledger_accounts.c.id == mine.c.account_id)
                .join(ledger_entries, ledger_entries.c.id == mine.c.entry_id)
                .where(condition)
                .order_by(mine.c.created_at.desc(), mine.c.id.desc())
                .limit(limit)
            ).all()
            others: dict[str, set[str]] = defaultdict(set)
            if rows:
                for entry_id, other in conn.execute(
                    select(ledger_lines.c.entry_id, ledger_accounts.c.owner)
                    .join(ledger_accounts, ledger_accounts.c.id == ledger_lines.c.account_id)
                    .where(ledger_lines.c.entry_id.in_({r.entry_id for r in rows}))
                ).all():
                    if other != owner:
                        others[entry_id].add(other)
        return [
            HistoryItem(
                entry_id=r.entry_id,
                kind=r.kind,
                token=Token(r.token),
                amount=int(r.amount),
                balance_after=int(r.balance_after),
                memo=r.memo,
                created_at=r.created_at,
                counterparties=tuple(sorted(others[r.entry_id])),
                line_id=int(r.id),
            )
            for r in rows
        ]

    def holders(self, owner_prefix: str, token: Token) -> list[str]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(ledger_accounts.c.owner)
                .where(
                    and_(
                        ledger_accounts.c.owner.startswith(owner_prefix, autoescape=True),
                        ledger_accounts.c.token == token.value,
                        ledger_accounts.c.balance > 0,
                    )
                )
                .order_by(ledger_accounts.c.owner)
            ).all()
        return [r.owner for r in rows]

    # -- control and audit --------------------------------------------------------------
    def set_frozen(self, owner: str, frozen: bool, at: datetime) -> None:
        with self.engine.begin() as conn:
            self.set_frozen_within(conn, owner, frozen, at)

    def set_frozen_within(self, conn: Connection, owner: str, frozen: bool, at: datetime) -> None:
        conn.execute(
            update(ledger_accounts).where(ledger_accounts.c.owner == owner).values(frozen=frozen)
        )
        for token in Token:  # freeze accounts that don't exist yet too
            conn.execute(
                insert_or_ignore(self.engine, ledger_accounts)
                .values(
                    id=f"{owner}:{token.value}",
                    owner=owner,
                    token=token.value,
                    balance=0,
                    frozen=frozen,
                    created_at=at,
                )
                .on_conflict_do_nothing(index_elements=["id"])
            )

    def is_frozen(self, owner: str) -> bool:
        with self.engine.connect() as conn:
            value = conn.execute(
                select(ledger_accounts.c.id)
                .where(and_(ledger_accounts.c.owner == owner, ledger_accounts.c.frozen.is_(True)))
                .limit(1)
            ).scalar()
        return value is not None

    def audit(
        self, at: datetime, actor: str, action: str, subject: str, details: dict[str, Any]
    ) -> None:
        with self.engine.begin() as conn:
            self.audit_within(conn, at, actor, action, subject, details)

    def audit_within(
        self,
        conn: Connection,
        at: datetime,
        actor: str,
        action: str,
        subject: str,
        details: dict[str, Any],
    ) -> None:
        conn.execute(
            insert(ledger_audit).values(
                at=at,
                actor=actor,
                action=action,
                subject=subject,
                details=json.dumps(details, default=str),
            )
        )

    def audit_trail(self, limit: int, offset: int = 0) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(ledger_audit).order_by(ledger_audit.c.id.desc()).limit(limit).offset(offset)
            ).all()
        return [
            {
                "at": r.at,
                "actor": r.actor,
                "action": r.action,
                "subject": r.subject,
                "details": json.loads(r.details),
            }
            for r in rows
        ]
