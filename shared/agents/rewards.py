"""The daily agent rewards: the day's pools (`AIA_AGENT_REWARD_POOLS`, 100,000 AIA and
1,000 AIA_GOV) split among the agents whose observed work their owners paid for that
day (reward_split.py: weight = AIA paid x score, an owner cap, a cap on the return),
paid from the treasury to each verified owner (the treasury port, answered by the
ledger). Self reports weigh nothing; what is not paid stays in the treasury.

Exactly once per day: the day's plan (who gets what) is computed once, when the day is
first paid, and stored (`agent_reward_plans/<day>`), so later runs pay the same amounts
whatever changed since (settings, an owner's verification). Every payout is a ledger
posting keyed `agent-reward:<day>:<agent id>:<token>`, so a second run asks for the same
postings and the ledger replays them. Each payout is a journal entry of kind
`agent_reward` whose memo names the agent (the owner's wallet history), and a first
payout is also written to the ledger's audit trail."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from shared.agents import counters
from shared.agents.performance_score import Scoring, Standing
from shared.agents.rankings import closed_day_standing
from shared.agents.records import observed_work
from shared.agents.registry import agent_names
from shared.agents.reward_split import RewardRules, Work, reward_shares
from shared.money import UNIT, Token, to_decimal, to_minor
from shared.ports.directory import AccountDirectory
from shared.ports.documents import Document, DocumentStore
from shared.ports.treasury import PayoutRefused, Treasury

log = logging.getLogger("aia.agents")

REWARDS = "agent_rewards"
PLANS = "agent_reward_plans"
KIND = "agent_reward"
ACTOR = "system:agent-rewards"

# Asked once per owner with observed work, when a day's plan is made: may they be paid?
OwnerCheck = Callable[[str], bool]


class DayNotOver(ValueError):
    """Rewards are paid for finished days only (their work can no longer change)."""


@dataclass
class RewardDay:
    day: date
    rewarded: int = 0  # agents with a share in the day's plan
    paid: int = 0  # postings applied by this run
    replayed: int = 0  # postings an earlier run had applied
    withheld: list[str] = field(default_factory=list)  # agents whose owner could not be paid
    totals: dict[str, int] = field(default_factory=dict)  # minor units by token


def reward_key(day: date, agent_id: str, token: Token) -> str:
    return f"agent-reward:{day.isoformat()}:{agent_id}:{token.value}"


def reward_doc_id(day: date, agent_id: str) -> str:
    return f"{day.isoformat()}:{agent_id}"


def reward_rules(pools: Mapping[str, str], owner_cap_bps: int, max_return_bps: int) -> RewardRules:
    """The rules from settings (`agent_reward_pools`: decimal amounts by token name, and
    the two caps); an empty pool is left out."""
    return RewardRules(
        pools={
            Token(token).value: to_minor(amount)
            for token, amount in pools.items()
            if to_minor(amount) > 0
        },
        yardstick=Token.AIA.value,
        owner_cap_bps=owner_cap_bps,
        max_return_bps=max_return_bps,
    )


def payable_owner(directory: AccountDirectory) -> OwnerCheck:
    """Rewards go to owners whose email is verified and whose account is not disabled:
    a throwaway account earns nothing."""

    def check(owner_id: str) -> bool:
        account = directory.account(owner_id)
        return account is not None and account.verified and account.active

    return check


def day_plan(store: DocumentStore, day: date, used: RewardRules, verified: OwnerCheck) -> Document:
    """The day's stored plan, made the first time the finished day is paid with the
    rules `used` then: the rules, every agent's observed work (with its owner and
    whether the owner could be paid), and the shares by agent and token (minor units)."""
    key = day.isoformat()
    existing = store.get(PLANS, key)
    if existing is not None:
        return existing
    observed = observed_work(store, day)
    agents = agent_names(store, [w.agent_id for w in observed])
    work = [
        Work(w.agent_id, agents[w.agent_id]["owner_id"], w.paid_minor, w.weight_minor)
        for w in observed
        if w.agent_id in agents
    ]
    checked: dict[str, bool] = {}

    def remembered(owner_id: str) -> bool:
        checked[owner_id] = verified(owner_id)
        return checked[owner_id]

    shares = reward_shares(work, used, remembered)
    plan: Document = {
        "day": key,
        "rules": {
            "pools": dict(used.pools),
            "yardstick": used.yardstick,
            "owner_cap_bps": used.owner_cap_bps,
            "max_return_bps": used.max_return_bps,
        },
        "work": [
            {
                "agent_id": w.agent_id,
                "owner_id": w.owner_id,
                "paid_minor": w.paid_minor,
                "weight_minor": w.weight_minor,
                "owner_verified": checked.get(w.owner_id, False),
            }
            for w in work
        ],
        "shares": shares,
    }
    if not store.create(PLANS, key, plan):
        return store.get(PLANS, key) or plan  # another run stored it first: theirs wins
    return plan


def pay_day(
    store: DocumentStore,
    treasury: Treasury,
    day: date,
    *,
    today: date,
    rules: RewardRules,
    scoring: Scoring,
    verified: OwnerCheck,
) -> RewardDay:
    """Pay `day`'s rewards (a day before `today`); safe to run again (and after a
    partial run). The day is planned by `rules` the first time (later runs pay the stored
    plan), and `verified` says whether an owner may be paid at all (asked once, when the
    day is planned); the memos quote the agents' standings by `scoring`."""
    if day >= today:
        raise DayNotOver(f"{day} has not ended yet")
    plan = day_plan(store, day, rules, verified)
    shares: dict[str, dict[str, int]] = plan["shares"]
    work = {w["agent_id"]: w for w in plan["work"]}
    standing = closed_day_standing(store, day, today, scoring).by_agent()
    agents = agent_names(store, sorted(shares))
    outcome = RewardDay(day, rewarded=len(shares))
    for agent_id in sorted(shares):
        agent = agents.get(agent_id)
        if agent is None:
            continue
        owner = agent["owner_id"]
        paid_for = int(work[agent_id]["paid_minor"])
        s = standing.get(agent_id) or Standing(agent_id, 0.0, 0, None)
        memo = (
            f"agent reward {day.isoformat()}: {agent['name']} ({agent_id}), "
            f"{f'rank {s.rank}' if s.rank else 'unranked'}, score {s.score:.4f}, "
            f"for {to_decimal(paid_for)} AIA of observed work"
        )
        amounts: dict[str, int] = {}
        entries: dict[str, str] = {}
        for token_name, amount in sorted(shares[agent_id].items()):
            token = Token(token_name)
            try:
                payout = treasury.pay(
                    owner,
                    token,
                    amount,
                    key=reward_key(day, agent_id, token),
                    kind=KIND,
                    actor=ACTOR,
                    memo=memo,
                )
            except PayoutRefused as exc:
                # a frozen owner (or an empty treasury) withholds this payout only; a
                # later run of the same day pays it if the rule no longer applies. A
                # conflict is a day paid under other rules before: nothing more is paid.
                log.warning(
                    "agent reward withheld",
                    extra={
                        "agent_id": agent_id,
                        "token": token.value,
                        "reason": exc.reason,
                    },
                )
                outcome.withheld.append(agent_id)
                continue
            amounts[token.value] = amount
            entries[token.value] = payout.entry_id
            outcome.totals[token.value] = outcome.totals.get(token.value, 0) + amount
            if payout.replayed:
                outcome.replayed += 1
                continue
            outcome.paid += 1
            counters.count_reward(token.value, amount / UNIT)
            treasury.audit(
                owner,
                action=KIND,
                actor=ACTOR,
                details={
                    "agent_id": agent_id,
                    "agent": agent["name"],
                    "day": day.isoformat(),
                    "token": token.value,
                    "amount": to_decimal(amount),
                    "entry_id": payout.entry_id,
                },
            )
        if amounts:
            _remember(
                store,
                day,
                Earned(agent_id, owner, agent["name"], s, paid_for),
                amounts,
                entries,
            )
    log.info(
        "agent rewards paid",
        extra={"day": day.isoformat(), "paid": outcome.paid, "replayed": outcome.replayed},
    )
    return outcome


@dataclass(frozen=True)
class Earned:
    """Who earned a day's reward, and for what."""

    agent_id: str
    owner_id: str
    name: str
    standing: Standing
    paid_for_minor: int  # AIA paid for the observed work the reward is for


def _remember(
    store: DocumentStore,
    day: date,
    earned_by: Earned,
    amounts: dict[str, int],
    entries: dict[str, str],
) -> None:
    """What the agent earned that day, for the owner's views and the weekly report.
    Written after the postings: a crash in between is mended by the next run."""
    doc_id = reward_doc_id(day, earned_by.agent_id)
    current = store.get(REWARDS, doc_id)
    merged: dict[str, Any] = {
        "day": day.isoformat(),
        "agent_id": earned_by.agent_id,
        "owner_id": earned_by.owner_id,
        "name": earned_by.name,
        "rank": earned_by.standing.rank,
        "score": earned_by.standing.score,
        "tasks": earned_by.standing.tasks,
        "paid_for_minor": earned_by.paid_for_minor,
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
