"""Per-user limits on simulations (settings `simulation_max_concurrent` and
`simulation_daily_household_months`): how many runs may be unfinished at once, and how
many household-months one may start per UTC day.

`SimulationRuns.admit` counts the user's usage and records the new run in one
transaction that serialises the user's admissions, so parallel requests cannot each see
room for one more. A run's slot is freed when it completes or fails. A run still
unfinished a day after it started no longer counts toward the concurrency cap (a
process that died between admitting a run and starting it must not hold a slot for
ever); its household-months still count for its day.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Protocol

from shared.errors import TooMany
from shared.platform import Platform

STALE_AFTER = timedelta(days=1)


@dataclass(frozen=True)
class Usage:
    running: int  # runs started (within STALE_AFTER) and not completed or failed
    started_today: int  # household-months of the runs started since midnight UTC


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


class SimulationRuns(Protocol):
    def admit(
        self,
        user_id: str,
        simulation_id: str,
        household_months: int,
        at: datetime,
        day_start: datetime,
        running_since: datetime,
        check: Callable[[Usage], None],
    ) -> None:
        """Record the run as started `at` unless `check`, given the user's usage (runs
        unfinished since `running_since`, household-months since `day_start`), raises;
        no other admission of the user runs between the count and the record."""
        ...

    def usage(self, user_id: str, day_start: datetime, running_since: datetime) -> Usage: ...

    def finish(self, simulation_id: str, at: datetime) -> None:
        """The run completed or failed: its slot is free (again: nothing changes)."""
        ...

    def forget(self, simulation_id: str) -> None:
        """Drop an admitted run that never started (its charge or its first tick failed)."""
        ...


def simulation_runs(platform: Platform) -> SimulationRuns:
    from shared.adapters.sql.simulation_runs import runs_for

    return runs_for(platform.sql)


def limits(platform: Platform) -> Limits:
    settings = platform.settings
    return Limits(settings.simulation_max_concurrent, settings.simulation_daily_household_months)


def admit(platform: Platform, user_id: str, simulation_id: str, household_months: int) -> None:
    """Count the run against the user's limits, or raise `TooMany` (429)."""
    now = platform.clock.now()
    rules = limits(platform)
    simulation_runs(platform).admit(
        user_id,
        simulation_id,
        household_months,
        now,
        day_start(now),
        now - STALE_AFTER,
        lambda usage: rules.check(usage, household_months, now),
    )


def usage(platform: Platform, user_id: str) -> Usage:
    now = platform.clock.now()
    return simulation_runs(platform).usage(user_id, day_start(now), now - STALE_AFTER)


def day_start(now: datetime) -> datetime:
    """Midnight UTC that began the day of `now`."""
    return datetime.combine(now.astimezone(UTC).date(), time(0), tzinfo=UTC)


def seconds_to_midnight(now: datetime) -> int:
    return max(1, math.ceil((day_start(now) + timedelta(days=1) - now).total_seconds()))
