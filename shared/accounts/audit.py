"""The security audit trail: one record per account event, kept in the document store
(the Security dashboard and operators read it)."""

from __future__ import annotations

from shared.accounts.events import PasswordResetRequested, UserRegistered
from shared.events.consumer import HandlerContext

AUDIT = "security_audit"


def record_security_event(ctx: HandlerContext[UserRegistered | PasswordResetRequested]) -> None:
    # Written in the handler's transaction: recorded exactly once per event. The reset
    # link is a credential and is deliberately not copied into the trail.
    ctx.tx.set(
        AUDIT,
        ctx.event.id,
        {
            "type": ctx.event.type,
            "user_id": ctx.data.user_id,
            "at": ctx.event.time.isoformat(),
            "recorded_at": ctx.platform.clock.now().isoformat(),
        },
    )
