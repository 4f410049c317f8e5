"""A posting is one balanced journal entry: lines that sum to zero per token."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from shared.money import Token, in_tokens, to_decimal

TREASURY = "treasury"
ISSUANCE = "issuance"  # its balance is minus the supply: minting debits it
SYSTEM_OWNERS = frozenset({TREASURY, ISSUANCE})


def user_owner(user_id: str) -> str:
    return f"user:{user_id}"


@dataclass(frozen=True)
class Line:
    owner: str
    token: Token
    amount: int  # minor units; negative debits the owner, positive credits

    @property
    def account_id(self) -> str:
        return f"{self.owner}:{self.token.value}"


@dataclass(frozen=True)
class Posting:
    idempotency_key: str
    kind: str
    lines: tuple[Line, ...]
    actor: str
    memo: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        totals: dict[Token, int] = defaultdict(int)
        for line in self.lines:
            totals[line.token] += line.amount
        if any(totals.values()):
            raise ValueError(f"unbalanced posting {self.kind}: {dict(totals)}")
        if not 0 < len(self.idempotency_key) <= 255:
            raise ValueError("idempotency key must be 1-255 characters")

    def request_hash(self) -> str:
        """What the caller asked for: a replayed key with other content is a conflict."""
        body = [self.kind, [(ln.owner, ln.token.value, ln.amount) for ln in self.lines]]
        return hashlib.sha256(json.dumps(body).encode()).hexdigest()


def movement(
    kind: str,
    source: str,
    target: str,
    token: Token,
    amount: int,
    key: str,
    actor: str,
    memo: str = "",
) -> Posting:
    """`amount` of `token` from `source` to `target`: the simplest balanced posting."""
    return Posting(
        key, kind, (Line(source, token, -amount), Line(target, token, amount)), actor, memo
    )


@dataclass(frozen=True)
class Holding:
    """An account's balance (minor units) and whether it is frozen."""

    balance: int
    frozen: bool


@dataclass(frozen=True)
class Receipt:
    entry_id: str
    kind: str
    created_at: datetime
    balances: dict[str, int]  # account id -> balance after the posting
    replayed: bool = False


@dataclass(frozen=True)
class HistoryItem:
    entry_id: str
    kind: str
    token: Token
    amount: int
    balance_after: int
    memo: str
    created_at: datetime
    counterparties: tuple[str, ...]
    line_id: int = 0  # orders the lines of one instant (a page of history ends at one)


@dataclass(frozen=True)
class HistoryFilter:
    """Which of an owner's lines a history keeps; None: any. `since` is inclusive,
    `until` exclusive."""

    token: Token | None = None
    kind: str | None = None
    since: datetime | None = None
    until: datetime | None = None


ALL_HISTORY = HistoryFilter()


@dataclass(frozen=True)
class BookFigures:
    """What the books hold of one token, read at one instant: the figures the ledger's
    invariants are checked on (shared/ledger/reconciliation.py). Amounts in minor units."""

    token: Token
    all_accounts: int  # every account's balance summed, issuance included
    issuance: int  # the issuance account's balance: minus the supply
    minted: int  # the supply counter's minted total
    burned: int  # the supply counter's burned total
    negative: tuple[tuple[str, int], ...]  # (owner, balance) below zero, issuance aside
    unmatched: tuple[str, ...]  # account ids whose balance is not the sum of their lines


class LedgerRejected(Exception):
    """The posting would break a rule (overdraft, frozen account, supply cap). An
    overdraft also says whose account, of which token, what it held and what the posting
    needed (minor units), so each use case can say it in its own words."""

    def __init__(
        self,
        reason: str,
        detail: str,
        *,
        owner: str | None = None,
        token: Token | None = None,
        held: int = 0,
        needed: int = 0,
    ) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail
        self.owner = owner
        self.token = token
        self.held = held
        self.needed = needed

    def shortfall(self) -> dict[str, Any]:
        """An overdraft's figures for clients: decimal strings and exact minor units."""
        if self.reason != "insufficient_funds" or self.token is None:
            return {}
        return {
            "token": self.token.value,
            "available": to_decimal(self.held),
            "needed": to_decimal(self.needed),
            "available_minor": self.held,
            "needed_minor": self.needed,
        }


def describe_owner(owner: str) -> str:
    kind, _, name = owner.partition(":")
    return {
        "user": f"the wallet of user {name}",
        "staked": f"the stake of user {name}",
        "locked": f"a lock of user {name.partition(':')[0]}",
    }.get(kind, f"the {kind} account")


def overdraft(owner: str, token: Token, held: int, needed: int) -> LedgerRejected:
    """An account asked to pay more than it holds, said in tokens."""
    return LedgerRejected(
        "insufficient_funds",
        f"{describe_owner(owner)} has {in_tokens(held, token)}; "
        f"this needs {in_tokens(needed, token)}",
        owner=owner,
        token=token,
        held=held,
        needed=needed,
    )


def frozen_account(owner: str) -> LedgerRejected:
    return LedgerRejected("frozen", f"{describe_owner(owner)} is frozen", owner=owner)


class IdempotencyConflict(Exception):
    """An idempotency key reused for a different request."""


class LedgerStore(Protocol):
    def post(self, posting: Posting, at: datetime) -> Receipt:
        """Apply atomically, or return the first result for a replayed key.
        Raises LedgerRejected or IdempotencyConflict."""
        ...

    def balance(self, owner: str, token: Token) -> int: ...

    def balances(self, owner: str) -> dict[Token, int]: ...

    def balance_at(self, owner: str, token: Token, at: datetime) -> int:
        """The balance after the last posting at or before `at` (voting snapshots)."""
        ...

    def supply(self, token: Token) -> tuple[int, int, int]:
        """(circulating supply, minted, burned) in minor units."""
        ...

    def total_balance(self, token: Token) -> int:
        """Sum of every non-issuance account: equals the supply when the books balance."""
        ...

    def history(
        self,
        owner: str,
        limit: int,
        after: tuple[datetime, int] | None = None,
        matching: HistoryFilter = ALL_HISTORY,
    ) -> list[HistoryItem]:
        """The owner's lines `matching`, newest first, from those older than `after`
        (created_at, line_id): the last of the page before."""
        ...

    def figures(self, token: Token, *, at_most: int = 20) -> BookFigures:
        """The books of `token` read in one snapshot; `negative` and `unmatched` name at
        most `at_most` accounts each."""
        ...

    def holders(self, owner_prefix: str, token: Token) -> list[str]:
        """Owners whose name starts with `owner_prefix` and who hold a positive balance."""
        ...

    def set_frozen(self, owner: str, frozen: bool, at: datetime) -> None: ...

    def is_frozen(self, owner: str) -> bool: ...

    def audit(
        self, at: datetime, actor: str, action: str, subject: str, details: dict[str, Any]
    ) -> None: ...

    def audit_trail(self, limit: int, offset: int = 0) -> list[dict[str, Any]]:
        """Up to `limit` audit entries, newest first, after the `offset` newest."""
        ...
