"""The security audit trail: one record per account event, kept in the document store
(the Security dashboard and operators read it)."""

from __future__ import annotations

from shared.accounts.events import AccountStatusChanged, UserEvent
from shared.events.handling import HandlerContext

AUDIT = "security_audit"


def record_security_event(ctx: HandlerContext[UserEvent]) -> None:
    # Written in the handler's transaction: recorded exactly once per event. Links (reset,
    # verification) are credentials and are deliberately not copied into the trail.
    record = {
        "type": ctx.event.type,
        "user_id": ctx.data.user_id,
        "at": ctx.event.time.isoformat(),
        "recorded_at": ctx.platform.clock.now().isoformat(),
    }
    if isinstance(ctx.data, AccountStatusChanged):
        record |= {"change": ctx.data.change, "actor": ctx.data.actor, "reason": ctx.data.reason}
    ctx.tx.set(AUDIT, ctx.event.id, record)
