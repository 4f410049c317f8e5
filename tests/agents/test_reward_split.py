"""The split of a day's reward pools by hand (shared/agents/reward_split.py): by the AIA
paid for observed work times its score, in whole minor units rounded down, an owner's
shares shrunk to the owner cap, each agent's AIA capped at a part of what its work cost,
every pool paid in the same proportion, unverified owners left out."""

from __future__ import annotations

from shared.agents.performance_score import paid_weight
from shared.agents.reward_split import RewardRules, Work, reward_shares

POOLS = {"AIA": 1000, "AIA_GOV": 10}


def rules(owner_cap_bps: int = 10_000, max_return_bps: int = 10_000) -> RewardRules:
    return RewardRules(POOLS, "AIA", owner_cap_bps, max_return_bps)


def everyone(owner_id: str) -> bool:
    return True


def test_shares_follow_paid_work_times_score() -> None:
    # paid 1000 at score 0.9 and 1000 at score 0.6: 900 : 600 of the pools
    assert paid_weight(1000, 0.9) == 900 and paid_weight(1000, 0.6) == 600
    work = [Work("a", "ann", 1000, 900), Work("b", "ben", 1000, 600)]
    assert reward_shares(work, rules(), everyone) == {
        "a": {"AIA": 600, "AIA_GOV": 6},
        "b": {"AIA": 400, "AIA_GOV": 4},
    }
    # rounded down: a third each of 1000 leaves one minor unit in the treasury
    thirds = [Work(x, x, 10**6, 1) for x in "xyz"]
    shares = reward_shares(thirds, rules(), everyone)
    assert {k: v["AIA"] for k, v in shares.items()} == {"x": 333, "y": 333, "z": 333}
    assert {v["AIA_GOV"] for v in shares.values()} == {3}


def test_an_owner_above_the_cap_is_shrunk_pro_rata_and_the_rest_is_not_paid() -> None:
    work = [
        Work("a1", "ann", 10**6, 600),
        Work("a2", "ann", 10**6, 200),
        Work("b", "ben", 10**6, 200),
    ]
    # ann's 800 of 1000 shrinks to the 50 % cap, 600 : 200 kept; ben's 200 is untouched
    assert reward_shares(work, rules(owner_cap_bps=5000), everyone) == {
        "a1": {"AIA": 375, "AIA_GOV": 3},
        "a2": {"AIA": 125, "AIA_GOV": 1},
        "b": {"AIA": 200, "AIA_GOV": 2},
    }
    # alone, an owner still takes only the cap
    alone = [Work("a1", "ann", 10**6, 600)]
    assert reward_shares(alone, rules(owner_cap_bps=1000), everyone) == {
        "a1": {"AIA": 100, "AIA_GOV": 1}
    }


def test_an_agent_earns_at_most_its_share_of_what_its_work_cost() -> None:
    # the only work of the day cost 100: half of it back, and the pools in proportion
    cheap = [Work("a", "ann", 100, 100)]
    assert reward_shares(cheap, rules(max_return_bps=5000), everyone) == {"a": {"AIA": 50}}
    assert reward_shares(cheap, rules(), everyone) == {"a": {"AIA": 100, "AIA_GOV": 1}}
    # unpaid work weighs nothing, whatever its score
    assert reward_shares([Work("a", "ann", 0, 0)], rules(), everyone) == {}


def test_unverified_owners_are_left_out_and_asked_once() -> None:
    asked: list[str] = []

    def verified(owner_id: str) -> bool:
        asked.append(owner_id)
        return owner_id == "ann"

    work = [
        Work("a", "ann", 10**6, 100),
        Work("m1", "mal", 10**6, 100),
        Work("m2", "mal", 10**6, 100),
    ]
    assert reward_shares(work, rules(), verified) == {"a": {"AIA": 1000, "AIA_GOV": 10}}
    assert asked == ["ann", "mal"]


def test_without_an_aia_pool_nothing_is_paid() -> None:
    gov_only = RewardRules({"AIA_GOV": 10}, "AIA", 10_000, 10_000)
    assert reward_shares([Work("a", "ann", 10**6, 100)], gov_only, everyone) == {}
