"""What the agents feature works with, assembled by the composition root
(`shared/bootstrap/agents.py`): its document store, clock and workflow runner, and its
rules from settings. The edges (jobs, routes, the report step) pass these on to the
domain functions. Paying rewards also needs the treasury and the account directory:
the pay job takes those from the root itself, so the functions that never pay never
build the ledger (they have no SQL connection)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from shared.agents.performance_score import Scoring
from shared.agents.report import ReportLinks
from shared.agents.reward_split import RewardRules
from shared.agents.rewards import reward_rules
from shared.ports.clock import Clock
from shared.ports.documents import DocumentStore
from shared.ports.workflows import WorkflowRunner


@dataclass(frozen=True)
class Agents:
    documents: DocumentStore
    clock: Clock
    workflows: WorkflowRunner
    scoring: Scoring
    max_per_owner: int  # agents one owner may register
    report_links: ReportLinks
    reward_pools: Mapping[str, str]  # decimal amounts by token name
    reward_owner_cap_bps: int
    reward_max_return_bps: int

    def reward_rules(self) -> RewardRules:
        # parsed when a day is paid, so a bad pool setting fails the pay job only
        return reward_rules(
            self.reward_pools, self.reward_owner_cap_bps, self.reward_max_return_bps
        )
