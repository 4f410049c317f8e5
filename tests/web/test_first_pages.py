"""The web app's first pages in Debian's Chromium against `aia serve`: each does its job
through the platform (verifying verifies, resetting resets, preferences are saved), and
each passes the page checks (one <h1>, labelled fields, no CSP violation, axe-core) at
phone and desktop widths within the page-weight budget."""

from __future__ import annotations

from selenium.webdriver.common.by import By

from tests.web.browser import (
    PAGE_WEIGHT_BUDGET,
    check_page,
    chromium,
    fill,
    heading,
    page_weight,
    submit,
)
from tests.web.conftest import ADMIN, PASSWORD, Site, links_in

NEW_PASSWORD = "a brand new passphrase 2027"


def test_verify_reset_and_preferences_do_their_jobs(site: Site) -> None:
    email, _ = site.register("ada")
    welcome = site.mail(email, "Welcome to AIA")
    [verify] = [u for u in links_in(welcome) if "/verify-email?token=" in u]
    with chromium(390) as driver:
        # the link from the welcome email: a button, and nothing verified by opening it
        driver.get(verify)
        check_page(driver)
        assert heading(driver) == "Confirm your email address"
        token = site.login(email)
        assert site.api("GET", "/v1/me", token).json()["email_verified"] is False
        submit(driver, "Confirm my email address")
        assert heading(driver) == "Your address is confirmed"
        check_page(driver)
        assert site.api("GET", "/v1/me", token).json()["email_verified"] is True

        # forgot the password: ask on the page, follow the mailed link, choose a new one
        driver.get(site.base + "/reset-password")
        check_page(driver)
        fill(driver, {"email": email})
        submit(driver, "Email me a reset link")
        assert "a reset link is on its way" in driver.page_source
        [reset] = [u for u in links_in(site.mail(email, "Reset")) if "/reset-password?token=" in u]
        driver.get(reset)
        check_page(driver)
        fill(driver, {"new_password": NEW_PASSWORD, "confirm_password": "something else"})
        submit(driver, "Set my new password")
        assert "the two passwords differ" in driver.page_source  # shown beside the field
        check_page(driver)
        fill(driver, {"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD})
        submit(driver, "Set my new password")
        assert heading(driver) == "Your password is changed"
        old = site.api("POST", "/v1/auth/login", json={"email": email, "password": PASSWORD})
        assert old.status_code == 401
        token = site.login(email, NEW_PASSWORD)

    with chromium(1280) as driver:
        # the preferences link of every email: sign in first, then back to the page
        driver.get(site.base + "/settings/email")
        assert heading(driver) == "Sign in"
        check_page(driver)
        fill(driver, {"email": email, "password": NEW_PASSWORD})
        submit(driver, "Sign in")
        assert heading(driver) == "Email preferences"
        check_page(driver)
        assert page_weight(driver) <= PAGE_WEIGHT_BUDGET
        security = driver.find_element(By.ID, "category-security")
        assert security.is_selected() and not security.is_enabled()
        governance = driver.find_element(By.ID, "category-governance")
        assert governance.is_selected()
        governance.click()
        submit(driver, "Save my preferences")
        main = driver.find_element(By.TAG_NAME, "main").get_attribute("innerHTML")
        assert "Your email preferences are saved." in main, main
        check_page(driver)
        chosen = site.api("GET", "/v1/emails/preferences", token).json()["categories"]
        assert chosen["governance"] is False and chosen["reports"] is True
        driver.refresh()
        assert not driver.find_element(By.ID, "category-governance").is_selected()


def test_a_report_and_a_proposal_open_for_their_reader(site: Site) -> None:
    from tests.venture.conftest import report_body

    admin = site.login(ADMIN[0], ADMIN[1])
    email, user_id = site.register("bea")
    for token, amount in (("AIA", "100"), ("AIA_GOV", "5000")):
        minted = site.api(
            "POST",
            "/v1/admin/mint",
            admin,
            json={"user_id": user_id, "token": token, "amount": amount, "reason": "test"},
        )
        assert minted.status_code == 201, minted.text
    token = site.login(email)
    delegated = site.api("POST", "/v1/governance/delegate", token, json={"to": user_id})
    assert delegated.status_code == 200, delegated.text
    started = site.api("POST", "/v1/venture/reports", token, json=report_body())
    assert started.status_code == 202, started.text
    report_id = started.json()["id"]
    proposal = site.api(
        "POST",
        "/v1/governance/proposals",
        token,
        json={
            "title": "A firmer answer to inflation",
            "description": "Raise the Taylor rule's inflation response.",
            "actions": [{"type": "taylor_rule", "inflation_response": 1.8}],
        },
    )
    assert proposal.status_code == 201, proposal.text
    proposal_id = proposal.json()["id"]

    def completed() -> bool:
        view = site.api("GET", f"/v1/venture/reports/{report_id}", token).json()
        return bool(view["status"] == "completed")

    from tests.support.serve import wait_until

    wait_until(completed, 60)
    with chromium(390) as driver:
        driver.get(f"{site.base}/venture/reports/{report_id}")
        fill(driver, {"email": email, "password": PASSWORD})
        submit(driver, "Sign in")
        assert heading(driver) == "Acme forecasting"
        assert "TAM (total addressable)" in driver.page_source
        check_page(driver)
        driver.get(f"{site.base}/governance/proposals/{proposal_id}")
        assert heading(driver) == f"Proposal {proposal_id}: A firmer answer to inflation"
        actions = driver.find_element(By.CSS_SELECTOR, "section ul").text
        assert "Taylor rule: response to inflation 1.8" in actions, actions
        check_page(driver)
        # another reader's report reads as missing
        other, _ = site.register("cy")
        driver.find_element(By.XPATH, "//button[.='Sign out']").click()
        driver.get(f"{site.base}/sign-in")
        fill(driver, {"email": other, "password": PASSWORD})
        submit(driver, "Sign in")
        driver.get(f"{site.base}/venture/reports/{report_id}")
        assert heading(driver) == "Not found"


def test_the_economy_and_agents_pages_pass_the_page_checks(site: Site) -> None:
    email, _ = site.register("dora")
    with chromium(1280) as driver:
        driver.get(f"{site.base}/economy")
        assert heading(driver) == "The live economy"
        check_page(driver)
        driver.get(f"{site.base}/agents?week=2026-W44")
        fill(driver, {"email": email, "password": PASSWORD})
        submit(driver, "Sign in")
        assert heading(driver) == "Your agents, 2026-W44"
        check_page(driver)


def test_sign_out_ends_the_session_not_only_the_cookie(site: Site) -> None:
    """A copy of the session cookie (another tab, a stolen one) stops working at sign-out."""
    import requests

    email, _ = site.register("finn")
    with chromium(1280) as driver:
        driver.get(f"{site.base}/sign-in")
        fill(driver, {"email": email, "password": PASSWORD})
        submit(driver, "Sign in")
        [cookie] = [c for c in driver.get_cookies() if c["name"] == "aia_session"]
        copy = {"aia_session": cookie["value"]}
        before = requests.get(f"{site.base}/settings/email", cookies=copy, timeout=10)
        assert "Sign in" not in before.text and before.status_code == 200
        driver.get(f"{site.base}/settings/email")
        submit(driver, "Sign out")  # waits for the page the sign-out answers
        assert heading(driver) == "Sign in"
        # the browser given the old cookie back is signed out as well
        driver.add_cookie({"name": "aia_session", "value": cookie["value"], "path": "/"})
        driver.get(f"{site.base}/settings/email")
        assert heading(driver) == "Sign in"
    after = requests.get(f"{site.base}/settings/email", cookies=copy, timeout=10)
    assert after.status_code == 200 and "Sign in" in after.text  # the sign-in form again
    api = requests.get(
        f"{site.base}/v1/me", headers={"Authorization": f"Bearer {copy['aia_session']}"}, timeout=10
    )
    assert api.status_code == 401
