from __future__ import annotations

import logging

from shared.events.consumer import HandlerContext
from shared.ledger.compose import ledger
from shared.ledger.events import LedgerDayClosed

log = logging.getLogger("aia.ledger")


def settle_ledger_day(ctx: HandlerContext[LedgerDayClosed]) -> None:
    # The day comes from the firing time, so a redelivery (or a second firing of the
    # same slot) settles the same day; the ledger's keys make each posting once.
    day = ctx.event.time.date()
    postings = ledger(ctx.platform).settle_day(day)
    log.info("ledger day settled", extra={"day": day.isoformat(), "postings": postings})
