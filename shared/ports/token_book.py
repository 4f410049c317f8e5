"""The token ledger as governance sees it: what a user holds, the circulating supply at
a past moment (quorum), and moving a voter's own tokens into a held account and back
(conviction locks). The ledger answers it (`shared.ledger.token_book`); the composition
root hands it to governance."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from shared.money import Token


class BookRefused(Exception):
    """The ledger would not move the tokens: `reason` is the rule that said no (e.g.
    `frozen`, `insufficient_funds`), `detail` says it to the user."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


class TokenBook(Protocol):
    def balance(self, user_id: str, token: Token) -> int:
        """The user's spendable balance (minor units) in their wallet now."""
        ...

    def circulating_supply_at(self, token: Token, at: datetime) -> int:
        """The circulating supply of `token` after the last posting at or before `at`:
        what every holder but the treasury holds (spendable, staked or locked). Tokens
        the treasury keeps, and mints it keeps, are not in it."""
        ...

    def hold(
        self,
        user_id: str,
        account: str,
        token: Token,
        amount: int,
        *,
        key: str,
        kind: str,
        actor: str,
        memo: str,
    ) -> datetime:
        """Move `amount` from the user's wallet into the held `account`, once per `key`;
        when the move was booked (the first time). Raises `BookRefused`."""
        ...

    def release(
        self,
        account: str,
        user_id: str,
        token: Token,
        amount: int,
        *,
        key: str,
        kind: str,
        actor: str,
        memo: str,
    ) -> datetime:
        """Move `amount` from the held `account` back to the user's wallet, once per
        `key`; when the move was booked. Raises `BookRefused`."""
        ...
