"""The governance pages without a browser: proposing through the form (with its errors
beside the levers), voting with a conviction lock, and delegating by email address, each
through the governance service the API calls (so its rules answer)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from shared.adapters.local.clock import ManualClock
from shared.api.spec import Principal
from shared.money import Token, to_minor
from shared.runtime.local import LocalRuntime
from shared.settings import Settings
from shared.web.governance_pages import delegation, governance, new_proposal, proposal
from shared.web.spec import PageRequest
from tests.support.api import ApiClient, UserClient

DAY = 86_400


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"governance_quorum_bps": 1})


def _req(
    runtime: LocalRuntime,
    user: UserClient | None,
    form: dict[str, str] | None = None,
    **path: str,
) -> PageRequest:
    return PageRequest(
        features=runtime.features,
        method="POST" if form is not None else "GET",
        path_params=path,
        query={},
        form=form or {},
        csrf_token="t",
        principal=None if user is None else Principal(user.user_id, verified=True),
    )


def _fund(runtime: LocalRuntime, user: UserClient, amount: str) -> None:
    runtime.features.ledger.mint(
        Token.AIA_GOV, to_minor(amount), f"test:{uuid.uuid4()}", "test", to_user=user.user_id
    )


def _tax_cut() -> dict[str, str]:
    form = {"title": "Cut income tax", "description": "Lower every rate."}
    for i, (threshold, rate) in enumerate(
        [("0", "10"), ("0.5", "22"), ("1.25", "33"), ("3", "42")]
    ):
        form[f"bracket_{i}_threshold"] = threshold
        form[f"bracket_{i}_rate"] = rate
    return form


def test_propose_vote_and_see_it_counted(
    api: ApiClient, app_runtime: LocalRuntime, clock: ManualClock
) -> None:
    ada = api.user("ada")
    _fund(app_runtime, ada, "2000")
    page = delegation(_req(app_runtime, ada, {"do": "self"}))
    assert page.redirect == "/governance/delegation?done=self"
    clock.advance(1)

    made = new_proposal(_req(app_runtime, ada, {**_tax_cut(), "inflation_target": "2.5"}))
    assert made.redirect is not None, made.html
    number = made.redirect.rsplit("/", 1)[1]
    stored = app_runtime.features.governance.get(int(number))
    assert [b.rate for b in stored.actions[0].tax_brackets] == [0.10, 0.22, 0.33, 0.42]  # type: ignore[attr-defined]
    assert stored.changes["monetary"] == {"inflation_target": 0.025}

    listed = governance(_req(app_runtime, ada))
    assert "Voting opens soon (1)" in listed.html and "Cut income tax" in listed.html

    clock.advance(DAY + 1)
    shown = proposal(_req(app_runtime, ada, proposal_id=number))
    assert "Cast my vote" in shown.html and "weighs 1.1" in shown.html
    voted = proposal(
        _req(
            app_runtime,
            ada,
            {"do": "vote", "support": "for", "conviction": "1"},
            proposal_id=number,
        )
    )
    assert voted.redirect == f"/governance/proposals/{number}?done=voted"
    after = proposal(_req(app_runtime, ada, proposal_id=number))
    assert "You voted <strong>for</strong>" in after.html
    assert (
        "reached" in after.html
        and '<progress id="quorum-progress" max="100" value="100"' in after.html
    )
    assert "Cast my vote" not in after.html
    power = app_runtime.features.governance.voting_power(ada.user_id)
    assert power.locked == to_minor("2000")  # the conviction lock is booked, as by the API


def test_the_form_puts_each_error_beside_its_lever(
    api: ApiClient, app_runtime: LocalRuntime
) -> None:
    ada = api.user("ada")
    _fund(app_runtime, ada, "2000")
    delegation(_req(app_runtime, ada, {"do": "self"}))
    form: dict[str, Any] = {**_tax_cut(), "bracket_1_rate": "120", "smoothing": "abc"}
    page = new_proposal(_req(app_runtime, ada, form))
    assert page.status == 400
    assert 'id="taylor_rule-error"' in page.html and "is not a number" in page.html
    form["smoothing"] = ""
    page = new_proposal(_req(app_runtime, ada, form))
    assert page.status == 400
    assert 'id="tax_brackets-error"' in page.html and "0.75" in page.html
    nothing = new_proposal(_req(app_runtime, ada, {"title": "Nothing", "description": "x"}))
    assert nothing.status == 400 and "change at least one lever" in nothing.html
    assert app_runtime.features.governance.store.proposals(10, None) == []


def test_below_the_threshold_the_form_says_so_and_nothing_is_proposed(
    api: ApiClient, app_runtime: LocalRuntime
) -> None:
    bob = api.user("bob")
    _fund(app_runtime, bob, "10")
    delegation(_req(app_runtime, bob, {"do": "self"}))
    page = new_proposal(_req(app_runtime, bob, _tax_cut()))
    assert page.status == 400
    assert "proposing needs 1,000 AIA_GOV of voting power" in page.html
    assert app_runtime.features.governance.store.proposals(10, None) == []


def test_delegating_by_email_address_moves_the_votes(
    api: ApiClient, app_runtime: LocalRuntime
) -> None:
    ada, bob = api.user("ada"), api.user("bob")
    _fund(app_runtime, bob, "300")
    page = delegation(_req(app_runtime, bob, {"do": "other", "to": ada.email}))
    assert page.redirect == "/governance/delegation?done=other"
    service = app_runtime.features.governance
    assert service.voting_power(ada.user_id).votes == to_minor("300")
    shown = delegation(_req(app_runtime, bob))
    assert "<dd>ada</dd>" in shown.html and ada.email not in shown.html  # a name, never the address

    unknown = delegation(_req(app_runtime, bob, {"do": "other", "to": "nobody@example.com"}))
    assert unknown.status == 400 and 'id="to-error"' in unknown.html
    assert service.voting_power(bob.user_id).delegate == ada.user_id  # unchanged

    undelegated = delegation(_req(app_runtime, bob, {"do": "none"}))
    assert undelegated.redirect is not None
    assert service.voting_power(ada.user_id).votes == 0


def test_the_api_delegates_by_email_too_and_hides_unverified_accounts(api: ApiClient) -> None:
    ada, bob = api.user("ada"), api.user("bob")
    carol = api.user("carol", verified=False)
    reply = bob.post("/v1/governance/delegate", json={"to": ada.email})
    assert reply.status_code == 200 and dict(reply.json or {})["delegate"] == ada.user_id
    hidden = bob.post("/v1/governance/delegate", json={"to": carol.email})
    unknown = bob.post("/v1/governance/delegate", json={"to": "zed@example.com"})
    assert hidden.status_code == unknown.status_code == 404
    assert dict(hidden.json or {})["detail"] == dict(unknown.json or {})["detail"]


def test_a_user_without_power_is_told_why_and_sees_no_form(
    api: ApiClient, app_runtime: LocalRuntime, clock: ManualClock
) -> None:
    ada, bob = api.user("ada"), api.user("bob")
    _fund(app_runtime, ada, "2000")
    delegation(_req(app_runtime, ada, {"do": "self"}))
    clock.advance(1)
    made = new_proposal(_req(app_runtime, ada, _tax_cut()))
    assert made.redirect is not None
    number = made.redirect.rsplit("/", 1)[1]
    clock.advance(DAY + 1)
    page = proposal(_req(app_runtime, bob, proposal_id=number))
    assert "no voting power at this proposal's snapshot" in page.html
    assert "Cast my vote" not in page.html
    refused = proposal(_req(app_runtime, bob, {"do": "vote", "support": "for"}, proposal_id=number))
    assert refused.status == 400 and "no voting power" in refused.html
    missing = proposal(_req(app_runtime, bob, proposal_id="999"))
    assert missing.status == 404


def test_names_that_match_no_one_run_out(api: ApiClient, app_runtime: LocalRuntime) -> None:
    """Delegation cannot test a list of addresses: misses are limited per user."""
    bob = api.user("bob")
    for i in range(10):
        page = delegation(_req(app_runtime, bob, {"do": "other", "to": f"x{i}@example.com"}))
        assert page.status == 400 and "no account goes by this name" in page.html
    spent = delegation(_req(app_runtime, bob, {"do": "other", "to": "x10@example.com"}))
    assert spent.status == 400 and "too many delegations to names" in spent.html


def test_governance_shows_the_rules_the_api_gives(
    api: ApiClient, app_runtime: LocalRuntime
) -> None:
    """`GET /v1/governance/parameters` on /governance: the same rules, in words."""
    ada = api.user("ada")
    given = ada.get("/v1/governance/parameters").json
    assert given is not None
    html = governance(_req(app_runtime, ada)).html
    assert "The rules in force" in html
    for name in ("Proposal threshold", "Voting delay", "Voting period", "Quorum", "Timelock"):
        assert f"<dt>{name}</dt>" in html
    assert f"{given['quorum_percent']} % of the AIA_GOV in circulation" in html
    assert f"up to {given['conviction_max_periods']} periods" in html
