"""Venture journeys in Debian's Chromium against `aia serve`, through the pages only: a
user sizes a market (and sees TAM/SAM/SOM drawn), starts a paid report and watches it
complete in the list, and uses the other tools. Every page visited passes the page checks
at phone and desktop widths."""

from __future__ import annotations

import time

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
    wait_until,
)
from tests.web.conftest import ADMIN, PASSWORD, Site

WIDTHS = (390, 1280)


def _width(driver: webdriver.Chrome, width: int) -> None:
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600},
    )


def check_both(driver: webdriver.Chrome, shot: str | None = None) -> None:
    """The page checks at a phone's width and a desktop's (and its screenshots)."""
    for width in WIDTHS:
        _width(driver, width)
        _charts_drawn(driver)
        check_page(driver)
        if shot:
            screenshot(driver, shot)
    _width(driver, WIDTHS[-1])


def _charts_drawn(driver: webdriver.Chrome, timeout: float = 10) -> None:
    wait_until(
        driver,
        lambda: all(
            "drawn" in (f.get_attribute("class") or "")
            for f in driver.find_elements(By.CSS_SELECTOR, "figure[data-chart]")
        ),
        "a chart was not drawn",
        timeout=timeout,
    )


def _link(driver: webdriver.Chrome, text: str) -> None:
    driver.find_element(By.LINK_TEXT, text).click()
    time.sleep(0.05)


def test_a_user_sizes_a_market(site: Site) -> None:
    email, _ = site.register("vera")
    with chromium(1280) as driver:
        sign_in(driver, site.base, email, PASSWORD)
        driver.get(site.base + "/venture")
        assert heading(driver) == "Venture"
        check_both(driver)
        _link(driver, "Size a market")
        assert heading(driver) == "Size a market"
        check_both(driver)
        # a slip first: the error sits beside its field and the rest is kept
        fill(driver, {"customers": "-40", "region": "north_america"})
        submit(driver, "Size the market")
        error = driver.find_element(By.ID, "customers-error").text
        assert "greater than 0" in error, error
        assert driver.find_element(By.ID, "customers").get_attribute("aria-invalid") == "true"
        check_both(driver)
        fill(driver, {"customers": "50,000"})
        submit(driver, "Size the market")
        assert "Software as a service (SaaS), North America" in driver.page_source
        figures = driver.find_element(By.ID, "market-figures").text
        for level in ("TAM (total addressable)", "SAM (serviceable)", "SOM (obtainable)"):
            assert level in figures
        assert "Assumptions, each with its source" in driver.page_source
        figure = driver.find_element(By.ID, "market-levels")
        assert figure.get_attribute("data-chart") == "bars"
        check_both(driver, "venture-market")
        assert driver.find_elements(By.CSS_SELECTOR, "#market-levels canvas")
        assert page_weight(driver) <= PAGE_WEIGHT_BUDGET


def test_a_user_starts_a_report_and_sees_it_complete(site: Site) -> None:
    admin = site.login(*ADMIN)
    email, user_id = site.register("rhea")
    minted = site.api(
        "POST",
        "/v1/admin/mint",
        admin,
        json={"user_id": user_id, "token": "AIA", "amount": "20", "reason": "test"},
    )
    assert minted.status_code == 201, minted.text
    with chromium(1280) as driver:
        sign_in(driver, site.base, email, PASSWORD)
        driver.get(site.base + "/venture/reports")
        assert heading(driver) == "Your venture reports"
        assert "No reports yet." in driver.page_source
        check_both(driver)
        _link(driver, "Start a report")
        assert heading(driver) == "Start a venture report"
        check_both(driver)
        fill(driver, {"title": "Rhea's forecasting"})
        [button] = driver.find_elements(By.CSS_SELECTOR, "main form button")
        assert button.text.startswith("Start the report (") and "AIA" in button.text
        submit(driver, button.text)
        assert heading(driver) == "Your venture reports"
        assert "has started" in driver.page_source
        # the list follows the workflow by itself (htmx), without a reload
        wait_until(
            driver,
            lambda: (
                [b.text for b in driver.find_elements(By.CSS_SELECTOR, "#report-list .badge")][:1]
                == ["completed"]
            ),
            "the report did not complete in the list",
            timeout=60,
        )
        check_both(driver)
        wallet = site.api("GET", "/v1/wallet", site.login(email)).json()
        assert wallet["balances"]["AIA"] == "15.000000"  # charged as the API charges
        _link(driver, "Rhea's forecasting")
        assert heading(driver) == "Rhea's forecasting"
        assert "TAM (total addressable)" in driver.page_source
        check_both(driver, "venture-report")


def test_the_other_venture_tools_answer(site: Site) -> None:
    email, _ = site.register("tess")
    with chromium(1280) as driver:
        sign_in(driver, site.base, email, PASSWORD)
        driver.get(site.base + "/venture/competition")
        check_both(driver)
        submit(driver, "Analyse the landscape")
        assert driver.find_element(By.ID, "hhi").text == "2,025"
        assert "highly concentrated above 1,800" in driver.page_source
        check_both(driver, "venture-competition")

        driver.get(site.base + "/venture/blueprint")
        check_both(driver)
        submit(driver, "Plan the MVP")
        stack = driver.find_element(By.ID, "stack-table")
        links = [a.get_attribute("href") for a in stack.find_elements(By.TAG_NAME, "a")]
        assert f"{site.base}/knowledge/nodes/technology:react" in links, links
        check_both(driver, "venture-blueprint")

        driver.get(site.base + "/venture/resources")
        check_both(driver)
        submit(driver, "Plan the resources")
        assert "Team composition by phase" in driver.page_source
        check_both(driver, "venture-resources")

        driver.get(site.base + "/venture/datasets")
        check_both(driver)
        submit(driver, "Save the dataset")
        assert "vertical-farming" in driver.find_element(By.ID, "dataset-list").text
        check_both(driver)
