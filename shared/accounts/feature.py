"""The accounts feature as the composition root hands it out: the service, the rate
limiter the API's guards count with, and the outbox the service stages its events in."""

from __future__ import annotations

from dataclasses import dataclass

from shared.accounts.service import AccountService
from shared.events.outbox import Outbox
from shared.ports.limits import RateLimiter


@dataclass(frozen=True)
class Accounts:
    service: AccountService
    outbox: Outbox
    limiter: RateLimiter
