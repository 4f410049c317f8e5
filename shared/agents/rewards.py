"""The daily agent rewards: the day's pools (`AIA_AGENT_REWARD_POOLS`, 100,000 AIA and
1,000 AIA_GOV) split by score among the agents ranked in the weekly standing at the
day's close, paid from the treasury to each agent's owner through the ledger.

Exactly once per day: every payout is a ledger posting keyed
`agent-reward:<day>:<agent id>:<token>`, and the amounts come from the stored standing of
a finished day, so a second run asks for the same postings and the ledger replays them.
Each payout is a journal entry of kind `agent_reward` whose memo names the agent (the
owner's wallet history), and a first payout is also written to the ledger's audit trail."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta

from shared.agents import metrics
from shared.agents.rankings import DayStanding, closed_day_standing
from shared.agents.registry import agent_names
from shared.agents.scoring import Standing, split_pool
from shared.ledger.compose import ledger
from shared.ledger.money import UNIT, Token, to_decimal, to_minor
from shared.ledger.postings import TREASURY, LedgerRejected, user_owner
from shared.platform import Platform
from shared.ports.documents import Document, DocumentStore

log = logging.getLogger("aia.agents")

REWARDS = "agent_rewards"
KIND = "agent_reward"
ACTOR = "system:agent-rewards"


class DayNotOver(ValueError):
    """Rewards are paid for finished days only (their standing can no longer change)."""


@dataclass
class RewardDay:
    day: date
    ranked: int = 0
    paid: int = 0  # postings applied by this run
    replayed: int = 0  # postings an earlier run had applied
    withheld: list[str] = field(default_factory=list)  # agents whose owner could not be paid
    totals: dict[str, int] = field(default_factory=dict)  # minor units by token


def reward_key(day: date, agent_id: str, token: Token) -> str:
    return f"agent-reward:{day.isoformat()}:{agent_id}:{token.value}"


def reward_doc_id(day: date, agent_id: str) -> str:
    return f"{day.isoformat()}:{agent_id}"


def pools(platform: Platform) -> dict[Token, int]:
    return {
        Token(token): to_minor(amount)
        for token, amount in platform.settings.agent_reward_pools.items()
        if to_minor(amount) > 0
    }


def shares(platform: Platform, standing: DayStanding) -> dict[Token, dict[str, int]]:
    """Each ranked agent's part of each pool, in minor units."""
    weights = {s.agent_id: s.score_units for s in standing.ranked}
    return {token: split_pool(pool, weights) for token, pool in pools(platform).items()}


def pay_day(platform: Platform, day: date) -> RewardDay:
    """Pay `day`'s rewards; safe to run again (and after a partial run)."""
    if day >= platform.clock.now().date():
        raise DayNotOver(f"{day} has not ended yet")
    book = ledger(platform)
    standing = closed_day_standing(platform, day)
    agents = agent_names(platform.documents, [s.agent_id for s in standing.ranked])
    parts = shares(platform, standing)
    outcome = RewardDay(day, ranked=len(standing.ranked))
    for s in standing.ranked:
        agent = agents.get(s.agent_id)
        if agent is None:
            continue
        owner = agent["owner_id"]
        memo = (
            f"agent reward {day.isoformat()}: {agent['name']} ({s.agent_id}), "
            f"rank {s.rank}, score {s.score:.4f}"
        )
        amounts: dict[str, int] = {}
        entries: dict[str, str] = {}
        for token, by_agent in parts.items():
            amount = by_agent.get(s.agent_id, 0)
            if amount <= 0:
                continue
            try:
                receipt = book.move(
                    KIND,
                    TREASURY,
                    user_owner(owner),
                    token,
                    amount,
                    reward_key(day, s.agent_id, token),
                    ACTOR,
                    memo,
                )
            except LedgerRejected as exc:
                # a frozen owner (or an empty treasury) withholds this payout only; a
                # later run of the same day pays it if the rule no longer applies
                log.warning(
                    "agent reward withheld",
                    extra={"agent_id": s.agent_id, "token": token.value, "reason": exc.reason},
                )
                outcome.withheld.append(s.agent_id)
                continue
            amounts[token.value] = amount
            entries[token.value] = receipt.entry_id
            outcome.totals[token.value] = outcome.totals.get(token.value, 0) + amount
            if receipt.replayed:
                outcome.replayed += 1
                continue
            outcome.paid += 1
            metrics.count_reward(token.value, amount / UNIT)
            book.store.audit(
                book.clock.now(),
                ACTOR,
                KIND,
                user_owner(owner),
                {
                    "agent_id": s.agent_id,
                    "agent": agent["name"],
                    "day": day.isoformat(),
                    "token": token.value,
                    "amount": to_decimal(amount),
                    "entry_id": receipt.entry_id,
                },
            )
        if amounts:
            _remember(
                platform.documents, day, s.agent_id, owner, agent["name"], s, amounts, entries
            )
    log.info(
        "agent rewards paid",
        extra={"day": day.isoformat(), "paid": outcome.paid, "replayed": outcome.replayed},
    )
    return outcome


def _remember(
    store: DocumentStore,
    day: date,
    agent_id: str,
    owner_id: str,
    name: str,
    standing: Standing,
    amounts: dict[str, int],
    entries: dict[str, str],
) -> None:
    """What the agent earned that day, for the owner's views and the weekly report.
    Written after the postings: a crash in between is mended by the next run."""
    doc_id = reward_doc_id(day, agent_id)
    current = store.get(REWARDS, doc_id)
    merged: Document = {
        "day": day.isoformat(),
        "agent_id": agent_id,
        "owner_id": owner_id,
        "name": name,
        "rank": standing.rank,
        "score": standing.score,
        "tasks": standing.tasks,
        "amounts": {**(current or {}).get("amounts", {}), **amounts},
        "entries": {**(current or {}).get("entries", {}), **entries},
    }
    if current != merged:
        store.set(REWARDS, doc_id, merged)


def earned(store: DocumentStore, agent_id: str, first: date, last: date) -> list[Document]:
    """The agent's reward documents from `first` to `last`, oldest first (read by id)."""
    found = []
    day = first
    while day <= last:
        doc = store.get(REWARDS, reward_doc_id(day, agent_id))
        if doc is not None:
            found.append(doc)
        day += timedelta(days=1)
    return found
