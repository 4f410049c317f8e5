"""The main journey with the keyboard alone, in Debian's Chromium: sign in, open the
simulations from the menu, start a run, and hide a chart's series, pressing only Tab,
typing, Enter and Space. Every element Tab reaches shows where the focus is."""

from __future__ import annotations

from collections.abc import Callable

from selenium import webdriver
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webelement import WebElement

from tests.web.browser import chromium, heading, wait_until
from tests.web.conftest import PASSWORD, Site, links_in

MAX_TABS = 120
WAIT = 30  # seconds a page may take under a loaded test run


def press(driver: webdriver.Chrome, *keys: str) -> None:
    ActionChains(driver).send_keys(*keys).perform()


def tab_to(driver: webdriver.Chrome, wanted: Callable[[WebElement], bool], what: str) -> None:
    """Press Tab until the focused element is the one wanted; each stop must show its focus."""
    for _ in range(MAX_TABS):
        press(driver, Keys.TAB)
        focused = driver.switch_to.active_element
        outline = driver.execute_script(
            "const s = getComputedStyle(arguments[0]); return [s.outlineStyle, s.outlineWidth]",
            focused,
        )
        assert outline[0] != "none" and outline[1] != "0px", (
            f"{driver.current_url}: focus not shown on {focused.tag_name} {focused.text!r}"
        )
        if wanted(focused):
            return
    raise AssertionError(f"{driver.current_url}: Tab never reached {what}")


def named(name: str) -> Callable[[WebElement], bool]:
    return lambda e: e.get_attribute("name") == name


def text(words: str) -> Callable[[WebElement], bool]:
    return lambda e: e.text.strip() == words


def test_sign_in_start_a_run_and_read_its_chart_with_the_keyboard(site: Site) -> None:
    email, _ = site.register("kay")
    [verify] = [u for u in links_in(site.mail(email, "Welcome to AIA")) if "verify-email" in u]
    token = verify.split("token=", 1)[1]
    verified = site.api("POST", "/v1/auth/verify-email", json={"token": token})
    assert verified.status_code == 200, verified.text  # the welcome grant pays for the run

    with chromium(1280) as driver:
        driver.get(site.base + "/sign-in")
        tab_to(driver, named("email"), "the email field")
        press(driver, email)
        tab_to(driver, named("password"), "the password field")
        press(driver, PASSWORD, Keys.ENTER)
        wait_until(driver, lambda: heading(driver) != "Sign in", "signing in did nothing", WAIT)

        tab_to(driver, text("Simulations"), "the menu's Simulations")
        press(driver, Keys.ENTER)
        wait_until(driver, lambda: heading(driver) == "Simulations", "no Simulations page", WAIT)
        tab_to(driver, text("Start a simulation"), "the link to start one")
        press(driver, Keys.ENTER)
        wait_until(driver, lambda: heading(driver) == "Start a simulation", "no form", WAIT)

        for name, value in (("households", "200"), ("ticks", "6")):
            tab_to(driver, named(name), f"the {name} field")
            press(driver, Keys.CONTROL, "a", Keys.NULL, value)
        tab_to(driver, text("Start the simulation"), "the start button")
        press(driver, Keys.ENTER)
        wait_until(driver, lambda: heading(driver).startswith("Simulation "), "no run page", WAIT)
        wait_until(
            driver,
            lambda: bool(driver.find_elements("css selector", "figure.chart[data-drawn-ms]")),
            "the run's charts never drew",
            WAIT,
        )

        # a chart's legend entry is a switch: Space hides its series
        tab_to(driver, lambda e: e.get_attribute("role") == "switch", "a legend entry")
        switch = driver.switch_to.active_element
        assert switch.get_attribute("aria-checked") == "true"
        press(driver, Keys.SPACE)
        assert switch.get_attribute("aria-checked") == "false"
