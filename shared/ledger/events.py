from __future__ import annotations

from shared.events.envelope import EventData


class LedgerDayClosed(EventData, event_type="tech.013a.ledger.day.closed"):
    """Daily: mint the AIA inflation to the treasury and pay staking rewards for the
    day the scheduler fired on (each posting once per day)."""
