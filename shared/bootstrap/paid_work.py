"""Interim `PaidWork` (shared/ports/paid_work.py) over the ledger's pricing functions,
so that venture reports charge through the port. The accounts/ledger work implements the
port in the ledger itself (`Features.paid_work`); where both exist, that one replaces
this module."""

from __future__ import annotations

from shared.platform import Platform


class LedgerPaidWork:
    def __init__(self, platform: Platform) -> None:
        self._platform = platform

    def price(self, item: str) -> int:
        from shared.ledger.compose import price

        return price(self._platform, item)

    def charge(self, user_id: str, item: str, job_id: str, amount: int | None = None) -> int:
        from shared.ledger.pricing import charge_for

        return charge_for(self._platform, user_id, item, job_id, amount)

    def refund(self, user_id: str, item: str, job_id: str, amount: int) -> None:
        from shared.ledger.pricing import refund_for

        refund_for(self._platform, user_id, item, job_id, amount)
