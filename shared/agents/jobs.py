"""Event handlers of the agents feature: record a finished task, pay a day's rewards,
start the weekly report journey. Each is safe to run again for the same event."""

from __future__ import annotations

import logging
from datetime import timedelta

from shared.agents.events import AgentReportDue, AgentRewardsDue, AgentTaskCompleted
from shared.agents.performance_score import TaskMeasures
from shared.agents.records import TaskConflict, apply_task, count_recorded
from shared.agents.rewards import DayNotOver, pay_day, payable_owner
from shared.agents.weeks import week_of
from shared.errors import NotFound
from shared.events.handling import HandlerContext

log = logging.getLogger("aia.agents")
REPORT_WORKFLOW = "agent-performance-report"


def record_completed_task(ctx: HandlerContext[AgentTaskCompleted]) -> None:
    """Written in the delivery's own transaction, with the processed-event marker."""
    data = ctx.data
    try:
        recorded = apply_task(
            ctx.tx,
            agent_id=data.agent_id,
            owner_id=data.owner_id,
            task_id=data.task_id,
            task_type=data.task_type,
            measures=TaskMeasures(
                data.accuracy, data.completeness, data.timeliness, data.quality, data.cost
            ),
            now=ctx.features.agents.clock.now(),
            source="event",
            paid_minor=data.paid_minor,
        )
    except (NotFound, TaskConflict) as exc:
        # no retry can fix these: keep a trace and acknowledge
        log.warning("agent task not recorded: %s", exc.detail, extra={"agent_id": data.agent_id})
        return
    count_recorded(recorded)


def pay_agent_rewards(ctx: HandlerContext[AgentRewardsDue]) -> None:
    # The day comes from the firing time (the day before it) unless named: a redelivery
    # or a second firing pays the same day, and the ledger keys make each payout once.
    day = ctx.data.day or (ctx.event.time.date() - timedelta(days=1))
    agents = ctx.features.agents
    try:
        outcome = pay_day(
            agents.documents,
            ctx.features.treasury,
            day,
            today=agents.clock.now().date(),
            rules=agents.reward_rules(),
            scoring=agents.scoring,
            verified=payable_owner(ctx.features.directory),
        )
    except DayNotOver as exc:
        log.error("agent rewards not paid: %s", exc)
        return
    log.info(
        "agent reward day settled",
        extra={"day": day.isoformat(), "rewarded": outcome.rewarded, "paid": outcome.paid},
    )


def start_agent_report(ctx: HandlerContext[AgentReportDue]) -> None:
    """Start the report journey for the week; one execution per week, however often
    this runs (the execution id is the week)."""
    week = ctx.data.week or week_of(ctx.event.time.date() - timedelta(days=7))
    execution = ctx.features.agents.workflows.start(
        REPORT_WORKFLOW, {"week": week}, execution_id=f"{REPORT_WORKFLOW}-{week}"
    )
    log.info("agent report journey started", extra={"week": week, "execution": execution})
