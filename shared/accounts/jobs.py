"""Event handlers of the accounts feature."""

from __future__ import annotations

import logging

from shared.accounts.events import PasswordResetAsked
from shared.events.handling import HandlerContext

log = logging.getLogger("aia.accounts")


def issue_password_reset(ctx: HandlerContext[PasswordResetAsked]) -> None:
    # Idempotent: the token derives from the event id, so a redelivery finds the reset
    # already stored and sends nothing more.
    issued = ctx.features.accounts.service.issue_password_reset(ctx.data.email, ctx.event.id)
    log.info("password reset asked", extra={"issued": issued})
