"""The impact preview on the proposal's page, without a browser: the form says what
proposing costs, the page polls the preview (htmx) while it runs, then shows a table of
differences with a caption, units and intervals; the polled fragment is the same
section alone."""

from __future__ import annotations

import uuid

import pytest

from shared.api.spec import Principal
from shared.events.envelope import new_event
from shared.money import Token, to_minor
from shared.runtime.local import LocalRuntime
from shared.settings import Settings
from shared.simulation.events import LiveEconomyAdvanceRequested, SimulationPolicyChanged
from shared.web.governance_pages import delegation, impact_fragment, new_proposal, proposal
from shared.web.spec import PageRequest
from tests.support.api import ApiClient, UserClient


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={
            "impact_preview_seeds": 2,
            "prices": {"simulation": "1", "simulation_per_million_household_months": "5"},
        }
    )


def _req(
    runtime: LocalRuntime, user: UserClient, form: dict[str, str] | None = None, **path: str
) -> PageRequest:
    return PageRequest(
        features=runtime.features,
        method="POST" if form is not None else "GET",
        path_params=path,
        query={},
        form=form or {},
        csrf_token="t",
        principal=Principal(user.user_id, verified=True),
    )


def test_the_proposal_page_follows_its_preview_then_shows_the_differences(
    api: ApiClient, app_runtime: LocalRuntime
) -> None:
    app_runtime.bus.publish(
        new_event(LiveEconomyAdvanceRequested(households=1000, warm_up=12), source="test")
    )
    app_runtime.dispatcher.drain()
    ada = api.user("ada")
    app_runtime.features.ledger.mint(
        Token.AIA_GOV, to_minor("2000"), f"test:{uuid.uuid4()}", "test", to_user=ada.user_id
    )
    assert delegation(_req(app_runtime, ada, {"do": "self"})).redirect
    basic_income = {"title": "Basic income", "description": "A fifth.", "basic_income": "20"}

    # without the AIA the form says so, and no proposal is made
    broke = new_proposal(_req(app_runtime, ada, basic_income))
    assert broke.status == 400 and broke.redirect is None
    assert "this impact preview costs 2.4 AIA" in broke.html
    assert app_runtime.features.governance.store.proposals(10, None) == []
    app_runtime.features.ledger.mint(
        Token.AIA, to_minor("10"), f"test:{uuid.uuid4()}", "test", to_user=ada.user_id
    )

    form = new_proposal(_req(app_runtime, ada))
    assert 'id="impact-price"' in form.html
    assert "You pay 2.4 AIA when you propose" in form.html
    assert "1,000 households" in form.html

    made = new_proposal(_req(app_runtime, ada, basic_income))
    assert made.redirect is not None, made.html
    number = made.redirect.rsplit("/", 1)[1]

    running = proposal(_req(app_runtime, ada, proposal_id=number)).html
    assert f'hx-get="/governance/proposals/{number}/impact"' in running
    assert 'hx-trigger="every 2s"' in running
    assert '<progress id="impact-progress"' in running and "Simulated months done: 0 %" in running
    assert "Paid by the proposer: 2.4 AIA" in running

    app_runtime.dispatcher.drain()
    fragment = impact_fragment(_req(app_runtime, ada, proposal_id=number)).html
    assert fragment.lstrip().startswith("{#") is False
    assert 'id="impact"' in fragment and "hx-get" not in fragment  # ready: polling stops
    assert "<caption>Effect of the change: with it minus without it" in fragment
    assert '<th scope="row">Unemployment</th><td>percentage points</td>' in fragment
    assert '<th scope="row">Real GDP</th><td>% of the unchanged value</td>' in fragment
    assert fragment.count("95 %:") == 7 * 3  # every measure at every horizon
    assert "After 10 years" in fragment

    page = proposal(_req(app_runtime, ada, proposal_id=number)).html
    assert "<caption>Effect of the change" in page and "hx-get" not in page

    assert 'id="impact-baseline"' not in page  # the policy it compared against holds

    # another decision moves the live policy: the figures stay, with a notice
    app_runtime.bus.publish(
        new_event(
            SimulationPolicyChanged(
                simulation_id="live", changes={"monetary": {"inflation_target": 0.03}}
            ),
            source="test",
        )
    )
    app_runtime.dispatcher.drain()
    moved = impact_fragment(_req(app_runtime, ada, proposal_id=number)).html
    assert 'id="impact-baseline"' in moved and "a policy no longer in force" in moved
    assert "<caption>Effect of the change" in moved

    assert impact_fragment(_req(app_runtime, ada, proposal_id="999")).status == 404
