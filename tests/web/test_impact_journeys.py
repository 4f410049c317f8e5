"""The impact preview in Debian's Chromium against `aia serve`: a holder sees on the form
what proposing costs, proposes a basic income, and watches her proposal's page go from
the preview's progress to its table of differences (htmx polling), which passes the page
checks at 1280 and 390 px; the follow-up mail arrives. Setup that is not the journey
goes through the API, and the live economy is started by its schedule's event."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from selenium.webdriver.common.by import By

from shared.events.envelope import new_event
from shared.simulation.events import LiveEconomyAdvanceRequested
from tests.web.browser import check_page, chromium, fill, heading, sign_in, submit, wait_until
from tests.web.conftest import PASSWORD, Site, serve_site
from tests.web.test_governance_journeys import _mint_gov, _verified_user


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """Voting opens at once; the preview runs two seeds."""
    timings = {"AIA_GOVERNANCE_VOTING_DELAY_SECONDS": "0", "AIA_IMPACT_PREVIEW_SEEDS": "2"}
    with serve_site(tmp_path_factory, timings) as running:
        yield running


def _start_the_live_economy(site: Site, email: str) -> None:
    """Before the live economy runs, a proposal has nothing to preview from; then the
    schedule's first request starts it, published on the server's own embedded bus (its
    SQLite file) as its scheduler would. (That a decided change starts it too is
    tests/governance/test_decisions.py's: here it cost a minute's voting period.)"""
    token = site.login(email)
    body = {
        "title": "Raise the inflation target to 3 %",
        "description": "A little more room.",
        "actions": [{"type": "inflation_target", "inflation_target": 0.03}],
    }
    made = site.api("POST", "/v1/governance/proposals", token, json=body)
    assert made.status_code == 201, made.text
    assert made.json()["impact"]["status"] == "not_applicable"  # nothing to run from yet
    pid = made.json()["id"]
    gone = site.api("POST", f"/v1/governance/proposals/{pid}/cancel", token)
    assert gone.status_code == 200, gone.text  # one open proposal per proposer
    site.bus().publish(new_event(LiveEconomyAdvanceRequested(), source="//test/schedule"))
    deadline = time.monotonic() + 60
    while not site.api("GET", "/v1/governance/impact-quote", token).json()["available"]:
        assert time.monotonic() < deadline, "the live economy did not start"
        time.sleep(0.5)


def test_a_holder_sees_the_price_then_the_expected_effects(site: Site) -> None:
    with chromium(1280) as wide, chromium(390) as phone:
        ada, ada_id = _verified_user(site, "ada", wide)
        _mint_gov(site, ada_id, "2000")
        token = site.login(ada)
        assert site.api("POST", "/v1/governance/delegate", token, json={"to": ada_id}).ok
        _start_the_live_economy(site, ada)
        sign_in(wide, site.base, ada, PASSWORD)
        sign_in(phone, site.base, ada, PASSWORD)

        wide.get(site.base + "/governance/proposals/new")
        price = wide.find_element(By.ID, "impact-price").text
        assert "You pay 24 AIA when you propose" in price  # 2 seeds x 2 x 10,000 x 120
        check_page(wide)
        fill(
            wide,
            {"title": "Basic income", "description": "A fifth of the wage.", "basic_income": "20"},
        )
        submit(wide, "Propose")
        assert heading(wide).endswith(": Basic income")
        url = wide.current_url.split("?")[0]

        def ready() -> bool:
            return bool(wide.find_elements(By.ID, "impact-table"))

        wait_until(wide, ready, "the impact table never appeared", timeout=90)
        table = wide.find_element(By.ID, "impact-table")
        caption = table.find_element(By.TAG_NAME, "caption").text
        assert caption.startswith("Effect of the change: with it minus without it")
        assert "percentage points" in table.text and "After 10 years" in table.text
        assert "Paid by the proposer: 24 AIA" in wide.find_element(By.ID, "impact").text
        check_page(wide)
        phone.get(url)
        assert phone.find_elements(By.ID, "impact-table")
        check_page(phone)

    text = site.mail(ada, "What the model expects: Basic income", timeout=60)
    assert "over 2 random seeds" in text and url in text
