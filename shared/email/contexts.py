"""The typed context of each email type: what a caller must supply to render it.
Recipient, links and sender are added by the send step; these models hold only the
type's own data. Every model forbids unknown fields, so a typo is a 400, not a blank."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

_LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}


def _safe_link(value: str) -> str:
    """Links in mail are https (plain http only to this machine): autoescape stops markup
    injection, but not a `javascript:` or `data:` href."""
    parts = urlsplit(value)
    if parts.scheme == "https" and parts.netloc:
        return value
    if parts.scheme == "http" and (parts.hostname or "") in _LOCAL_HOSTS:
        return value
    raise ValueError("must be an https:// URL")


Link = Annotated[str, Field(max_length=2000), AfterValidator(_safe_link)]
Text = Annotated[str, Field(min_length=1, max_length=500)]
LongText = Annotated[str, Field(min_length=1, max_length=5000)]


class Context(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class WelcomeContext(Context):
    """Onboarding from hello@: the welcome itself, the day-one tips, the activation nudge."""

    stage: Literal["welcome", "tips", "activation", "verify"] = "welcome"
    # the signed link that verifies the address (the welcome and a resent link)
    verify_url: Link | None = None


class PasswordResetContext(Context):
    reset_url: Link
    expires_at: datetime


class SecurityAlertContext(Context):
    event: Text = Field(description="What happened, e.g. 'New sign-in to your account'")
    occurred_at: datetime
    ip_address: str | None = Field(default=None, max_length=64)
    user_agent: str | None = Field(default=None, max_length=300)
    details: LongText | None = None
    action_url: Link | None = None


class SystemNotificationContext(Context):
    title: Text
    message: LongText
    action_url: Link | None = None
    action_label: str | None = Field(default=None, max_length=60)


class AgentScore(Context):
    name: Text
    score: float
    rank: int | None = Field(default=None, ge=1)
    rank_change: int = 0
    reward_aia: float = 0.0


class ReportContext(Context):
    """reports@: the weekly agent performance report, or a finished venture analysis."""

    kind: Literal["agent_performance", "venture_analysis"] = "agent_performance"
    title: Text
    period: str | None = Field(default=None, max_length=60)
    summary: LongText | None = None
    agents: list[AgentScore] = Field(default_factory=list, max_length=100)
    total_reward_aia: float | None = None
    report_url: Link | None = None
    chart_url: Link | None = None


class Figure(Context):
    label: Text
    value: str = Field(min_length=1, max_length=60)
    change: str | None = Field(default=None, max_length=60)
    direction: Literal["up", "down", "flat"] | None = None


class EconomicUpdateContext(Context):
    period: str = Field(min_length=1, max_length=60)
    headline: Text | None = None
    figures: list[Figure] = Field(default_factory=list, max_length=30)
    highlights: list[Text] = Field(default_factory=list, max_length=10)
    report_url: Link | None = None


class ImpactLine(Context):
    """One measure of a proposal's impact preview: the mean difference the change makes
    at `impact_years`, changed minus unchanged, and its range over the seeds."""

    title: Text
    unit: Text
    mean: float
    low: float
    high: float


class GovernanceContext(Context):
    stage: Literal["opened", "reminder", "result", "impact"]
    proposal_id: str = Field(min_length=1, max_length=200)
    title: Text
    summary: LongText | None = None
    proposal_url: Link | None = None
    voting_opens_at: datetime | None = None
    voting_ends_at: datetime | None = None
    outcome: (
        Literal["succeeded", "defeated", "canceled", "expired", "queued", "executed"] | None
    ) = None
    votes_for: float | None = None
    votes_against: float | None = None
    votes_abstain: float | None = None
    quorum_reached: bool | None = None
    outcome_reason: Text | None = None  # why it passed or failed, with the numbers
    # the "impact" stage: the preview's ten-year differences, over this many seeds
    impact_years: int | None = Field(default=None, ge=1, le=100)
    impact_seeds: int | None = Field(default=None, ge=0, le=100)
    impact: list[ImpactLine] = Field(default_factory=list, max_length=20)


class SystemAlertContext(Context):
    severity: Literal["info", "warning", "critical"]
    title: Text
    description: LongText
    started_at: datetime
    service: str | None = Field(default=None, max_length=100)
    runbook_url: Link | None = None
    dashboard_url: Link | None = None
