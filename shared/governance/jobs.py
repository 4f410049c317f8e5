"""The scheduled governance job: announce time-driven transitions, release locks."""

from __future__ import annotations

import logging

from shared.events.handling import HandlerContext
from shared.governance.compose import governance
from shared.governance.events import GovernanceTickRequested

log = logging.getLogger("aia.governance")


def advance_governance(ctx: HandlerContext[GovernanceTickRequested]) -> None:
    # Idempotent in SQL (one claim per proposal and milestone, keyed ledger moves), so a
    # redelivered or overlapping tick announces nothing twice.
    done = governance(ctx.platform).advance(ctx.data.limit)
    if any(done.values()):
        log.info("governance advanced", extra=done)
