"""Usage statistics of venture reports, per UTC day: completed and failed counts and
the time from request to completion (the completion rate the operators watch)."""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel, Field

from shared.events.handling import HandlerContext
from shared.ports.documents import DocumentStore
from shared.venture.events import VentureReportCompleted
from shared.venture.report import USAGE


def record_report_completion(ctx: HandlerContext[VentureReportCompleted]) -> None:
    """Count a completed report on its completion day (once: `consume` applies a
    delivery exactly once, in the same transaction as this write)."""
    data = ctx.data
    completed = datetime.fromisoformat(data.completed_at)
    seconds = (completed - datetime.fromisoformat(data.requested_at)).total_seconds()
    day = completed.date().isoformat()
    usage = ctx.tx.get(USAGE, day) or {"day": day, "completed": 0, "failed": 0, "seconds": 0.0}
    ctx.tx.set(
        USAGE,
        day,
        {
            **usage,
            "completed": usage["completed"] + 1,
            "seconds": usage["seconds"] + max(seconds, 0),
        },
    )


class UsageDay(BaseModel):
    day: str = Field(description="The UTC day (YYYY-MM-DD)")
    completed: int = Field(description="Reports completed that day")
    failed: int = Field(description="Reports that failed that day")
    seconds: float = Field(
        description="Seconds from request to completion, summed over the completed reports"
    )


class VentureUsage(BaseModel):
    days: list[UsageDay] = Field(description="One row per day, oldest first, today last")
    completed: int = Field(description="Reports completed in the period")
    failed: int = Field(description="Reports failed in the period")
    completion_rate: float | None = Field(
        description="completed / (completed + failed), 0 to 1, 4 decimals; null when none "
        "ended in the period"
    )
    mean_seconds_to_complete: float | None = Field(
        description="Mean seconds from request to completion; null when none completed"
    )


def usage_summary(store: DocumentStore, today: datetime, days: int) -> VentureUsage:
    rows = []
    for offset in range(days - 1, -1, -1):
        day = (today - timedelta(days=offset)).date().isoformat()
        usage = store.get(USAGE, day) or {"day": day, "completed": 0, "failed": 0, "seconds": 0.0}
        rows.append(UsageDay.model_validate(usage))
    completed = sum(r.completed for r in rows)
    failed = sum(r.failed for r in rows)
    seconds = sum(r.seconds for r in rows)
    return VentureUsage(
        days=rows,
        completed=completed,
        failed=failed,
        completion_rate=round(completed / (completed + failed), 4) if completed + failed else None,
        mean_seconds_to_complete=round(seconds / completed, 3) if completed else None,
    )
