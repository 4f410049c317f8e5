"""The wallet's journeys in Debian's Chromium against `aia serve`, through the UI only:
buying AIA through Stripe Checkout (a local stand-in of Stripe's API and payment page; the
payment is confirmed by a webhook the test signs as Stripe does), a transfer by email
address with its confirmation step, and the history's filters. Every page visited passes
the page checks at phone and desktop widths."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.by import By

from tests.payments.stripe_standin import stripe_standin
from tests.payments.webhooks import WEBHOOK_SECRET, sign
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
    wait_until,
)
from tests.web.conftest import ADMIN, PASSWORD, Site, links_in, serve_site

WIDTHS = (390, 1280)


@pytest.fixture(scope="module")
def stripe() -> Iterator[str]:
    with stripe_standin(checkout_pages=True) as (url, _):
        yield url


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, stripe: str) -> Iterator[Site]:
    env = {
        "STRIPE_SECRET_KEY": "sk_test_aia",
        "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "AIA_STRIPE_API_BASE": stripe,
        "AIA_STRIPE_CHECKOUT_ORIGIN": stripe,
    }
    with serve_site(tmp_path_factory, env) as running:
        yield running


def confirmed_user(site: Site, name: str) -> tuple[str, str]:
    """A registered user who has opened the welcome email's link (setup, not the journey)."""
    email, user_id = site.register(name)
    [link] = [
        u for u in links_in(site.mail(email, "Welcome to AIA")) if "/verify-email?token=" in u
    ]
    token = parse_qs(urlsplit(link).query)["token"][0]
    reply = site.api("POST", "/v1/auth/verify-email", json={"token": token})
    assert reply.status_code == 200, reply.text
    return email, user_id


def mint(site: Site, user_id: str, amount: str, token: str = "AIA") -> None:
    admin = site.login(*ADMIN)
    body = {"user_id": user_id, "token": token, "amount": amount, "reason": "journey setup"}
    reply = site.api("POST", "/v1/admin/mint", admin, json=body)
    assert reply.status_code == 201, reply.text


def checked(driver: WebDriver, shot: str | None = None) -> None:
    check_page(driver)
    assert page_weight(driver) <= PAGE_WEIGHT_BUDGET
    if shot:
        screenshot(driver, shot)


def wait_for(driver: WebDriver, words: str, timeout: float = 20) -> None:
    wait_until(
        driver,
        lambda: words in driver.find_element(By.TAG_NAME, "main").text,
        f"no {words!r}",
        timeout=timeout,
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_buys_aia_via_the_signed_webhook_stand_in(site: Site, stripe: str, width: int) -> None:
    email, user_id = confirmed_user(site, f"buyer{width}")
    with chromium(width) as driver:
        sign_in(driver, site.base, email, PASSWORD)
        assert heading(driver) == "Your AIA workspace"
        driver.find_element(By.LINK_TEXT, "Buy AIA").click()
        assert heading(driver) == "Buy AIA"
        checked(driver)
        driver.find_element(By.ID, "pack-aia-1000").click()
        submit(driver, "Pay with Stripe")
        # Stripe's page (the stand-in's): paying there sends the buyer back
        assert driver.current_url.startswith(stripe + "/c/pay/cs_test_")
        session_id = driver.current_url.rsplit("/", 1)[1]
        driver.find_element(By.ID, "pay").click()
        assert heading(driver) == "Your purchase"
        assert driver.current_url.startswith(site.base + "/wallet/buy/return?session_id=")
        assert "Waiting for Stripe to confirm" in driver.find_element(By.TAG_NAME, "main").text
        checked(driver)

        # Stripe confirms: the signed webhook, as Stripe sends it; the page sees it by itself
        paid = {
            "id": session_id,
            "object": "checkout.session",
            "client_reference_id": user_id,
            "metadata": {"aia_amount": "1000"},
            "payment_status": "paid",
            "payment_intent": f"pi_{uuid.uuid4().hex[:16]}",
        }
        payload = json.dumps(
            {
                "id": f"evt_{uuid.uuid4().hex}",
                "object": "event",
                "type": "checkout.session.completed",
                "data": {"object": paid},
            }
        )
        reply = requests.post(
            site.base + "/v1/payments/stripe/webhook",
            data=payload,
            headers={"Stripe-Signature": sign(payload), "Content-Type": "application/json"},
            timeout=30,
        )
        assert reply.status_code == 200 and reply.json()["outcome"] == "credited", reply.text
        wait_for(driver, "1,000 AIA is in your wallet")  # htmx polling, no reload
        checked(driver)
        driver.find_element(By.LINK_TEXT, "See your wallet").click()
        assert "1,000 AIA" in driver.find_element(By.TAG_NAME, "main").text
        assert "Purchase (card)" in driver.find_element(By.TAG_NAME, "main").text
        checked(driver)


@pytest.mark.parametrize("width", WIDTHS)
def test_transfer_with_confirmation_and_history_filter(site: Site, width: int) -> None:
    ada, ada_id = confirmed_user(site, f"ada{width}")
    grace, _ = confirmed_user(site, f"grace{width}")
    mint(site, ada_id, "100")
    mint(site, ada_id, "3", "AIA_GOV")
    with chromium(width) as driver:
        sign_in(driver, site.base, ada, PASSWORD)
        assert heading(driver) == "Your AIA workspace"
        checked(driver, "home")

        driver.get(site.base + "/wallet/transfer")
        assert heading(driver) == "Send tokens"
        checked(driver, "wallet-transfer")
        # someone who has no account: the API's 404 words, beside the field; nothing sent
        fill(driver, {"to": "nobody@example.com", "amount": "12.5"})
        submit(driver, "Review the transfer")
        submit(driver, "Send 12.5 AIA")
        error = driver.find_element(By.ID, "to-error").text
        assert error.startswith("no account that can receive transfers goes by this name")
        checked(driver)

        fill(driver, {"to": grace, "amount": "12.5"})
        submit(driver, "Review the transfer")
        assert heading(driver) == "Confirm the transfer"
        main = driver.find_element(By.TAG_NAME, "main").text
        assert f"Send 12.5 AIA to {grace}?" in main
        assert "You pay 12.5125 AIA in all" in main
        checked(driver, "wallet-transfer-confirm")
        submit(driver, "Send 12.5 AIA")
        assert heading(driver) == "Sent"
        assert f"{grace} has received 12.5 AIA" in driver.find_element(By.TAG_NAME, "main").text
        checked(driver)
        grace_token = site.login(grace)
        wallet = site.api("GET", "/v1/wallet", grace_token).json()
        assert wallet["balances"]["AIA"] == "112.500000"  # the welcome grant and 12.5

        # the history, filtered to transfers: the one just sent, not the mints
        driver.find_element(By.LINK_TEXT, "See it in your history").click()
        assert heading(driver) == "Your wallet"
        fill(driver, {"kind": "transfer"})
        submit(driver, "Filter")
        assert "kind=transfer" in driver.current_url
        rows = driver.find_elements(By.CSS_SELECTOR, "table.entries tr")[1:]
        assert [r.find_elements(By.TAG_NAME, "td")[1].text for r in rows] == ["Transfer"]
        assert "-12.5125 AIA" in rows[0].text
        checked(driver)
        fill(driver, {"kind": "", "token": "AIA_GOV"})
        submit(driver, "Filter")
        rows = driver.find_elements(By.CSS_SELECTOR, "table.entries tr")[1:]
        assert len(rows) == 1 and "+3 AIA_GOV" in rows[0].text
        driver.find_element(By.LINK_TEXT, "Clear filters").click()
        assert (
            len(driver.find_elements(By.CSS_SELECTOR, "table.entries tr")) == 5
        )  # grant, two mints, the transfer
        checked(driver, "wallet")

        driver.get(site.base + "/wallet/staking")
        assert heading(driver) == "Staking"
        fill(driver, {"stake_amount": "20"})
        submit(driver, "Stake")
        assert "Staked 20 AIA." in driver.find_element(By.TAG_NAME, "main").text
        checked(driver, "wallet-staking")

        driver.get(site.base + "/")
        main = driver.find_element(By.TAG_NAME, "main").text
        assert "20 AIA" in main and "Transfer" in main
        checked(driver)
