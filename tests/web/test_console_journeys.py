"""The operators' console in Debian's Chromium against `aia serve`: an admin freezes a user's
wallet and then her account (whose next API call is refused), replays a dead letter, imports
a registry into the knowledge graph (a prerequisite cycle refused by name first) and removes
it, previews an email type and sends one email, through the pages only; a user who is not an
admin gets 403; every console page passes the page checks at both widths."""

from __future__ import annotations

import json
from collections.abc import Callable

from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.by import By

from shared.events.envelope import new_event
from shared.operations.events import PurgeRequested
from tests.support.serve import wait_until
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
from tests.web.conftest import ADMIN, PASSWORD, Site

PAGES = [
    "/admin/",
    "/admin/users",
    "/admin/tokens",
    "/admin/ledger",
    "/admin/dead-letters",
    "/admin/email",
    "/admin/runs",
    "/admin/health",
    "/admin/graph",
    "/admin/email/templates",
    "/admin/email/templates/system_alert",
    "/admin/email/send",
    "/admin/venture",
]
SHOTS = {"/admin/": "console-overview", "/admin/users": "console-users"}
SHOTS["/admin/dead-letters"] = "console-dead-letters"
SHOTS["/admin/graph"] = "console-graph"
SHOTS["/admin/email/templates"] = "console-email-types"
SHOTS["/admin/venture"] = "console-venture"
SOURCE = "https://example.org/"
ACME = {
    "technologies": [
        {"id": "acme-queue", "name": "Acme Queue", "category": "messaging", "source": SOURCE}
    ]
}
CYCLE = f"id,name,category,source,prerequisites\na,A,x,{SOURCE},b\nb,B,x,{SOURCE},a\n"
ALERT = {
    "severity": "warning",
    "title": "Disk above 80 %",
    "description": "The documents volume is 83 % full.",
    "started_at": "2026-11-02T10:00:00Z",
}


def _poison(site: Site) -> None:
    """A maintenance message the purge function rejects (an unknown field), published on
    the server's own embedded bus (its SQLite file): the server dead-letters it."""
    bus = site.bus()
    event = new_event(PurgeRequested())
    bus.publish_raw(
        "maintenance",
        b'{"batch_size": 5, "unexpected": 1}',
        {"ce-type": PurgeRequested.event_type, "ce-id": event.id, "ce-source": "//test"},
    )


def _dead_letters(site: Site, token: str) -> Callable[[], list[dict[str, object]]]:
    def listed() -> list[dict[str, object]]:
        reply = site.api("GET", "/v1/admin/dead-letters", token)
        assert reply.status_code == 200, reply.text
        return list(reply.json()["dead_letters"])

    return listed


def _visit(driver: WebDriver, url: str, width: int) -> None:
    driver.get(url)
    check_page(driver)
    for path, name in SHOTS.items():
        if url.endswith(path):
            screenshot(driver, name)
    assert width  # the width is the driver's: named for the failure message only


def test_an_admin_freezes_a_user_and_replays_a_dead_letter(site: Site) -> None:
    mallory, _ = site.register("mallory")
    mallory_token = site.login(mallory)
    assert site.api("GET", "/v1/me", mallory_token).status_code == 200
    admin_token = site.login(*ADMIN)
    letters = _dead_letters(site, admin_token)
    _poison(site)
    wait_until(lambda: len(letters()) == 1)

    with chromium(1280) as driver:
        sign_in(driver, site.base, *ADMIN)
        driver.get(site.base + "/admin/")
        assert heading(driver) == "Operators' console"
        assert page_weight(driver) <= PAGE_WEIGHT_BUDGET
        for path in PAGES:
            _visit(driver, site.base + path, 1280)

        # find mallory, open her account, freeze it (a reason, then a confirmation)
        driver.get(site.base + "/admin/users")
        fill(driver, {"email": "mallory", "status": "active"})
        submit(driver, "Search")
        driver.find_element(By.LINK_TEXT, mallory).click()
        assert heading(driver) == mallory
        check_page(driver)
        # her wallet first: a reason, a confirmation; she stays signed in
        fill(driver, {"wallet_reason": "chargeback 77"})
        submit(driver, "Freeze wallet")
        assert heading(driver) == "Freeze this wallet?"
        check_page(driver)
        submit(driver, "Yes, freeze the wallet")
        assert "The wallet is frozen" in driver.page_source
        check_page(driver)
        assert site.api("GET", "/v1/me", mallory_token).status_code == 200
        submit(driver, "Freeze account")
        assert "say why" in driver.page_source  # beside the field, nothing frozen
        check_page(driver)
        fill(driver, {"reason": "card testing, ticket 4211"})
        submit(driver, "Freeze account")
        assert heading(driver) == "Freeze this account?"
        check_page(driver)
        assert site.api("GET", "/v1/me", mallory_token).status_code == 200
        submit(driver, "Yes, freeze the account")
        assert "The account is frozen" in driver.page_source
        check_page(driver)
        assert site.api("GET", "/v1/me", mallory_token).status_code == 401

        # the dead letter: inspect it, replay it (confirmed)
        driver.get(site.base + "/admin/dead-letters")
        driver.find_element(By.CSS_SELECTOR, "main table a").click()
        assert heading(driver) == f"Dead letter: {PurgeRequested.event_type}"
        assert "invalid data" in driver.page_source
        check_page(driver)
        submit(driver, "Replay")
        assert heading(driver) == "Replay this dead letter?"
        check_page(driver)
        submit(driver, "Yes, replay")
        assert "Published again" in driver.page_source
        check_page(driver)
        _graph_import(driver, site)
        _email(driver, site)
    [letter] = [x for x in letters() if x["replays"]]
    assert letter["event_type"] == PurgeRequested.event_type

    with chromium(390) as driver:
        sign_in(driver, site.base, *ADMIN)
        for path in PAGES:
            _visit(driver, site.base + path, 390)
        driver.get(site.base + "/admin/users?email=mallory")
        driver.find_element(By.LINK_TEXT, mallory).click()
        check_page(driver)
        driver.get(site.base + "/admin/dead-letters")
        driver.find_element(By.CSS_SELECTOR, "main table a").click()
        check_page(driver)


def _graph_import(driver: WebDriver, site: Site) -> None:
    """A registry whose prerequisites make a cycle is refused by name; a good one is
    imported, listed, and removed after a confirmation."""
    driver.get(site.base + "/admin/graph")
    fill(driver, {"registry": "acme", "csv_skills": CYCLE})
    submit(driver, "Import")
    assert "prerequisite cycle: skill:" in driver.page_source
    check_page(driver)
    fill(driver, {"csv_skills": "", "content": json.dumps(ACME)})
    submit(driver, "Import")
    assert "Imported acme" in driver.page_source
    check_page(driver)
    driver.find_element(By.LINK_TEXT, "Remove acme").click()
    assert heading(driver) == "Remove this registry?"
    check_page(driver)
    submit(driver, "Yes, remove it")
    assert "Removed acme" in driver.page_source


def _email(driver: WebDriver, site: Site) -> None:
    """An email type's page, its HTML as its own document, and one email sent now."""
    driver.get(site.base + "/admin/email/templates")
    driver.find_element(By.LINK_TEXT, "system_alert").click()
    assert heading(driver) == "Email type: system_alert"
    driver.find_element(By.PARTIAL_LINK_TEXT, "Open the HTML version").click()
    assert driver.current_url.endswith("/preview.html")
    assert "Failed email deliveries" in driver.page_source  # the sample alert, as mailed
    driver.get(site.base + "/admin/email/send?type=system_alert")
    fill(driver, {"to": "oncall@example.com", "context": json.dumps(ALERT)})
    submit(driver, "Send now")
    assert "Sent to oncall@example.com" in driver.page_source
    check_page(driver)
    assert "83 % full" in site.mail("oncall@example.com", "[WARNING] Disk above 80 %")


def test_a_user_who_is_not_an_admin_gets_403(site: Site) -> None:
    email, _ = site.register("eve")
    with chromium(390) as driver:
        driver.get(site.base + "/admin/")
        assert heading(driver) == "Sign in"  # signed out: sign in first
        check_page(driver)
        sign_in(driver, site.base, email, PASSWORD)
        driver.get(site.base + "/admin/")
        assert heading(driver) == "Not allowed"
        check_page(driver)
        driver.get(site.base + "/admin/users")
        assert heading(driver) == "Not allowed"
