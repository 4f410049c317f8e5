from __future__ import annotations

import logging

from shared.accounts.events import EmailVerified, UserEvent
from shared.events.handling import HandlerContext
from shared.ledger.events import LedgerDayClosed
from shared.ledger.postings import TREASURY, user_owner
from shared.money import Token, to_minor

log = logging.getLogger("aia.ledger")


def settle_ledger_day(ctx: HandlerContext[LedgerDayClosed]) -> None:
    # The day comes from the firing time, so a redelivery (or a second firing of the
    # same slot) settles the same day; the ledger's keys make each posting once.
    day = ctx.event.time.date()
    postings = ctx.features.ledger.settle_day(day)
    log.info("ledger day settled", extra={"day": day.isoformat(), "postings": postings})


def grant_signup_bonus(ctx: HandlerContext[UserEvent]) -> None:
    """A verified address receives the welcome grant of AIA from the treasury, so a
    newcomer can run a first simulation or report before buying any. Accounts decided
    whether this mailbox is the first to verify (`welcome_grant`); the ledger key makes
    it once per user as well. (The users topic carries other account events: nothing
    to grant for those.)"""
    if not isinstance(ctx.data, EmailVerified) or not ctx.data.welcome_grant:
        return
    amount = to_minor(ctx.platform.settings.signup_grant_aia)
    if amount <= 0:
        return
    ctx.features.ledger.move(
        "signup_grant",
        TREASURY,
        user_owner(ctx.data.user_id),
        Token.AIA,
        amount,
        key=f"signup-grant:{ctx.data.user_id}",
        actor="system:signup",
        memo="Welcome grant",
    )
