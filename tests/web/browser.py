"""Debian's Chromium driven through its chromedriver (no browser download), with the
checks every page must pass: one <h1>, a label for every field, no CSP violation, and
axe-core (npm, from web/node_modules) with no serious or critical violation."""

from __future__ import annotations

import gzip
import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.select import Select

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
    _emulate(driver, width, 900)
    try:
        yield driver
    finally:
        driver.quit()


def _emulate(driver: webdriver.Chrome, width: int, height: int) -> None:
    # a headless window is never narrower than 500 px: a phone's width is emulated instead
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
    )


# One round trip for what would otherwise be two per field and per control (about 0.7 s
# a page at this machine's WebDriver latency): visible as Selenium's is_displayed() sees it
# for these pages (no display/visibility/opacity hiding, a box with an area, not moved off
# the page to the left or above, as the skip link is until it has the focus).
_PAGE_FACTS = """
const shown = e => e.checkVisibility({opacityProperty: true, visibilityProperty: true})
  && [e, ...e.querySelectorAll('*')].some(x => { const r = x.getBoundingClientRect();
       return r.width > 0 && r.height > 0 && r.right + scrollX > 0 && r.bottom + scrollY > 0; });
const unlabelled = [...document.querySelectorAll('input:not([type=hidden])')]
  .filter(f => { const l = f.id && document.querySelector(`label[for="${CSS.escape(f.id)}"]`);
                 return !l || !shown(l); })
  .map(f => f.getAttribute('name'));
const nameless = [...document.querySelectorAll('button, [role=button], a[href]')]
  .filter(e => shown(e) && !(e.innerText || e.getAttribute('aria-label')
                             || e.getAttribute('title') || '').trim())
  .map(e => e.outerHTML.slice(0, 120));
return {
  headings: document.querySelectorAll('h1').length,
  unlabelled, nameless,
  overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
};
"""


def check_page(driver: webdriver.Chrome) -> None:
    """What every page must be, checked on the page as the browser shows it."""
    facts = driver.execute_script(_PAGE_FACTS)
    assert facts["headings"] == 1, f"{driver.current_url}: {facts['headings']} <h1>"
    assert not facts["unlabelled"], (
        f"{driver.current_url}: fields with no visible label: {facts['unlabelled']}"
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
    # the layout holds: nothing wider than the window (a phone's 390 px or a desktop's)
    assert facts["overflow"] <= 1, (
        f"{driver.current_url}: {facts['overflow']} px wider than the window"
    )
    assert not facts["nameless"], (
        f"{driver.current_url}: controls with no accessible name: {facts['nameless']}"
    )


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


SHOTS = ROOT / "build" / "screenshots"  # gitignored; the best are copied to docs/screenshots


def screenshot(driver: webdriver.Chrome, name: str) -> Path:
    """The page as the browser shows it: its first screen as build/screenshots/<name>-<width>
    .png (what a README shows) and the whole page as <name>-<width>-full.png."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    width = driver.execute_script("return window.innerWidth")  # scrollbar included
    first = SHOTS / f"{name}-{width}.png"
    driver.execute_script("window.scrollTo(0, 0)")
    driver.save_screenshot(str(first))
    height = driver.execute_script("return document.documentElement.scrollHeight")
    _emulate(driver, width, min(height, 4000))
    driver.save_screenshot(str(SHOTS / f"{name}-{width}-full.png"))
    _emulate(driver, width, 900)
    return first


def fill(driver: webdriver.Chrome, values: dict[str, str]) -> None:
    """Type into the fields named so (a <select> gets the option with that value)."""
    for name, value in values.items():
        field = driver.find_element(By.NAME, name)
        if field.tag_name == "select":
            Select(field).select_by_value(value)
            continue
        field.clear()
        field.send_keys(value)


def submit(driver: webdriver.Chrome, text: str) -> None:
    """Press the button by its visible name, and wait for the page (or htmx) to answer."""
    buttons = [b for b in driver.find_elements(By.TAG_NAME, "button") if b.text == text]
    assert buttons, f"{driver.current_url}: no button {text!r}"
    before = driver.find_element(By.TAG_NAME, "main").get_attribute("innerHTML")
    buttons[0].click()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            now = driver.find_element(By.TAG_NAME, "main").get_attribute("innerHTML")
            if now != before and "htmx-request" not in (now or ""):  # htmx done swapping
                return
        except Exception:  # noqa: BLE001 - the old page went away mid-read
            pass
        time.sleep(0.05)
    raise AssertionError(f"pressing {text!r} changed nothing")


def wait_until(
    driver: webdriver.Chrome, check: Callable[[], bool], what: str, timeout: float = 45
) -> None:
    """Wait for `check` to hold, while the page (or htmx) may be swapping what it reads.
    45 s: an htmx swap took over 15 s in a fresh-clone run on a slow host (2026-12-07)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except WebDriverException:  # the element went away mid-swap: read it again
            pass
        time.sleep(0.05)
    raise AssertionError(f"{driver.current_url}: {what}")


def heading(driver: webdriver.Chrome) -> str:
    return str(driver.find_element(By.TAG_NAME, "h1").text)


def sign_in(driver: webdriver.Chrome, base: str, email: str, password: str) -> None:
    """Sign the browser in through the sign-in page, as a person does."""
    driver.get(base + "/sign-in")
    fill(driver, {"email": email, "password": password})
    submit(driver, "Sign in")
