"""The daily reward job: the day's pools split by the AIA paid for each agent's observed
work times its score, among verified owners, from the treasury through the ledger,
exactly once per day however often the job runs; every payout is in the owner's history
and the ledger's audit trail. On the embedded SQLite database and on real PostgreSQL.
(The caps and self reports are attacked in tests/security/test_agent_reward_farming.py.)"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from shared.adapters.local.clock import ManualClock
from shared.agents.rewards import (
    DayNotOver,
    OwnerCheck,
    RewardDay,
    pay_day,
    payable_owner,
    reward_key,
)
from shared.ledger.postings import TREASURY, user_owner
from shared.money import Token, to_minor
from shared.runtime.local import LocalRuntime
from tests.agents.helpers import (
    fire,
    login,
    metric,
    move_to,
    record,
    register,
    self_report,
    verify,
)
from tests.support.api import ApiClient, UserClient

D = date(2026, 3, 4)
AFTER_MIDNIGHT = datetime(2026, 3, 5, 0, 15, tzinfo=UTC)


def balances(runtime: LocalRuntime, user: UserClient) -> dict[Token, int]:
    return runtime.features.ledger.store.balances(user_owner(user.user_id))


def treasury(runtime: LocalRuntime) -> dict[Token, int]:
    store = runtime.features.ledger.store
    return {t: store.balance(TREASURY, t) for t in Token}


def working_day(api: ApiClient, runtime: LocalRuntime) -> tuple[UserClient, UserClient, str, str]:
    """On D, all three owners verified: alice's agent does 3 observed tasks scoring 0.9,
    bob's 3 scoring 0.6, each paid 100 AIA; carol's agent self-reports 3 perfect tasks
    (ranked first, worth nothing)."""
    alice, bob, carol = (api.user(n, verified=False) for n in ("alice", "bob", "carol"))
    verify(api, alice, bob, carol)
    analyst, estimator = register(alice, "Analyst"), register(bob, "Estimator")
    boaster = register(carol, "Boaster")
    for n in range(3):
        record(runtime, alice, analyst, f"a-{n}", 0.9, paid="100")
        record(runtime, bob, estimator, f"b-{n}", 0.6, paid="100")
        self_report(carol, boaster, f"c-{n}", 1.0)
    runtime.dispatcher.drain()  # what registration set off (e.g. a welcome grant) is done
    return alice, bob, analyst, estimator


def pay(runtime: LocalRuntime, check: OwnerCheck | None = None) -> RewardDay:
    """Pay day D directly, as the daily job does (by default with its owner check)."""
    features = runtime.features
    agents = features.agents
    return pay_day(
        agents.documents,
        features.treasury,
        D,
        today=agents.clock.now().date(),
        rules=agents.reward_rules(),
        scoring=agents.scoring,
        verified=check or payable_owner(features.directory),
    )


def gained(runtime: LocalRuntime, user: UserClient, before: dict[Token, int]) -> dict[Token, int]:
    after = balances(runtime, user)
    return {t: after.get(t, 0) - before.get(t, 0) for t in Token}


def test_the_daily_job_pays_each_owner_once(
    accounts_api: ApiClient, accounts_runtime: LocalRuntime, clock: ManualClock
) -> None:
    api, runtime = accounts_api, accounts_runtime
    alice, bob, analyst, estimator = working_day(api, runtime)
    vault = treasury(runtime)
    start = {u.user_id: balances(runtime, u) for u in (alice, bob)}
    paid_aia = metric("aia_agent_rewards_total", token="AIA")

    move_to(clock, AFTER_MIDNIGHT, api, alice, bob)
    first = fire(runtime, "pay-agent-rewards-daily", AFTER_MIDNIGHT)
    # 300 AIA x 0.9 : 300 AIA x 0.6 of the 100 AIA and 1 AIA_GOV pools (under the 60 %
    # owner cap and half the 300 AIA each paid); carol's self reports earn nothing
    expected = {
        alice.user_id: {Token.AIA: to_minor("60"), Token.AIA_GOV: to_minor("0.6")},
        bob.user_id: {Token.AIA: to_minor("40"), Token.AIA_GOV: to_minor("0.4")},
    }
    assert gained(runtime, alice, start[alice.user_id]) == expected[alice.user_id]
    assert gained(runtime, bob, start[bob.user_id]) == expected[bob.user_id]
    assert treasury(runtime) == {
        Token.AIA: vault[Token.AIA] - to_minor("100"),
        Token.AIA_GOV: vault[Token.AIA_GOV] - to_minor("1"),
    }

    # the same firing redelivered, and a second firing later the same day: nothing more
    runtime.bus.publish(first)
    runtime.dispatcher.drain()
    clock.advance(5 * 3600)
    fire(runtime, "pay-agent-rewards-daily", clock.now())
    # and a direct re-run replays everything
    assert pay(runtime).paid == 0
    assert gained(runtime, alice, start[alice.user_id]) == expected[alice.user_id]
    assert gained(runtime, bob, start[bob.user_id]) == expected[bob.user_id]
    assert treasury(runtime)[Token.AIA] == vault[Token.AIA] - to_minor("100")
    assert metric("aia_agent_rewards_total", token="AIA") == paid_aia + 100

    # in the owner's history, naming the agent
    login(api, alice)
    history = alice.get("/v1/wallet/history").json["entries"]
    rewards = [e for e in history if e["kind"] == "agent_reward"]
    assert sorted((e["token"], e["amount"]) for e in rewards) == [
        ("AIA", "60.000000"),
        ("AIA_GOV", "0.600000"),
    ]
    assert all("Analyst" in e["memo"] and analyst in e["memo"] for e in rewards)
    assert all("2026-03-04" in e["memo"] and "300.000000 AIA" in e["memo"] for e in rewards)
    # and in the ledger's audit trail, once each
    trail = [
        a
        for a in runtime.features.ledger.store.audit_trail(500)
        if a["action"] == "agent_reward" and a["details"]["agent_id"] in (analyst, estimator)
    ]
    assert sorted(
        (a["subject"], a["details"]["token"], a["details"]["amount"]) for a in trail
    ) == sorted(
        [
            (user_owner(alice.user_id), "AIA", "60.000000"),
            (user_owner(alice.user_id), "AIA_GOV", "0.600000"),
            (user_owner(bob.user_id), "AIA", "40.000000"),
            (user_owner(bob.user_id), "AIA_GOV", "0.400000"),
        ]
    )

    # the owner's view of the agent's rewards
    view = alice.get(f"/v1/agents/{analyst}/rewards").json
    assert view["totals"] == {"AIA": "60.000000", "AIA_GOV": "0.600000"}
    [day] = view["rewards"]
    # the boaster outranks the analyst on self reports, and still earned nothing
    assert (day["day"], day["rank"], day["score"]) == ("2026-03-04", 2, 0.9)
    assert day["paid_for"] == "300.000000"
    assert set(day["entries"]) == {"AIA", "AIA_GOV"}


def test_a_frozen_owner_is_paid_once_unfrozen_and_a_day_is_paid_only_once_over(
    api: ApiClient, app_runtime: LocalRuntime, clock: ManualClock
) -> None:
    alice, bob, _analyst, estimator = working_day(api, app_runtime)
    check = payable_owner(app_runtime.features.directory)
    with pytest.raises(DayNotOver):
        pay(app_runtime, check)  # D is today: its work may still change
    book = app_runtime.features.ledger
    start = {u.user_id: balances(app_runtime, u) for u in (alice, bob)}
    book.store.set_frozen(user_owner(bob.user_id), True, clock.now())
    clock.set(AFTER_MIDNIGHT)

    first = pay(app_runtime, check)
    assert first.withheld == [estimator, estimator]  # both tokens
    assert gained(app_runtime, alice, start[alice.user_id])[Token.AIA] == to_minor("60")
    assert set(gained(app_runtime, bob, start[bob.user_id]).values()) == {0}

    book.store.set_frozen(user_owner(bob.user_id), False, clock.now())
    second = pay(app_runtime, check)
    assert (second.paid, second.replayed, second.withheld) == (2, 2, [])
    assert gained(app_runtime, bob, start[bob.user_id]) == {
        Token.AIA: to_minor("40"),
        Token.AIA_GOV: to_minor("0.4"),
    }
    assert gained(app_runtime, alice, start[alice.user_id])[Token.AIA] == to_minor("60")
    third = pay(app_runtime, check)
    assert (third.paid, third.replayed) == (0, 4)


def test_a_day_is_planned_once_so_a_later_verification_pays_nothing_more(
    api: ApiClient, app_runtime: LocalRuntime, clock: ManualClock
) -> None:
    alice, bob, analyst, _estimator = working_day(api, app_runtime)
    dave = api.user("dave", verified=False)  # has not verified his address yet
    helper = register(dave, "Helper")
    for n in range(3):
        record(app_runtime, dave, helper, f"d-{n}", 0.9, paid="100")
    start = {u.user_id: balances(app_runtime, u) for u in (alice, bob, dave)}
    clock.set(AFTER_MIDNIGHT)

    first = pay(app_runtime)
    # dave's work is left out of the split: alice and bob share the pools as before
    assert set(gained(app_runtime, dave, start[dave.user_id]).values()) == {0}
    assert gained(app_runtime, alice, start[alice.user_id])[Token.AIA] == to_minor("60")
    plan = app_runtime.platform.documents.get("agent_reward_plans", D.isoformat())
    assert plan is not None
    assert {w["agent_id"]: w["owner_verified"] for w in plan["work"]}[helper] is False
    assert first.rewarded == 2 and analyst in plan["shares"]

    verify(api, dave)
    again = pay(app_runtime)
    assert (again.paid, again.replayed) == (0, 4)
    assert set(gained(app_runtime, dave, start[dave.user_id]).values()) == {0}


def test_a_payout_key_used_for_another_amount_is_withheld_not_paid_twice(
    api: ApiClient, app_runtime: LocalRuntime, clock: ManualClock
) -> None:
    """A day paid under other rules before (its keys carry other amounts) pays nothing
    more for those keys, and the rest of the day is still paid."""
    alice, bob, analyst, _estimator = working_day(api, app_runtime)
    clock.set(AFTER_MIDNIGHT)
    earlier = app_runtime.features.treasury.pay(
        alice.user_id,
        Token.AIA,
        to_minor("1"),
        key=reward_key(D, analyst, Token.AIA),
        kind="agent_reward",
        actor="system:agent-rewards",
        memo="paid under the old rules",
    )
    assert not earlier.replayed
    start = {u.user_id: balances(app_runtime, u) for u in (alice, bob)}

    outcome = pay(app_runtime)
    assert outcome.withheld == [analyst]  # its AIA only: the key paid 1 AIA before
    assert gained(app_runtime, alice, start[alice.user_id]) == {
        Token.AIA: 0,
        Token.AIA_GOV: to_minor("0.6"),
    }
    assert gained(app_runtime, bob, start[bob.user_id])[Token.AIA] == to_minor("40")
