"""A new person's account journey in Debian's Chromium, through the UI only: register,
confirm the address from the mailed link, sign in, change the profile, create an API key
and use it on the API (then revoke it: 401), and sign out everywhere. Every page passes
the page checks at phone and desktop widths."""

from __future__ import annotations

import requests
from selenium.webdriver import Chrome
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
from tests.web.conftest import PASSWORD, Site, links_in

EMAIL = "gwen@example.com"


def _checked(driver: Chrome, name: str | None = None) -> None:
    check_page(driver)
    assert page_weight(driver) <= PAGE_WEIGHT_BUDGET
    if name:
        screenshot(driver, name)


def test_register_verify_profile_api_key_and_sign_out_everywhere(site: Site) -> None:
    with chromium(390) as driver:
        driver.get(site.base + "/")
        driver.find_element(By.LINK_TEXT, "Register").click()
        assert heading(driver) == "Create your account"
        _checked(driver, "register")
        fill(driver, {"name": "Gwen", "email": EMAIL, "password": "short"})
        submit(driver, "Create my account")
        assert "must be at least 12 characters" in driver.find_element(By.ID, "password-error").text
        _checked(driver)
        fill(driver, {"password": PASSWORD})
        submit(driver, "Create my account")
        assert heading(driver) == "Check your email"
        _checked(driver)

        [verify] = [
            u for u in links_in(site.mail(EMAIL, "Welcome to AIA")) if "/verify-email?" in u
        ]
        driver.get(verify)
        submit(driver, "Confirm my email address")
        assert heading(driver) == "Your address is confirmed"

        sign_in(driver, site.base, EMAIL, PASSWORD)
        driver.get(site.base + "/settings/profile")
        assert heading(driver) == "Your profile"
        assert "Confirmed" in driver.find_element(By.ID, "main").text
        _checked(driver, "settings-profile")
        fill(driver, {"name": "Gwen Harwood"})
        submit(driver, "Save my name")
        assert "Your name is saved." in driver.page_source
        fill(driver, {"handle": "9"})
        submit(driver, "Save my handle")
        assert driver.find_element(By.ID, "handle-error").is_displayed()
        _checked(driver)
        fill(driver, {"handle": "gwen"})
        submit(driver, "Save my handle")
        assert "Your handle is saved." in driver.page_source
        driver.find_element(By.LINK_TEXT, "API keys").click()
        fill(driver, {"name": "laptop"})
        submit(driver, "Create the key")
        assert driver.find_element(By.ID, "new-key").text.startswith("aia_")
        _checked(driver, "settings-api-keys")

    with chromium(1280) as driver:
        driver.get(site.base + "/register")
        _checked(driver, "register")
        sign_in(driver, site.base, EMAIL, PASSWORD)
        driver.get(site.base + "/settings/profile")
        _checked(driver, "settings-profile")
        driver.find_element(By.LINK_TEXT, "API keys").click()
        assert heading(driver) == "Your API keys"
        _checked(driver)
        fill(driver, {"name": "nightly export"})
        driver.find_element(By.ID, "scope-write").click()
        submit(driver, "Create the key")
        secret = driver.find_element(By.ID, "new-key").text
        assert secret.startswith("aia_")
        _checked(driver, "settings-api-keys")
        me = requests.get(site.base + "/v1/me", headers={"X-API-Key": secret}, timeout=10)
        assert me.status_code == 200, me.text
        assert me.json()["name"] == "Gwen Harwood" and me.json()["handle"] == "gwen"
        # shown once: the list afterwards holds only its first characters
        driver.get(site.base + "/settings/api-keys")
        assert secret not in driver.page_source
        driver.find_element(By.XPATH, "//tr[td[.='nightly export']]//a").click()
        assert heading(driver) == "Revoke the key nightly export?"
        _checked(driver)
        submit(driver, "Revoke the key")
        assert "The key is revoked." in driver.page_source
        _checked(driver)
        gone = requests.get(site.base + "/v1/me", headers={"X-API-Key": secret}, timeout=10)
        assert gone.status_code == 401

        driver.find_element(By.LINK_TEXT, "Email preferences").click()
        assert heading(driver) == "Email preferences"
        token = site.login(EMAIL)  # a session elsewhere, e.g. a script's
        driver.find_element(By.LINK_TEXT, "Profile").click()
        submit(driver, "Sign out everywhere")
        assert heading(driver) == "You are signed out everywhere"
        _checked(driver)
        assert site.api("GET", "/v1/me", token).status_code == 401
        driver.get(site.base + "/settings/profile")
        assert heading(driver) == "Sign in"
