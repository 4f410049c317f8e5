from __future__ import annotations

import logging

from shared.events.handling import HandlerContext
from shared.events.once import PROCESSED
from shared.operations.events import PurgeRequested

log = logging.getLogger("aia.operations")


def purge_expired_records(ctx: HandlerContext[PurgeRequested]) -> None:
    """Delete processed-event markers past their expiry. Deleting is idempotent, so the
    deletes run outside the handler's transaction (Firestore caps one at 500 writes)."""
    now = ctx.platform.clock.now().isoformat()
    store = ctx.platform.documents
    expired = store.query(PROCESSED, [("expires_at", "<", now)], limit=ctx.data.batch_size)
    for doc_id, _ in expired:
        store.delete(PROCESSED, doc_id)
    log.info("purged expired idempotency records", extra={"purged": len(expired)})
