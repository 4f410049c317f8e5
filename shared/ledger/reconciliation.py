"""The ledger's own invariants, checked on demand for operators: every token's accounts
sum to zero (issuance holds minus the supply), the supply counter agrees with issuance and
stays under the cap, no wallet is below zero, and each balance is the sum of its lines.
A break here means a bug or a hand edit of the tables: nothing is repaired, only said."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from shared.ledger.postings import BookFigures, LedgerStore
from shared.money import CAPS, Token, in_tokens

Invariant = Literal[
    "accounts_sum_to_zero",
    "supply_matches_issuance",
    "supply_within_cap",
    "no_negative_balance",
    "balances_match_lines",
]


@dataclass(frozen=True)
class Check:
    invariant: Invariant
    token: Token
    holds: bool
    detail: str


@dataclass(frozen=True)
class Reconciliation:
    checked_at: datetime
    checks: tuple[Check, ...]

    @property
    def failures(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if not c.holds)


def reconcile(store: LedgerStore, now: datetime) -> Reconciliation:
    checks = tuple(check for token in Token for check in check_books(store.figures(token)))
    return Reconciliation(checked_at=now, checks=checks)


def check_books(books: BookFigures) -> list[Check]:
    token = books.token
    supply = books.minted - books.burned

    def amount(minor: int) -> str:
        return in_tokens(minor, token)

    negative = ", ".join(f"{owner} holds {amount(balance)}" for owner, balance in books.negative)
    return [
        Check(
            "accounts_sum_to_zero",
            token,
            books.all_accounts == 0,
            "every account sums to zero"
            if books.all_accounts == 0
            else f"the accounts sum to {amount(books.all_accounts)}, not 0",
        ),
        Check(
            "supply_matches_issuance",
            token,
            -books.issuance == supply,
            f"minted {amount(books.minted)} less burned {amount(books.burned)} is "
            f"{amount(supply)}; issuance has issued {amount(-books.issuance)}",
        ),
        Check(
            "supply_within_cap",
            token,
            supply <= CAPS[token],
            f"supply {amount(supply)} of a cap of {amount(CAPS[token])}",
        ),
        Check(
            "no_negative_balance",
            token,
            not books.negative,
            negative or "no account is below zero",
        ),
        Check(
            "balances_match_lines",
            token,
            not books.unmatched,
            "balances differ from the sum of their lines: " + ", ".join(books.unmatched)
            if books.unmatched
            else "every balance is the sum of its lines",
        ),
    ]
