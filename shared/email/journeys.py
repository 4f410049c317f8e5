"""The journey starter: turns platform events into journey executions (Cloud Workflows,
through the WorkflowRunner port) or, for a single email with no wait, into one send task
on the transactional queue.

Each plan is idempotent: a workflow execution id and a task name are derived from the
event's subject (the user, the proposal, the month), so a redelivered event, or two
events about the same thing, start one journey.

The rules are keyed by event type, with prefix rules for families, and read event data
as plain JSON, so an event defined by another feature is mapped here before its model
exists; a function per topic subscribes the starter (users, economy-reports,
venture-reports, governance, impact-previews)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import AliasChoices, BaseModel, ConfigDict, Field

from shared.email.feature import EmailFeature
from shared.email.sending import SendRequest, enqueue
from shared.email.types import EmailType
from shared.events.handling import HandlerContext

log = logging.getLogger("aia.email")

ONBOARDING = "onboarding-journey"
GOVERNANCE = "governance-journey"
ECONOMIC_REPORT = "economic-report"
REMINDER_BEFORE_CLOSE = timedelta(days=1)


@dataclass(frozen=True)
class EventFacts:
    type: str
    id: str
    time: datetime
    data: Mapping[str, Any]
    app_url: str = "https://app.013a.tech"  # where links in the email point


@dataclass(frozen=True)
class StartWorkflow:
    workflow: str
    execution_id: str
    argument: dict[str, Any]


@dataclass(frozen=True)
class SendNow:
    request: SendRequest


Plan = StartWorkflow | SendNow
Rule = Callable[[EventFacts], Plan | None]


def onboarding(facts: EventFacts) -> Plan:
    data = facts.data
    journey = f"onboarding-{data['user_id']}"
    return StartWorkflow(
        ONBOARDING,
        journey,
        {
            "journey_id": journey,
            "user_id": data["user_id"],
            "email": data["email"],
            "name": data["name"],
            # any use of the platform after registering counts, the first hour included:
            # a user who ran simulations the same day must not hear "have not used it"
            "active_after": facts.time.astimezone(UTC).isoformat(),
            # accounts of the first release registered without a link: the page asks
            # for a new one
            "verify_url": data.get("verify_url") or f"{facts.app_url.rstrip('/')}/verify-email",
        },
    )


def verification_link(facts: EventFacts) -> Plan:
    data = facts.data
    return SendNow(
        SendRequest(
            type=EmailType.WELCOME,
            journey=f"verify-email-{facts.id}",
            step="verify",
            to=data["email"],
            name=data["name"],
            user_id=data["user_id"],
            context={"stage": "verify", "verify_url": data["verify_url"]},
        )
    )


def password_reset(facts: EventFacts) -> Plan:
    data = facts.data
    return SendNow(
        SendRequest(
            type=EmailType.PASSWORD_RESET,
            journey=f"password-reset-{facts.id}",
            step="link",
            to=data["email"],
            name=data["name"],
            user_id=data["user_id"],
            context={"reset_url": data["reset_url"], "expires_at": data["expires_at"]},
        )
    )


def economic_report(facts: EventFacts) -> Plan:
    data = facts.data
    month = data.get("period") or _previous_month(facts.time)
    shown = datetime.strptime(month + "-01", "%Y-%m-%d").strftime("%B %Y")
    context = {
        "period": shown,
        "headline": data.get("headline"),
        "figures": data.get("figures") or [],
        "highlights": data.get("highlights") or [],
        "report_url": data.get("report_url"),
    }
    journey = f"economic-report-{month}"
    return StartWorkflow(
        ECONOMIC_REPORT,
        journey,
        {"journey_id": journey, "context": {k: v for k, v in context.items() if v is not None}},
    )


class _Proposal(BaseModel):
    """What the governance journey needs, read leniently from whichever field names the
    governance events use."""

    model_config = ConfigDict(extra="ignore")

    proposal_id: str = Field(validation_alias=AliasChoices("proposal_id", "id"))
    title: str = Field(validation_alias=AliasChoices("title", "name"))
    summary: str | None = Field(
        default=None, validation_alias=AliasChoices("summary", "description")
    )
    proposal_url: str | None = Field(
        default=None, validation_alias=AliasChoices("url", "proposal_url")
    )
    voting_opens_at: datetime | None = Field(
        default=None, validation_alias=AliasChoices("snapshot_at", "voting_opens_at")
    )
    voting_ends_at: datetime | None = Field(
        default=None,
        validation_alias=AliasChoices("voting_ends_at", "vote_end", "voting_end", "closes_at"),
    )
    votes_for: float | None = Field(
        default=None, validation_alias=AliasChoices("votes_for", "for_votes")
    )
    votes_against: float | None = Field(
        default=None, validation_alias=AliasChoices("votes_against", "against_votes")
    )
    votes_abstain: float | None = Field(
        default=None, validation_alias=AliasChoices("votes_abstain", "abstain_votes")
    )
    quorum_reached: bool | None = None
    outcome_reason: str | None = Field(default=None, max_length=500)


# the "new proposal" mail. `created` is published for every proposal, in the transaction
# that stores it; `voting_started` only when the scheduled check sees voting open, which
# a short vote (or a late check) slips past. Both start the same execution: one mail.
_OPENED = {"created", "voting_started"}
# the vote is over; queued/executed/expired follow a result, and the journey's own
# reminder replaces `voting_ends_soon`
_DECIDED = {"succeeded", "defeated", "canceled"}


def governance(facts: EventFacts) -> Plan | None:
    change = facts.type.rsplit(".", 1)[-1]
    if change not in _OPENED | _DECIDED:
        return None
    proposal = _Proposal.model_validate(dict(facts.data))
    context = proposal.model_dump(mode="json", exclude_none=True)
    context.setdefault(
        "proposal_url",
        f"{facts.app_url.rstrip('/')}/governance/proposals/{proposal.proposal_id}",
    )
    if change in _OPENED:
        stage = "opened"
        until_close = (proposal.voting_ends_at - facts.time) if proposal.voting_ends_at else None
        reminder = (until_close - REMINDER_BEFORE_CLOSE) if until_close else None
        reminder_in = (
            int(reminder.total_seconds()) if reminder and reminder.total_seconds() > 0 else 0
        )
    else:
        stage, reminder_in = "result", 0
        context["outcome"] = change
    journey = f"governance-{proposal.proposal_id}-{stage}"
    return StartWorkflow(
        GOVERNANCE,
        journey,
        {
            "journey_id": journey,
            "stage": stage,
            "reminder_in_seconds": reminder_in,
            # no reminder once the vote is decided (the result journey has started)
            "result_execution": f"governance-{proposal.proposal_id}-result",
            "context": context,
        },
    )


def impact_preview(facts: EventFacts) -> Plan | None:
    """The follow-up to the new-proposal mail: what the model expects the proposal to
    do, to the same audience (governance subscribers), once per proposal."""
    data = facts.data
    proposal_id = str(data.get("proposal_id") or "")
    if not proposal_id:
        return None
    journey = f"governance-{proposal_id}-impact"
    context: dict[str, Any] = {
        "stage": "impact",
        "proposal_id": proposal_id,
        "title": str(data.get("title") or f"Proposal {proposal_id}")[:200],
        "proposal_url": f"{facts.app_url.rstrip('/')}/governance/proposals/{proposal_id}",
        "impact_years": data.get("years") or 10,
        "impact_seeds": data.get("seeds") or 0,
        "impact": list(data.get("headlines") or [])[:20],
    }
    return StartWorkflow(
        GOVERNANCE,
        journey,
        {
            "journey_id": journey,
            "stage": "impact",
            "reminder_in_seconds": 0,
            "result_execution": f"governance-{proposal_id}-result",
            "context": context,
        },
    )


def venture_report(facts: EventFacts) -> Plan | None:
    data = facts.data
    user_id = data.get("owner_id") or data.get("user_id")
    report_id = data.get("report_id")
    if not user_id or not report_id:
        return None
    summary = str(data.get("summary") or "")
    if "tam_usd" in data and "cost_usd" in data:
        summary += (
            f"\n\nMarket (TAM) ${float(data['tam_usd']):,.0f}, obtainable (SOM) "
            f"${float(data.get('som_usd', 0)):,.0f}; MVP effort "
            f"{float(data.get('effort_person_months', 0)):,.1f} person-months, cost "
            f"${float(data['cost_usd']):,.0f}."
        )
    context: dict[str, Any] = {
        "kind": "venture_analysis",
        "title": str(data.get("title") or "Venture analysis")[:500],
        "report_url": f"{facts.app_url.rstrip('/')}/venture/reports/{report_id}",
    }
    if summary.strip():
        context["summary"] = summary.strip()[:5000]
    return SendNow(
        SendRequest(
            type=EmailType.REPORT,
            journey=f"venture-report-{report_id}",
            step="completed",
            user_id=str(user_id),
            context=context,
        )
    )


RULES: dict[str, Rule] = {
    "tech.013a.user.registered": onboarding,
    "tech.013a.user.password_reset_requested": password_reset,
    "tech.013a.user.verification_requested": verification_link,
    "tech.013a.economy.report.ready": economic_report,
    "tech.013a.venture.report.completed": venture_report,
    "tech.013a.simulation.impact_preview.ready": impact_preview,
}
PREFIX_RULES: list[tuple[str, Rule]] = [("tech.013a.governance.proposal.", governance)]


def plan_for(facts: EventFacts) -> Plan | None:
    rule = RULES.get(facts.type) or next(
        (r for prefix, r in PREFIX_RULES if facts.type.startswith(prefix)), None
    )
    return rule(facts) if rule else None


def carry_out(feature: EmailFeature, plan: Plan) -> str:
    """Start the workflow or queue the send; returns the execution id or task name."""
    if isinstance(plan, StartWorkflow):
        return feature.workflows.start(
            plan.workflow, _without_nulls(plan.argument), execution_id=plan.execution_id
        )
    return enqueue(feature, plan.request)


def start_journeys(ctx: HandlerContext[Any]) -> None:
    feature = ctx.features.email
    facts = EventFacts(
        ctx.event.type,
        ctx.event.id,
        ctx.event.time,
        ctx.data.model_dump(mode="json"),
        app_url=feature.settings.app_base_url,
    )
    plan = plan_for(facts)
    if plan is None:
        log.info("no email journey for this event", extra={"event_type": facts.type})
        return
    started = carry_out(feature, plan)
    log.info("email journey started", extra={"event_type": facts.type, "started": started})


def _previous_month(moment: datetime) -> str:
    first = moment.astimezone(UTC).replace(day=1)
    return (first - timedelta(days=1)).strftime("%Y-%m")


def _without_nulls(value: Any) -> Any:
    """Absent rather than null: workflows-emulator turns a JSON null in an argument into
    a value our typed contexts refuse; an absent optional field means the same."""
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value
