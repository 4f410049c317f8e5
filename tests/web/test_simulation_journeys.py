"""The Simulations journeys in Debian's Chromium against `aia serve`, through the pages
only: a new user registers, verifies (the welcome email's link), starts a simulation from
a preset, follows it to its chart and downloads it; the owner changes a running
simulation's policy; a user compares two runs. Every page passes the page checks at phone
and desktop widths within the page-weight budget."""

from __future__ import annotations

import time

import requests
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
from tests.web.conftest import ADMIN, PASSWORD, Site, links_in

SIZE_TEXT = "200 households \u00d7 6 months"  # the price's words for the size typed


def _wait(driver: webdriver.Chrome, css: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if driver.find_elements(By.CSS_SELECTOR, css):
            return
        time.sleep(0.1)
    raise AssertionError(f"{driver.current_url}: nothing matches {css}")


def _cookies(driver: webdriver.Chrome) -> dict[str, str]:
    return {c["name"]: c["value"] for c in driver.get_cookies()}


def test_a_new_user_registers_verifies_runs_a_simulation_and_sees_its_chart(site: Site) -> None:
    email = "sim@example.com"
    with chromium(1280) as driver:
        driver.get(site.base + "/")
        driver.find_element(By.LINK_TEXT, "Register").click()
        fill(driver, {"name": "Sim", "email": email, "password": PASSWORD})
        submit(driver, "Create my account")
        assert heading(driver) == "Check your email"
        welcome = site.mail(email, "Welcome to AIA")
        [verify] = [u for u in links_in(welcome) if "verify-email" in u]
        driver.get(verify)
        submit(driver, "Confirm my email address")
        assert heading(driver) == "Your address is confirmed"
        sign_in(driver, site.base, email, PASSWORD)
        driver.get(site.base + "/simulations")
        assert heading(driver) == "Simulations"
        check_page(driver)
        driver.find_element(By.LINK_TEXT, "Start a simulation").click()
        assert heading(driver) == "Start a simulation"
        # the preset fills the levers (htmx swaps the form in place)
        fill(driver, {"preset": "basic-income"})
        wait_until(
            driver,
            lambda: (
                driver.find_element(By.ID, "fiscal-basic_income").get_attribute("value") == "0.2"
            ),
            "the preset did not fill the form",
        )
        assert "basic income of a fifth" in driver.page_source
        fill(driver, {"households": "200", "ticks": "6"})
        # the price follows the size (the welcome grant pays for it)
        wait_until(
            driver,
            lambda: SIZE_TEXT in driver.find_element(By.ID, "run-price").text,
            "the price did not follow the size",
        )
        assert "You hold 100 AIA" in driver.find_element(By.ID, "run-price").text
        check_page(driver)
        assert page_weight(driver) <= PAGE_WEIGHT_BUDGET
        screenshot(driver, "simulations-new")
        # a bad lever: the page says so beside it, and nothing is started
        fill(driver, {"bracket-1-threshold": "0"})
        submit(driver, "Start the simulation")
        assert "bracket thresholds must be strictly increasing" in driver.page_source
        check_page(driver)
        fill(driver, {"bracket-1-threshold": "0.5"})
        submit(driver, "Start the simulation")
        assert heading(driver).startswith("Simulation ")
        run_url = driver.current_url.split("?")[0]
        # live progress, then the charts once it completes (the page follows by itself)
        _wait(driver, ".badge.status-completed")
        _wait(driver, "figure.chart[data-drawn-ms]")
        figures = driver.find_elements(By.CSS_SELECTOR, "figure.chart")
        assert len(figures) >= 3
        assert all(f.get_attribute("data-drawn-ms") for f in figures)
        assert "Basic income" in driver.page_source
        check_page(driver)
        assert page_weight(driver) <= PAGE_WEIGHT_BUDGET
        screenshot(driver, "simulations-run")
        # pick the metrics: one chart of five rates
        for box in driver.find_elements(By.CSS_SELECTOR, ".picker input[type=checkbox]"):
            if box.is_selected():
                box.click()
        for metric in ("unemployment_rate", "inflation", "policy_rate", "output_gap", "cpi"):
            driver.find_element(By.ID, f"m-{metric}").click()
        submit(driver, "Chart these metrics")
        _wait(driver, "#chart-rates[data-drawn-ms]")
        _wait(driver, "#chart-indices[data-drawn-ms]")
        assert len(driver.find_elements(By.CSS_SELECTOR, "figure.chart")) == 2
        legend = driver.find_elements(By.CSS_SELECTOR, "#chart-rates .u-legend .u-series")
        assert len(legend) == 5  # the months column and four rates
        # the downloads answer the run's months
        cookies = _cookies(driver)
        csv = requests.get(run_url + "/metrics.csv", cookies=cookies, timeout=10)
        assert csv.status_code == 200 and csv.text.startswith("tick,")
        assert csv.text.count("\n") == 7
        assert "attachment" in csv.headers.get("Content-Disposition", "")
        data = requests.get(run_url + "/metrics.json", cookies=cookies, timeout=10).json()
        assert len(data["records"]) == 6
        driver.get(site.base + "/simulations")
        assert "6 of 6" in driver.find_element(By.TAG_NAME, "table").text

    with chromium(390) as driver:
        sign_in(driver, site.base, email, PASSWORD)
        for path, shot in (
            ("/simulations", None),
            ("/simulations/new", "simulations-new"),
            (run_url.removeprefix(site.base), "simulations-run"),
        ):
            driver.get(site.base + path)
            if shot == "simulations-run":
                _wait(driver, "figure.chart[data-drawn-ms]")
            check_page(driver)
            if shot:
                screenshot(driver, shot)
        # another user's run is Not found
        other, _ = site.register("nosy")
        driver.delete_all_cookies()
        sign_in(driver, site.base, other, PASSWORD)
        driver.get(run_url)
        assert heading(driver) == "Not found"


def test_the_owner_changes_a_running_simulations_policy(site: Site) -> None:
    admin = site.login(ADMIN[0], ADMIN[1])
    email, user_id = site.register("pol")
    minted = site.api(
        "POST",
        "/v1/admin/mint",
        admin,
        json={"user_id": user_id, "token": "AIA", "amount": "50", "reason": "test"},
    )
    assert minted.status_code == 201, minted.text
    token = site.login(email)
    body = {"households": 200, "ticks": 2400}  # setup: a run long enough to change
    started = site.api("POST", "/v1/simulations", token, json=body)
    assert started.status_code == 202, started.text
    run_path = f"/simulations/{started.json()['id']}"
    with chromium(1280) as driver:
        sign_in(driver, site.base, email, PASSWORD)
        driver.get(site.base + run_path)
        # first the change, while the run still runs (a 2,400-month run lasts ~20 s here);
        # bad values beside their fields are the page tests' (test_simulation_pages.py)
        assert driver.find_element(By.ID, "change-policy").is_displayed()
        hint = driver.find_element(By.ID, "fiscal-basic_income-hint").text
        assert hint == "average monthly wages, monthly; from 0 to 1"  # as /simulations/new
        fill(driver, {"monetary-smoothing": "0.8", "fiscal-basic_income": "0.25"})
        fill(driver, {"reason": "A basic income"})
        submit(driver, "Change the policy")
        main = driver.find_element(By.TAG_NAME, "main").text
        assert "applies from the next month" in driver.page_source, main[:500]
        check_page(driver)
        _wait(driver, "#changes")  # the page follows the run: the change, once applied
        wait_until(
            driver,
            lambda: "fiscal: basic income 0.25" in driver.find_element(By.ID, "run-body").text,
            "the change was not listed",
        )
        screenshot(driver, "simulations-policy")
    with chromium(390) as driver:
        sign_in(driver, site.base, email, PASSWORD)
        driver.get(site.base + run_path)
        check_page(driver)


def test_a_user_compares_two_runs(site: Site) -> None:
    admin = site.login(ADMIN[0], ADMIN[1])
    email, user_id = site.register("cmp")
    minted = site.api(
        "POST",
        "/v1/admin/mint",
        admin,
        json={"user_id": user_id, "token": "AIA", "amount": "50", "reason": "test"},
    )
    assert minted.status_code == 201, minted.text
    token = site.login(email)
    ids = []
    for income in (0.0, 0.3):  # setup, not the journey: two short runs through the API
        body = {"households": 200, "ticks": 8, "policy": {"fiscal": {"basic_income": income}}}
        started = site.api("POST", "/v1/simulations", token, json=body)
        assert started.status_code == 202, started.text
        ids.append(started.json()["id"])
    deadline = time.monotonic() + 60
    while not all(
        site.api("GET", f"/v1/simulations/{i}", token).json()["status"] == "completed" for i in ids
    ):
        assert time.monotonic() < deadline, "the runs did not complete"
        time.sleep(0.2)

    for width in (1280, 390):
        with chromium(width) as driver:
            sign_in(driver, site.base, email, PASSWORD)
            driver.get(site.base + "/simulations")
            check_page(driver)
            for sim_id in ids:
                driver.find_element(By.ID, f"run-{sim_id}").click()
            submit(driver, "Compare the ticked runs")
            assert heading(driver) == "Compare simulations"
            _wait(driver, "figure.chart[data-drawn-ms]")
            figures = driver.find_elements(By.CSS_SELECTOR, "figure.chart")
            assert len(figures) == 4  # the default metrics, one chart each
            legend = figures[0].find_elements(By.CSS_SELECTOR, ".u-legend .u-series")
            assert len(legend) == 3  # the months column and both runs
            assert all(
                f"{sim_id[:8]}, 200 households, seed 0" in driver.page_source for sim_id in ids
            )
            check_page(driver)
            assert page_weight(driver) <= PAGE_WEIGHT_BUDGET
            screenshot(driver, "simulations-compare")
            # another metric, the same runs
            driver.find_element(By.ID, "m-gini_wealth").click()
            submit(driver, "Compare these metrics")
            _wait(driver, "#compare-gini_wealth[data-drawn-ms]")
            assert len(driver.find_elements(By.CSS_SELECTOR, "figure.chart")) == 5
            check_page(driver)
            # the live economy's page, with its governance history
            driver.get(site.base + "/economy")
            assert driver.find_element(By.ID, "governance-history").is_displayed()
            check_page(driver)
