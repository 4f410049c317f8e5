"""Assembles the agents feature: the platform's documents, clock and workflows, and the
scoring, reward and report settings as values."""

from __future__ import annotations

from typing import TYPE_CHECKING

from shared.agents.feature import Agents
from shared.agents.performance_score import Scoring
from shared.agents.report import ReportLinks

if TYPE_CHECKING:
    from shared.bootstrap.features import Features


def build_agents(features: Features) -> Agents:
    platform = features.platform
    settings = platform.settings
    return Agents(
        documents=platform.documents,
        clock=platform.clock,
        workflows=platform.workflows,
        scoring=Scoring(settings.agent_score_half_life_days, settings.agent_min_tasks),
        max_per_owner=settings.agent_max_per_owner,
        report_links=ReportLinks(
            app_base_url=settings.app_base_url,
            api_base_url=settings.public_base_url or f"https://api.{settings.primary_domain}",
        ),
        reward_pools=dict(settings.agent_reward_pools),
        reward_owner_cap_bps=settings.agent_reward_owner_cap_bps,
        reward_max_return_bps=settings.agent_reward_max_return_bps,
    )
