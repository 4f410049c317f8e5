"""Paid work as the features that sell it see it: charge the caller's AIA before a job
starts, give it back once if the job fails. The ledger answers it
(`shared.ledger.pricing.LedgerPaidWork`); the composition root hands it to the features."""

from __future__ import annotations

from typing import Protocol


class PaidWork(Protocol):
    def price(self, item: str) -> int:
        """The flat price of `item` in minor units (settings `prices`; 0: free)."""
        ...

    def charge(self, user_id: str, item: str, job_id: str, amount: int | None = None) -> int:
        """Charge `amount` (default: the flat price of `item`) for `job_id`, once; the
        amount charged. Not enough AIA: `shared.errors.PaymentRequired`."""
        ...

    def refund(self, user_id: str, item: str, job_id: str, amount: int) -> None:
        """Give back what `charge` took for a job that failed (once)."""
        ...
