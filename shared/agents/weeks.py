"""ISO weeks (`2026-W10`), the period of the weekly agent report."""

from __future__ import annotations

import re
from datetime import date, timedelta

WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


def week_of(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_days(week: str) -> tuple[date, date]:
    """Monday and Sunday of an ISO week; ValueError for anything else (2026-W54 too)."""
    match = WEEK.match(week)
    if match is None:
        raise ValueError(f"not an ISO week such as 2026-W02: {week!r}")
    monday = date.fromisocalendar(int(match[1]), int(match[2]), 1)
    return monday, monday + timedelta(days=6)


def checked_week(week: str) -> str:
    """A pydantic validator: `week` if it names a real ISO week."""
    week_days(week)
    return week
