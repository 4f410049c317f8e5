from __future__ import annotations

import logging

from shared.events.handling import HandlerContext
from shared.events.outbox import relay
from shared.operations.events import OutboxRelayRequested

log = logging.getLogger("aia.operations")


def relay_outbox(ctx: HandlerContext[OutboxRelayRequested]) -> None:
    """Publish what the SQL outbox still holds; raises (and is retried) if the bus fails."""
    published = relay(ctx.features.outbox, ctx.platform.events, ctx.data.limit)
    if published:
        log.warning("relayed outbox events", extra={"published": published})
