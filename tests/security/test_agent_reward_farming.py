"""Issue #13, finding "Token farming: agent reward pools": the daily pools (100,000 AIA and
1,000 AIA_GOV) were split by score among ranked agents, scores were self-reported, and
the weekly standing was paid again every day. Each test runs the attack against the
production reward settings (pools, owner cap, return cap, minimum tasks, agents per
owner); only the prices of paid work and the welcome grant are set here. Paid work is
real: simulations run on behalf of the agents, charged through the ledger, recorded by
the task event; payouts are the scheduled job's."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from shared.adapters.local.clock import ManualClock
from shared.ledger.postings import TREASURY, user_owner
from shared.money import Token, to_minor
from shared.runtime.local import LocalRuntime
from shared.settings import Settings
from tests.agents.helpers import fire, login, register, uniform
from tests.support.api import ApiClient, UserClient

D = date(2026, 3, 4)
POOL_AIA, POOL_GOV = to_minor("100000"), to_minor("1000")  # the production pools


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime.combine(D, time(10), tzinfo=UTC))


@pytest.fixture
def simulation_price() -> str:
    return "0.01"


@pytest.fixture
def welcome_grant() -> str:
    return "1"


@pytest.fixture
def settings(settings: Settings, simulation_price: str, welcome_grant: str) -> Settings:
    return settings.model_copy(
        update={"prices": {"simulation": simulation_price}, "signup_grant_aia": welcome_grant}
    )


def holdings(runtime: LocalRuntime, user: UserClient) -> dict[Token, int]:
    held = runtime.features.ledger.store.balances(user_owner(user.user_id))
    return {t: held.get(t, 0) for t in Token}


def treasury(runtime: LocalRuntime) -> dict[Token, int]:
    store = runtime.features.ledger.store
    return {t: store.balance(TREASURY, t) for t in Token}


def owner(api: ApiClient, runtime: LocalRuntime, name: str, verified: bool = True) -> UserClient:
    """A registered owner; verified ones follow their link and receive the welcome grant,
    an unverified one buys the same amount of AIA (purchases need no verified address)."""
    user = api.user(name, verified=verified)
    if not verified:
        grant = to_minor(runtime.platform.settings.signup_grant_aia)
        runtime.features.ledger.mint(
            Token.AIA, grant, f"bought:{user.user_id}", "test", to_user=user.user_id
        )
    runtime.dispatcher.drain()
    return user


def simulate(runtime: LocalRuntime, user: UserClient, agent_id: str, runs: int) -> None:
    """`runs` paid simulations on behalf of the agent, each run to completion before the
    next starts (a user may have only a few unfinished at once)."""
    for seed in range(runs):
        body = {"households": 200, "ticks": 1, "seed": seed, "agent_id": agent_id}
        response = user.post("/v1/simulations", json=body)
        assert response.status_code == 202, response.get_data(as_text=True)
        runtime.dispatcher.drain()


def pay_nights(runtime: LocalRuntime, clock: ManualClock, nights: int) -> None:
    """The daily reward job at 00:15 after D and the nights after it."""
    for n in range(1, nights + 1):
        night = datetime.combine(D + timedelta(days=n), time(0, 15), tzinfo=UTC)
        clock.set(night)
        fire(runtime, "pay-agent-rewards-daily", night)


def gained(runtime: LocalRuntime, user: UserClient, before: dict[Token, int]) -> dict[Token, int]:
    now = holdings(runtime, user)
    return {t: now[t] - before[t] for t in Token}


def test_twenty_agents_with_perfect_self_reports_earn_nothing(
    api: ApiClient, app_runtime: LocalRuntime, clock: ManualClock
) -> None:
    farmer = owner(api, app_runtime, "farmer")
    agents = [register(farmer, f"Farm {n}") for n in range(20)]  # the most an owner may have
    for agent_id in agents:
        for n in range(5):  # the minimum to be ranked
            body = {"task_id": f"t-{n}", "task_type": "analysis", **uniform(1.0)}
            posted = farmer.post(f"/v1/agents/{agent_id}/performance", json=body)
            assert posted.status_code == 201, posted.get_data(as_text=True)
    before, vault = holdings(app_runtime, farmer), treasury(app_runtime)

    pay_nights(app_runtime, clock, 1)

    assert gained(app_runtime, farmer, before) == {Token.AIA: 0, Token.AIA_GOV: 0}
    assert treasury(app_runtime) == vault  # the pools stay in the treasury
    # still in the rankings, marked as the owner's own word
    login(api, farmer)
    rows = farmer.get("/v1/agents/rankings?period=week&limit=100").json["rankings"]
    assert {r["agent_id"] for r in rows} == set(agents)
    assert {(r["score"], r["observed_tasks"], r["self_reported_tasks"]) for r in rows} == {
        (1.0, 0, 5)
    }


def test_many_tiny_paid_runs_earn_no_more_than_they_cost_over_a_week(
    api: ApiClient, app_runtime: LocalRuntime, clock: ManualClock
) -> None:
    farmer = owner(api, app_runtime, "farmer")
    agents = [register(farmer, f"Tiny {n}") for n in range(5)]
    start = holdings(app_runtime, farmer)
    for agent_id in agents:
        simulate(app_runtime, farmer, agent_id, 10)  # 50 runs at 0.01 AIA
    cost = start[Token.AIA] - holdings(app_runtime, farmer)[Token.AIA]
    assert cost == to_minor("0.5")
    before = holdings(app_runtime, farmer)

    pay_nights(app_runtime, clock, 7)  # the week the runs stay in the standing

    earned = gained(app_runtime, farmer, before)
    assert 0 < earned[Token.AIA] <= cost
    # and AIA_GOV in the same proportion of its pool: a few thousandths, not the pool
    assert earned[Token.AIA_GOV] <= POOL_GOV * cost // POOL_AIA


@pytest.mark.parametrize(("simulation_price", "welcome_grant"), [("10000", "100000")])
def test_an_unverified_owner_earns_nothing_and_no_owner_takes_more_than_the_cap(
    api: ApiClient, app_runtime: LocalRuntime, clock: ManualClock
) -> None:
    mallory = owner(api, app_runtime, "mallory", verified=False)  # never verifies
    ann, ben = owner(api, app_runtime, "ann"), owner(api, app_runtime, "ben")
    simulate(app_runtime, mallory, register(mallory, "Sockpuppet"), 5)
    for name in ("Big 1", "Big 2"):
        simulate(app_runtime, ann, register(ann, name), 5)
    simulate(app_runtime, ben, register(ben, "Small"), 5)
    # 50,000 AIA of real work for mallory, 100,000 for ann, 50,000 for ben
    before = {u.user_id: holdings(app_runtime, u) for u in (mallory, ann, ben)}
    vault = treasury(app_runtime)

    pay_nights(app_runtime, clock, 1)

    assert gained(app_runtime, mallory, before[mallory.user_id]) == {
        Token.AIA: 0,
        Token.AIA_GOV: 0,
    }
    # ann did two thirds of the counted work, ben one third: each is held to the 10 % cap
    cap = {Token.AIA: POOL_AIA // 10, Token.AIA_GOV: POOL_GOV // 10}
    assert gained(app_runtime, ann, before[ann.user_id]) == cap
    assert gained(app_runtime, ben, before[ben.user_id]) == cap
    assert treasury(app_runtime) == {t: vault[t] - 2 * cap[t] for t in Token}
