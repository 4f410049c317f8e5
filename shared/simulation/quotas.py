"""Per-user limits on simulations (settings `simulation_max_concurrent` and
`simulation_daily_household_months`): how many runs may be unfinished at once, and how
many household-months one may start per UTC day.

The store counts the owner's usage and records the new run in the transaction that
creates it (`Admission`), serialised with the owner's other admissions, so parallel
requests cannot each see room for one more. A run's slot is freed when it completes or
fails. A run still unfinished a day after it started no longer counts toward the
concurrency cap (a run whose first tick never arrives must not hold a slot for ever);
its household-months still count for its day.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from shared.errors import TooMany
from shared.settings import Settings
from shared.simulation.store import Admission, SimulationStore, Usage

STALE_AFTER = timedelta(days=1)


@dataclass(frozen=True)
class Limits:
    max_concurrent: int
    daily_household_months: int

    def check(self, usage: Usage, household_months: int, now: datetime) -> None:
        """Raise `TooMany` if a run of `household_months` started `now` exceeds a limit."""
        daily = self.daily_household_months
        if household_months > daily:
            raise TooMany(
                f"a run of {household_months:,} household-months is more than the daily quota "
                f"of {daily:,}; use fewer households or months",
                problem="simulation-daily-quota",
            )
        if usage.running >= self.max_concurrent:
            raise TooMany(
                f"you have {usage.running} simulation{'' if usage.running == 1 else 's'} "
                "running, the most allowed at once; "
                "start another when one completes or fails",
                problem="simulation-concurrency-limit",
            )
        if usage.started_today + household_months > daily:
            raise TooMany(
                f"the daily quota is {daily:,} household-months; you have started "
                f"{usage.started_today:,} today and this run needs {household_months:,}; "
                "it resets at midnight UTC",
                problem="simulation-daily-quota",
                retry_after=seconds_to_midnight(now),
            )


def limits(settings: Settings) -> Limits:
    return Limits(settings.simulation_max_concurrent, settings.simulation_daily_household_months)


def admission(rules: Limits, household_months: int, now: datetime) -> Admission:
    """The check a new run of `household_months` started `now` must pass when it is
    stored: beyond a limit, `TooMany` (429)."""
    return Admission(
        day_start(now),
        now - STALE_AFTER,
        lambda usage: rules.check(usage, household_months, now),
    )


def usage(store: SimulationStore, user_id: str, now: datetime) -> Usage:
    return store.usage(user_id, day_start(now), now - STALE_AFTER)


def day_start(now: datetime) -> datetime:
    """Midnight UTC that began the day of `now`."""
    return datetime.combine(now.astimezone(UTC).date(), time(0), tzinfo=UTC)


def seconds_to_midnight(now: datetime) -> int:
    return max(1, math.ceil((day_start(now) + timedelta(days=1) - now).total_seconds()))
