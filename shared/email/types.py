"""The eight email types: who sends each (a role mailbox on PRIMARY_DOMAIN, never a
noreply), its preference category, whether it is transactional security mail (no
List-Unsubscribe, cannot be turned off), which rate-limited queue carries it, its typed
context, and sample data for previews."""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from shared.email.contexts import (
    AgentScore,
    Context,
    EconomicUpdateContext,
    Figure,
    GovernanceContext,
    PasswordResetContext,
    ReportContext,
    SecurityAlertContext,
    SystemAlertContext,
    SystemNotificationContext,
    WelcomeContext,
)

# where links in the sample contexts point; previews move them to the configured app
SAMPLE_APP_URL = "https://app.013a.tech"


class EmailType(StrEnum):
    WELCOME = "welcome"
    PASSWORD_RESET = "password_reset"  # noqa: S105 - a type name, not a secret
    SECURITY_ALERT = "security_alert"
    SYSTEM_NOTIFICATION = "system_notification"
    REPORT = "report"
    ECONOMIC_UPDATE = "economic_update"
    GOVERNANCE = "governance"
    SYSTEM_ALERT = "system_alert"


class Category(StrEnum):
    """What a recipient can turn off (all but `security`)."""

    ONBOARDING = "onboarding"
    SECURITY = "security"
    NOTIFICATIONS = "notifications"
    REPORTS = "reports"
    ECONOMICS = "economics"
    GOVERNANCE = "governance"
    ALERTS = "alerts"


LOCKED_CATEGORIES = frozenset({Category.SECURITY})


class Stream(StrEnum):
    """The Cloud Tasks queue in front of the send function: one-to-one mail never waits
    behind a bulk fan-out."""

    TRANSACTIONAL = "email-transactional"
    BULK = "email-bulk"


@dataclass(frozen=True)
class EmailSpec:
    type: EmailType
    role: str  # the local part of the sender: hello, security, ...
    display_name: str
    category: Category
    transactional: bool  # security mail: no List-Unsubscribe, never suppressed by preference
    stream: Stream
    context: builtins.type[Context]  # `type` is the field above
    description: str
    sample: Context

    def sender(self, domain: str) -> str:
        return f"{self.role}@{domain}"


_T0 = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)

SPECS: dict[EmailType, EmailSpec] = {
    spec.type: spec
    for spec in (
        EmailSpec(
            EmailType.WELCOME,
            "hello",
            "AIA",
            Category.ONBOARDING,
            False,
            Stream.TRANSACTIONAL,
            WelcomeContext,
            "Onboarding: welcome, day-one tips, activation nudge (stage).",
            WelcomeContext(stage="welcome"),
        ),
        EmailSpec(
            EmailType.PASSWORD_RESET,
            "security",
            "AIA Security",
            Category.SECURITY,
            True,
            Stream.TRANSACTIONAL,
            PasswordResetContext,
            "A single-use password reset link.",
            PasswordResetContext(
                reset_url=SAMPLE_APP_URL + "/reset-password?token=sample-token",
                expires_at=_T0,
            ),
        ),
        EmailSpec(
            EmailType.SECURITY_ALERT,
            "security",
            "AIA Security",
            Category.SECURITY,
            True,
            Stream.TRANSACTIONAL,
            SecurityAlertContext,
            "Something changed on the account (sign-in, key created, password changed).",
            SecurityAlertContext(
                event="New API key created",
                occurred_at=_T0,
                ip_address="203.0.113.7",
                details="A key named 'ci' with the write scope was created.",
                action_url=SAMPLE_APP_URL + "/settings/api-keys",
            ),
        ),
        EmailSpec(
            EmailType.SYSTEM_NOTIFICATION,
            "notifications",
            "AIA Notifications",
            Category.NOTIFICATIONS,
            False,
            Stream.TRANSACTIONAL,
            SystemNotificationContext,
            "Something the user asked for finished or needs attention.",
            SystemNotificationContext(
                title="Your simulation finished",
                message="Simulation 'baseline' ran 120 ticks. Its metrics and charts are ready.",
                action_url=SAMPLE_APP_URL + "/simulations/baseline",
                action_label="Open the results",
            ),
        ),
        EmailSpec(
            EmailType.REPORT,
            "reports",
            "AIA Reports",
            Category.REPORTS,
            False,
            Stream.BULK,
            ReportContext,
            "Agent performance report (weekly) or a finished venture analysis.",
            ReportContext(
                kind="agent_performance",
                title="Your agents this week",
                period="2026-W44",
                agents=[
                    AgentScore(
                        name="market-analyst", score=0.91, rank=3, rank_change=2, reward_aia=120.5
                    ),
                    AgentScore(
                        name="cost-estimator", score=0.78, rank=11, rank_change=-1, reward_aia=40.0
                    ),
                ],
                total_reward_aia=160.5,
                report_url=SAMPLE_APP_URL + "/agents?week=2026-W44",
            ),
        ),
        EmailSpec(
            EmailType.ECONOMIC_UPDATE,
            "economics",
            "AIA Economics",
            Category.ECONOMICS,
            False,
            Stream.BULK,
            EconomicUpdateContext,
            "The monthly economic report of the flagship economy.",
            EconomicUpdateContext(
                period="October 2026",
                headline="Growth steady, inflation back near target",
                figures=[
                    Figure(
                        label="Real GDP growth", value="2.1 %", change="+0.3 pt", direction="up"
                    ),
                    Figure(label="Unemployment", value="5.4 %", change="-0.2 pt", direction="down"),
                    Figure(label="Inflation", value="2.2 %", change="-0.4 pt", direction="down"),
                ],
                highlights=["The policy rate held at 4.25 %."],
                report_url=SAMPLE_APP_URL + "/economy",
            ),
        ),
        EmailSpec(
            EmailType.GOVERNANCE,
            "governance",
            "AIA Governance",
            Category.GOVERNANCE,
            False,
            Stream.BULK,
            GovernanceContext,
            "A proposal opened for votes, a reminder before it closes, or its result.",
            GovernanceContext(
                stage="opened",
                proposal_id="prop-42",
                title="Lower the top income tax bracket to 42 %",
                summary="Changes the flagship economy's top marginal rate from 45 % to 42 %.",
                proposal_url=SAMPLE_APP_URL + "/governance/proposals/42",
                voting_ends_at=_T0,
            ),
        ),
        EmailSpec(
            EmailType.SYSTEM_ALERT,
            "alerts",
            "AIA Alerts",
            Category.ALERTS,
            False,
            Stream.TRANSACTIONAL,
            SystemAlertContext,
            "An operational alert for operators.",
            SystemAlertContext(
                severity="critical",
                title="Failed email deliveries above 2 %",
                description="aia_emails_failed_total grew faster than 2 % of sends for 10 min.",
                started_at=_T0,
                service="email-send",
                runbook_url=SAMPLE_APP_URL + "/runbooks/email",
            ),
        ),
    )
}


def spec_for(email_type: EmailType | str) -> EmailSpec:
    return SPECS[EmailType(email_type)]


def validate_context(email_type: EmailType, data: dict[str, Any]) -> Context:
    """The caller's context as the type's model (pydantic ValidationError if invalid)."""
    return SPECS[email_type].context.model_validate(data)
