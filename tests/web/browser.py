"""Debian's Chromium driven through its chromedriver (no browser download), with the
checks every page must pass: one <h1>, a label for every field, no CSP violation, and
axe-core (npm, from web/node_modules) with no serious or critical violation."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
PAGE_WEIGHT_BUDGET = 250_000  # bytes of JS + CSS per page, gzip-compressed


@contextmanager
def chromium(width: int = 1280) -> Iterator[webdriver.Chrome]:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        options.add_argument(flag)
    options.add_argument(f"--window-size={width},900")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def check_page(driver: webdriver.Chrome) -> None:
    """What every page must be, checked on the page as the browser shows it."""
    headings = driver.find_elements(By.TAG_NAME, "h1")
    assert len(headings) == 1, f"{driver.current_url}: {len(headings)} <h1>"
    for field in driver.find_elements(By.CSS_SELECTOR, "input:not([type=hidden])"):
        field_id = field.get_attribute("id")
        labels = driver.find_elements(By.CSS_SELECTOR, f"label[for='{field_id}']")
        assert field_id and labels and labels[0].is_displayed(), (
            f"{driver.current_url}: field {field.get_attribute('name')} has no visible label"
        )
    # a form answered 400 with its errors is the page itself, not a broken resource
    page = driver.current_url.split("?")[0]
    problems = [
        e["message"]
        for e in driver.get_log("browser")
        if e["level"] == "SEVERE" and not e["message"].startswith(page + " - Failed to load")
    ]
    assert not problems, f"{driver.current_url}: {problems}"
    violations = axe(driver)
    assert not violations, f"{driver.current_url}: {json.dumps(violations, indent=1)}"


def axe(driver: webdriver.Chrome) -> list[dict[str, Any]]:
    """Serious and critical violations axe-core finds on the page."""
    driver.execute_script(AXE.read_text())
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document).then(r => done(r.violations), e => done([{id: String(e)}]));"
    )
    return [
        {"id": v["id"], "impact": v.get("impact"), "nodes": len(v.get("nodes", []))}
        for v in result
        if v.get("impact") in ("serious", "critical") or "impact" not in v
    ]


def page_weight(driver: webdriver.Chrome) -> int:
    """Gzip-compressed bytes of the scripts and stylesheets the page loads."""
    urls = driver.execute_script(
        "return [...document.querySelectorAll('script[src]')].map(s => s.src)"
        ".concat([...document.querySelectorAll('link[rel=stylesheet]')].map(l => l.href));"
    )
    return sum(len(gzip.compress(requests.get(u, timeout=10).content)) for u in urls)
