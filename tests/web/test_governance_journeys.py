"""Governance and agents journeys in Debian's Chromium against `aia serve`, through the UI
only (setup that is not the journey, minting AIA_GOV as an admin, goes through the API):
a holder votes herself, another delegates to her by email address, she proposes a policy
change, votes For with a conviction lock and sees the quorum reached; an owner registers
an agent, reports a task and finds it in the rankings. Governance runs on short timings
(voting opens at once); every page passes the page checks at 390 and 1280 px."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By

from tests.web.browser import (
    PAGE_WEIGHT_BUDGET,
    check_page,
    chromium,
    fill,
    heading,
    page_weight,
    screenshot,
    sign_in,
    submit,
)
from tests.web.conftest import ADMIN, PASSWORD, Site, links_in, serve_site


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The web tests' server, with governance on short timings: voting opens as soon as a
    proposal is made and lasts a minute; an agent with one task is ranked."""
    timings = {
        "AIA_GOVERNANCE_VOTING_DELAY_SECONDS": "0",
        "AIA_GOVERNANCE_VOTING_PERIOD_SECONDS": "60",
        "AIA_GOVERNANCE_TIMELOCK_SECONDS": "0",
        "AIA_AGENT_MIN_TASKS": "1",
    }
    with serve_site(tmp_path_factory, timings) as running:
        yield running


def _verified_user(site: Site, name: str, driver: webdriver.Chrome) -> tuple[str, str]:
    """A user who confirmed their address through the welcome email's link."""
    email, user_id = site.register(name)
    [verify] = [u for u in links_in(site.mail(email, "Welcome to AIA")) if "/verify-email?" in u]
    driver.get(verify)
    submit(driver, "Confirm my email address")
    assert heading(driver) == "Your address is confirmed"
    return email, user_id


def _mint_gov(site: Site, user_id: str, amount: str) -> None:
    admin = site.login(*ADMIN)
    body = {"user_id": user_id, "token": "AIA_GOV", "amount": amount, "reason": "test setup"}
    reply = site.api("POST", "/v1/admin/mint", admin, json=body)
    assert reply.status_code == 201, reply.text


def _checked(wide: webdriver.Chrome, narrow: webdriver.Chrome, path: str) -> None:
    """The page the wide browser shows passes the checks there and at a phone's width."""
    check_page(wide)
    assert page_weight(wide) <= PAGE_WEIGHT_BUDGET
    narrow.get(wide.current_url.split("?")[0] if path == "" else path)
    check_page(narrow)


def test_a_holder_proposes_and_votes_with_a_delegate(site: Site) -> None:
    with chromium(1280) as ada_wide, chromium(390) as ada_phone:
        ada, ada_id = _verified_user(site, "ada", ada_wide)
        bob, bob_id = site.register("bob")
        _mint_gov(site, ada_id, "2000")
        _mint_gov(site, bob_id, "1000")
        sign_in(ada_wide, site.base, ada, PASSWORD)
        sign_in(ada_phone, site.base, ada, PASSWORD)

        # ada votes herself
        ada_wide.get(site.base + "/governance/delegation")
        assert heading(ada_wide) == "Delegate your votes"
        _checked(ada_wide, ada_phone, site.base + "/governance/delegation")
        submit(ada_wide, "Vote myself")
        assert "You vote yourself now" in ada_wide.page_source
        assert "2,000 AIA_GOV" in ada_wide.find_element(By.TAG_NAME, "main").text

        # bob delegates to her by her email address; a wrong address is said beside the field
        with chromium(390) as bob_phone:
            sign_in(bob_phone, site.base, bob, PASSWORD)
            bob_phone.get(site.base + "/governance/delegation")
            fill(bob_phone, {"to": "nobody@example.com"})
            submit(bob_phone, "Delegate")
            assert bob_phone.find_element(By.ID, "to-error").is_displayed()
            check_page(bob_phone)
            fill(bob_phone, {"to": ada})
            submit(bob_phone, "Delegate")
            assert "Your votes are delegated." in bob_phone.page_source
            delegate = bob_phone.find_element(By.CSS_SELECTOR, "dl.facts dd").text
            assert delegate == "Ada" and ada not in bob_phone.page_source  # a name, no address
            check_page(bob_phone)

        # she proposes: a rate out of bounds is refused beside the tax schedule, then it goes
        ada_wide.get(site.base + "/governance")
        assert "3,000 AIA_GOV" in ada_wide.find_element(By.TAG_NAME, "main").text
        ada_wide.get(site.base + "/governance/proposals/new")
        _checked(ada_wide, ada_phone, site.base + "/governance/proposals/new")
        brackets = [("0", "10"), ("0.5", "22"), ("1.25", "33"), ("3", "142")]
        values = {"title": "Cut income tax", "description": "Lower every rate to lift demand."}
        for i, (threshold, rate) in enumerate(brackets):
            values[f"bracket_{i}_threshold"] = threshold
            values[f"bracket_{i}_rate"] = rate
        fill(ada_wide, {**values, "inflation_target": "2.5"})
        submit(ada_wide, "Propose")
        assert "0.75" in ada_wide.find_element(By.ID, "tax_brackets-error").text
        check_page(ada_wide)
        fill(ada_wide, {"bracket_3_rate": "42"})
        submit(ada_wide, "Propose")
        assert heading(ada_wide).endswith(": Cut income tax")
        proposal_url = ada_wide.current_url
        main = ada_wide.find_element(By.TAG_NAME, "main").text
        assert "Inflation target: 2.5 % a year" in main
        assert "42 % above 3 average annual wages" in main

        # voting is open: she votes For, locking her AIA_GOV for one period
        ada_wide.get(proposal_url)
        assert "Cast my vote" in ada_wide.page_source
        _checked(ada_wide, ada_phone, proposal_url)
        ada_wide.find_element(By.ID, "support-for").click()
        fill(ada_wide, {"conviction": "1", "reason": "Demand has lagged for a year."})
        submit(ada_wide, "Cast my vote")
        main = ada_wide.find_element(By.TAG_NAME, "main").text
        assert "Your vote is counted." in main
        assert "You voted for" in main and ": reached." in main
        quorum = ada_wide.find_element(By.ID, "quorum-progress")
        assert quorum.get_attribute("value") == "100"
        _checked(ada_wide, ada_phone, proposal_url)
        screenshot(ada_wide, "governance-proposal")
        screenshot(ada_phone, "governance-proposal")

        # the list: her proposal open for voting, her voting power with bob's votes
        ada_wide.get(site.base + "/governance")
        assert "Open for voting (1)" in ada_wide.page_source
        rules = ada_wide.find_element(By.CSS_SELECTOR, "section[aria-labelledby=rules]").text
        assert "Voting period" in rules and "Timelock" in rules  # as the API's parameters
        _checked(ada_wide, ada_phone, site.base + "/governance")
        screenshot(ada_wide, "governance-list")
        screenshot(ada_phone, "governance-list")

    token = site.login(ada)
    pid = proposal_url.rsplit("/", 1)[1]
    seen = site.api("GET", f"/v1/governance/proposals/{pid}", token).json()
    assert seen["your_vote"]["support"] == "for" and seen["your_vote"]["conviction"] == 1
    assert seen["tally"]["for_power"] == "3000.000000"  # hers and bob's, delegated


def test_an_owner_registers_an_agent_and_finds_it_ranked(site: Site) -> None:
    email, _ = site.register("carol")
    with chromium(1280) as wide, chromium(390) as phone:
        sign_in(wide, site.base, email, PASSWORD)
        sign_in(phone, site.base, email, PASSWORD)
        wide.get(site.base + "/agents")
        assert heading(wide) == "Your agents"
        _checked(wide, phone, site.base + "/agents")
        fill(wide, {"name": "Forecaster", "model_provider": "Big Co"})
        submit(wide, "Register the agent")
        assert wide.find_element(By.ID, "model_provider-error").is_displayed()
        check_page(wide)
        fill(wide, {"model_provider": "local", "capabilities": "simulation, venture_report"})
        submit(wide, "Register the agent")
        assert heading(wide) == "Forecaster"
        agent_url = wide.current_url.split("?")[0]
        fill(
            wide,
            {
                "task_id": "forecast-1",
                "task_type": "simulation",
                "accuracy": "0.9",
                "completeness": "1",
                "timeliness": "1",
                "quality": "0.8",
                "cost": "0.2",
            },
        )
        submit(wide, "Record the task")
        main = wide.find_element(By.TAG_NAME, "main").text
        assert "The task is recorded, as self-reported." in main
        assert "1: 0 observed by the platform, 1 self-reported" in main
        _checked(wide, phone, agent_url)

        wide.get(site.base + "/agents/rankings")
        row = wide.find_element(By.XPATH, "//tr[td/a[text()='Forecaster']]").text
        assert row.startswith("1 Forecaster (yours) local")
        _checked(wide, phone, site.base + "/agents/rankings")

        wide.get(site.base + "/agents")
        assert "Forecaster" in wide.find_element(By.TAG_NAME, "main").text
        _checked(wide, phone, site.base + "/agents")
        screenshot(wide, "agents")
        screenshot(phone, "agents")
