"""How a day's reward pools are split, pure and documented (docs/decisions/0011-agents.md).

Only work the platform observed and was paid for earns a share. An agent's weight for a
day is the AIA its owner paid for its observed tasks of that day, each task's part
multiplied by its score; self reports weigh nothing. Every amount is in integer minor
units and rounded down, so nothing is paid beyond the pools. With `A` the yardstick
pool (AIA) and `W` the sum of the weights of verified owners' agents:

    share     = A * weight // W
    owner cap = A * owner_cap_bps // 10_000   (an owner's shares above it shrink pro rata)
    return    = paid * max_return_bps // 10_000   (per agent, the last cap)
    token t   = pool_t * share // A            (every pool pays the same fraction)

A day's weight comes from the tasks recorded on that day only, so a piece of paid work
is rewarded on one day, and the AIA an owner earns for it is at most `max_return_bps` of
what it cost. Unverified owners' work is left out; what nobody is paid stays in the
treasury."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

BPS = 10_000


@dataclass(frozen=True)
class Work:
    """One agent's observed work of one day, with its owner."""

    agent_id: str
    owner_id: str
    paid_minor: int  # AIA its owner paid for the work
    weight_minor: int  # that AIA, each task's part times its score


@dataclass(frozen=True)
class RewardRules:
    pools: Mapping[str, int]  # minor units by token
    yardstick: str  # the token the caps are measured in (AIA: what work is paid in)
    owner_cap_bps: int
    max_return_bps: int


def reward_shares(
    work: Sequence[Work], rules: RewardRules, verified: Callable[[str], bool]
) -> dict[str, dict[str, int]]:
    """Each rewarded agent's amounts by token (minor units); agents earning nothing are
    left out. `verified(owner_id)` is asked once per owner."""
    anchor = rules.pools.get(rules.yardstick, 0)
    checked: dict[str, bool] = {}
    counted = []
    for w in work:
        if w.owner_id not in checked:
            checked[w.owner_id] = verified(w.owner_id)
        if checked[w.owner_id] and w.weight_minor > 0:
            counted.append(w)
    total = sum(w.weight_minor for w in counted)
    if anchor <= 0 or total <= 0:
        return {}
    share = {w.agent_id: anchor * w.weight_minor // total for w in counted}
    owner_cap = anchor * rules.owner_cap_bps // BPS
    by_owner: dict[str, int] = {}
    for w in counted:
        by_owner[w.owner_id] = by_owner.get(w.owner_id, 0) + share[w.agent_id]
    result: dict[str, dict[str, int]] = {}
    for w in counted:
        owned = by_owner[w.owner_id]
        part = share[w.agent_id] if owned <= owner_cap else share[w.agent_id] * owner_cap // owned
        part = min(part, w.paid_minor * rules.max_return_bps // BPS)
        amounts = {
            token: pool * part // anchor
            for token, pool in rules.pools.items()
            if pool > 0 and pool * part // anchor > 0
        }
        if amounts:
            result[w.agent_id] = amounts
    return result
