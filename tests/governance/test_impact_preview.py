"""The impact preview of a proposal (ADR 0038), through the API on the local runtime
with a small live economy (1,000 households, a year of warm-up) and two seeds: its
status while the runs go, its figures, its price, the refund of a failure the platform
caused (once), not-applicable proposals, and replays that change nothing."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import update

from shared.adapters.sql.schema import impact_previews
from shared.events.codec import decode
from shared.events.envelope import new_event
from shared.ledger.postings import user_owner
from shared.money import Token, to_minor
from shared.runtime.local import LocalRuntime
from shared.settings import Settings
from shared.simulation.events import LiveEconomyAdvanceRequested, SimulationPolicyChanged
from shared.simulation.impact_figures import MEASURES
from tests.governance.conftest import Gov
from tests.support.api import UserClient

BASIC_INCOME = {"type": "transfer_policy", "basic_income": 0.2}
PRICES = {"simulation": "1", "simulation_per_million_household_months": "5"}
# 2 seeds x 2 runs x 1,000 households x 120 months = 480,000 household-months: 2.4 AIA
PRICE = "2.400000"


@pytest.fixture
def settings_update() -> dict[str, Any]:
    """What a test changes in the settings (parametrize it to change more)."""
    return {}


@pytest.fixture
def settings(settings: Settings, settings_update: dict[str, Any]) -> Settings:
    return settings.model_copy(update={"impact_preview_seeds": 2, **settings_update})


priced = pytest.mark.parametrize("settings_update", [{"prices": PRICES}], ids=["priced"])


def start_live_economy(runtime: LocalRuntime) -> None:
    runtime.bus.publish(
        new_event(LiveEconomyAdvanceRequested(households=1000, warm_up=12), source="test")
    )
    runtime.dispatcher.drain()


def impact(user: UserClient, proposal: dict[str, Any]) -> dict[str, Any]:
    response = user.get(f"/v1/governance/proposals/{proposal['id']}/impact")
    assert response.status_code == 200, response.get_data(as_text=True)
    return dict(response.json)


def aia(gov: Gov, user: UserClient) -> int:
    return gov.runtime.features.ledger.store.balance(user_owner(user.user_id), Token.AIA)


def fund_aia(gov: Gov, user: UserClient, amount: str) -> None:
    gov.runtime.features.ledger.mint(
        Token.AIA, to_minor(amount), f"aia:{user.user_id}", "test", to_user=user.user_id
    )


def ticks(runtime: LocalRuntime) -> list[Any]:
    return runtime.bus.messages("impact-preview-ticks")


def test_the_preview_runs_as_events_and_publishes_differences_with_intervals(
    gov_sqlite: Gov,
) -> None:
    gov = gov_sqlite
    start_live_economy(gov.runtime)
    ada = gov.user("ada", "5000")
    proposal = gov.propose(ada, BASIC_INCOME)
    assert proposal["impact"]["status"] == "queued"
    assert proposal["impact"]["url"] == f"/v1/governance/proposals/{proposal['id']}/impact"
    queued = impact(ada, proposal)
    assert queued["status"] == "queued" and queued["progress"] == 0 and queued["figures"] == []
    assert (queued["seeds"], queued["months"], queued["households"]) == (2, 120, 1000)
    assert queued["household_months"] == 480_000

    # one run's first months: the preview is running, part done
    for _ in range(20):  # the proposal's announcements go first
        assert gov.runtime.dispatcher.deliver_next()
        running = impact(ada, proposal)
        if running["status"] != "queued":
            break
    assert running["status"] == "running" and 0 < running["progress"] < 1

    gov.runtime.dispatcher.drain()
    ready = impact(ada, proposal)
    assert ready["status"] == "ready" and ready["progress"] == 1 and ready["completed_at"]
    figures = ready["figures"]
    assert {(f["measure"], f["years"]) for f in figures} == {
        (m.name, y) for m in MEASURES for y in (1, 5, 10)
    }
    for figure in figures:
        assert len(figure["per_seed"]) == 2
        assert figure["low"] <= figure["mean"] <= figure["high"]
        assert figure["t_low"] <= figure["mean"] <= figure["t_high"]
        assert figure["unit"]
    # a basic income of a fifth of the average wage, paid from the budget: public debt
    # is higher with it, in every seed, after ten years
    [debt] = [f for f in figures if f["measure"] == "public_debt_ratio" and f["years"] == 10]
    assert all(d > 0 for d in debt["per_seed"]), debt
    # the same seed in both runs: the first year's months differ only by the change
    assert ready["from_month"] == 12


@priced
def test_the_proposer_pays_the_simulation_price_and_a_platform_failure_is_refunded_once(
    gov_sqlite: Gov,
) -> None:
    gov = gov_sqlite
    start_live_economy(gov.runtime)
    ada = gov.user("ada", "5000")
    quote = ada.get("/v1/governance/impact-quote")
    assert quote.status_code == 200
    assert quote.json["available"] is True and quote.json["price_aia"] == PRICE

    broke = ada.post(
        "/v1/governance/proposals",
        json={"title": "Basic income", "description": "A fifth.", "actions": [BASIC_INCOME]},
    )
    assert broke.status_code == 402, broke.get_data(as_text=True)
    assert broke.headers["content-type"].startswith("application/problem+json")
    assert "impact preview costs 2.4 AIA" in broke.json["detail"]
    # nothing half-made: no proposal, no announcement, no runs
    assert ada.get("/v1/governance/proposals").json["proposals"] == []
    assert gov.events() == [] and ticks(gov.runtime) == []

    fund_aia(gov, ada, "10")
    proposal = gov.propose(ada, BASIC_INCOME)
    assert proposal["impact"]["charged_aia"] == PRICE
    assert aia(gov, ada) == to_minor("7.6")

    # the stored start state is unreadable: every delivery of the runs' ticks fails,
    # they are dead-lettered, and the platform's failure is refunded
    engine = gov.runtime.features.impact_previews.store.engine
    with engine.begin() as conn:
        conn.execute(update(impact_previews).values(start_state=b"not a state"))
    gov.runtime.dispatcher.drain()
    [*abandoned] = gov.runtime.bus.messages("abandoned-deliveries")
    assert len(abandoned) == 4  # each run's first tick
    for message in abandoned:  # delivered again: refunded once
        gov.runtime.bus.publish(decode(message))
    gov.runtime.dispatcher.drain()
    gov.advance(0)  # the retries moved the clock on: sign in again
    failed = impact(ada, proposal)
    assert failed["status"] == "failed" and failed["refunded"] is True
    assert failed["figures"] == [] and failed["reason"]
    assert aia(gov, ada) == to_minor("10")


@pytest.mark.parametrize(
    "settings_update", [{"simulation_daily_household_months": 400_000}], ids=["small-quota"]
)
def test_limits_hold_for_previews(gov_sqlite: Gov) -> None:
    gov = gov_sqlite
    start_live_economy(gov.runtime)
    ada = gov.user("ada", "5000")
    over = ada.post(
        "/v1/governance/proposals",
        json={"title": "Basic income", "description": "A fifth.", "actions": [BASIC_INCOME]},
    )
    assert over.status_code == 429, over.get_data(as_text=True)
    assert over.json["type"].endswith("simulation-daily-quota")
    assert ada.get("/v1/governance/proposals").json["proposals"] == []


@priced
def test_proposals_that_do_not_move_the_live_policy_are_not_applicable(
    gov_sqlite: Gov,
) -> None:
    gov = gov_sqlite
    ada, bob = gov.user("ada", "5000"), gov.user("bob", "5000")
    # no live economy yet: nothing to run from, nothing charged
    early = gov.propose(ada, BASIC_INCOME)
    assert early["impact"]["status"] == "not_applicable"
    assert early["impact"]["charged_aia"] == "0.000000"
    assert "has not started" in impact(ada, early)["reason"]

    start_live_economy(gov.runtime)
    same = gov.propose(bob, {"type": "inflation_target", "inflation_target": 0.02})
    report = impact(bob, same)
    assert report["status"] == "not_applicable" and "as it is" in report["reason"]
    assert ticks(gov.runtime) == []

    missing = ada.get("/v1/governance/proposals/999/impact")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")


@priced
def test_replays_change_nothing(gov: Gov) -> None:
    """On the embedded database and on PostgreSQL (the `gov` fixture runs both)."""
    start_live_economy(gov.runtime)
    ada = gov.user("ada", "5000")
    fund_aia(gov, ada, "10")
    headers = {"Idempotency-Key": "basic-income-1"}
    body = {"title": "Basic income", "description": "A fifth.", "actions": [BASIC_INCOME]}
    first = ada.post("/v1/governance/proposals", json=body, headers=headers)
    again = ada.post("/v1/governance/proposals", json=body, headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json["id"] == first.json["id"]
    assert aia(gov, ada) == to_minor("7.6")  # charged once
    assert len(ticks(gov.runtime)) == 4  # 2 seeds x with and without: started once

    # every tick delivered twice (at least once): the same figures, announced once
    gov.runtime.dispatcher.drain()
    for message in list(ticks(gov.runtime)):
        gov.runtime.bus.publish(decode(message))
    gov.runtime.dispatcher.drain()
    report = impact(ada, first.json)
    assert report["status"] == "ready"
    assert len(gov.runtime.bus.messages("impact-previews")) == 1
    assert aia(gov, ada) == to_minor("7.6")  # a success refunds nothing


def decide(runtime: LocalRuntime, changes: dict[str, Any]) -> None:
    runtime.bus.publish(
        new_event(
            SimulationPolicyChanged(simulation_id="live", changes=changes, reason="test"),
            source="test",
        )
    )
    runtime.dispatcher.drain()


def test_a_preview_says_when_the_policy_it_compared_against_no_longer_holds(
    gov_sqlite: Gov,
) -> None:
    """Previews are not re-run when the live policy moves; the report says how the
    policy stands: still in force, this change enacted, or superseded by another."""
    gov = gov_sqlite
    start_live_economy(gov.runtime)
    ada = gov.user("ada", "5000")
    proposal = gov.propose(ada, BASIC_INCOME)
    assert impact(ada, proposal)["baseline"] == "in_force"  # queued: from today's policy
    gov.runtime.dispatcher.drain()
    ready = impact(ada, proposal)
    assert (ready["status"], ready["baseline"]) == ("ready", "in_force")

    decide(gov.runtime, {"fiscal": {"basic_income": 0.2}})  # what the proposal asked
    assert impact(ada, proposal)["baseline"] == "enacted"
    decide(gov.runtime, {"monetary": {"inflation_target": 0.03}})  # another decision
    superseded = impact(ada, proposal)
    assert superseded["baseline"] == "superseded"
    assert superseded["figures"] == ready["figures"]  # published figures stay as they were

    early = gov.user("bob", "5000")
    assert (
        impact(early, gov.propose(early, {"type": "inflation_target", "inflation_target": 0.03}))[
            "baseline"
        ]
        is None
    )  # not applicable: nothing runs
