"""The pages the scheduled emails open: the live economy's (public) and an owner's agents'
week (signed in; another owner's agents never show)."""

from __future__ import annotations

from datetime import UTC, datetime

from shared.agents.registry import register_agent
from shared.api.spec import Principal
from shared.events.envelope import new_event
from shared.governance.events import ProposalExecuted
from shared.runtime.local import LocalRuntime
from shared.web.agent_pages import agents as agents_week
from shared.web.economy_pages import economy
from shared.web.spec import PageRequest


def _request(runtime: LocalRuntime, user: str | None, **query: str) -> PageRequest:
    return PageRequest(
        features=runtime.features,
        method="GET",
        path_params={},
        query=query,
        form={},
        csrf_token="t",
        principal=None if user is None else Principal(user, verified=True),
    )


def test_the_economy_page_shows_the_policy_in_force_before_the_economy_starts(
    app_runtime: LocalRuntime,
) -> None:
    page = economy(_request(app_runtime, None))
    assert page.status == 200
    assert "has not started yet" in page.html
    assert "Inflation target (a year)" in page.html and "2.0 %" in page.html
    assert "No proposal has changed it yet." in page.html


def test_the_economy_page_names_the_proposal_that_changed_the_policy(
    app_runtime: LocalRuntime,
) -> None:
    """What GET /v1/economy/policy answers after a proposal executes, on the page: the
    new value in force and the proposal that decided it, linked to its page."""
    now = datetime(2026, 1, 1, tzinfo=UTC)
    executed = ProposalExecuted(
        proposal_id="12",
        state="Executed",
        title="Basic income",
        summary="",
        proposer_id="carol",
        snapshot_at=now,
        voting_ends_at=now,
        changes={"fiscal": {"basic_income": 0.05}},
        actions=[{"type": "transfer_policy", "basic_income": 0.05}],
    )
    app_runtime.bus.publish(new_event(executed, time=now))
    app_runtime.dispatcher.drain()
    page = economy(_request(app_runtime, None))
    assert page.status == 200
    assert '<td>Basic income (monthly, in average wages)</td><td class="num">0.05</td>' in (
        page.html
    )
    assert '<a href="/governance/proposals/12">proposal 12: Basic income</a>' in page.html
    assert "No proposal has changed it yet." not in page.html


def test_the_agents_page_lists_the_owners_agents_only(app_runtime: LocalRuntime) -> None:
    agents = app_runtime.features.agents
    now = agents.clock.now()
    for owner, name in (("ada", "market-analyst"), ("bob", "bobs-secret-agent")):
        register_agent(agents.documents, owner, name, ["analysis"], "local", limit=5, now=now)
    page = agents_week(_request(app_runtime, "ada", week="2026-W44"))
    assert page.status == 200
    assert "market-analyst" in page.html and "bobs-secret-agent" not in page.html
    assert "26 Oct - 01 Nov 2026" in page.html  # ISO week 44 of 2026
    missing = agents_week(_request(app_runtime, "ada", week="2026-W99"))
    assert missing.status == 404
    signed_out = agents_week(_request(app_runtime, None, week="2026-W44"))
    assert signed_out.status == 200 and "Sign in" in signed_out.html
