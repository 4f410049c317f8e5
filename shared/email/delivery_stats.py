"""Delivery figures over a window, from the platform's own records: the send log (what
each send step did) and the suppression list (when an address first bounced or
complained, when a category was unsubscribed). The send log keeps 60 days, so a window
reaches no further back; a suppression an operator lifted no longer counts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from shared.email.audience import SuppressionList
from shared.email.send_log import RETENTION, SETTLED, SendLedger, within

LONGEST_WINDOW = RETENTION


@dataclass(frozen=True)
class DeliveryStats:
    start: datetime
    end: datetime
    sends: dict[str, int]  # settled sends by outcome: every status in SETTLED
    bounced: int  # addresses whose first hard bounce fell in the window
    complained: int  # addresses whose first complaint fell in the window
    unsubscribed: int  # (address, category) unsubscribes made in the window


def delivery_stats(
    sends: SendLedger, suppressions: SuppressionList, start: datetime, end: datetime
) -> DeliveryStats:
    outcomes = Counter(str(doc.get("status")) for doc in sends.settled_between(start, end))
    records = suppressions.changed_since(start)
    return DeliveryStats(
        start=start,
        end=end,
        sends={status: outcomes.get(status, 0) for status in SETTLED},
        bounced=sum(within(r.get("hard_bounce"), start, end) for r in records),
        complained=sum(within(r.get("complaint"), start, end) for r in records),
        unsubscribed=sum(
            within(at, start, end) for r in records for at in (r.get("unsubscribed") or {}).values()
        ),
    )
