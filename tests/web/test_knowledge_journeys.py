"""Issue 16's "follows a pathway" journey through the knowledge graph's pages in Chromium
against `aia serve`: search, open a node, go to its neighbour, plan a pathway to that role
(signing in on the way) and read its ordered steps; the path between two nodes; then a
stack's compatibility with its pitfalls, the team's included. Every page visited passes
the page checks at 390 px and at 1280 px."""

from __future__ import annotations

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
    submit,
)
from tests.web.conftest import PASSWORD, Site

WIDTHS = (390, 1280)


def check_at_both_widths(driver: webdriver.Chrome, shot: str | None = None) -> None:
    """The page checks at a phone's width and a desktop's (the same page, re-laid out),
    with a screenshot at each if `shot` names one; the browser is left at 1280 px."""
    for width in WIDTHS:
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600},
        )
        check_page(driver)
        if shot:
            screenshot(driver, shot)


def click_link(driver: webdriver.Chrome, href: str) -> None:
    driver.find_element(By.CSS_SELECTOR, f'main a[href="{href}"]').click()


def test_follows_a_pathway(site: Site) -> None:
    email, _ = site.register("kim")
    with chromium(1280) as driver:
        # signed out: the graph's lookups are public, as the API's are
        driver.get(site.base + "/knowledge")
        assert heading(driver) == "Knowledge graph"
        check_at_both_widths(driver)
        assert page_weight(driver) <= PAGE_WEIGHT_BUDGET
        fill(driver, {"q": "pandas"})
        submit(driver, "Search")
        results = driver.find_element(By.CSS_SELECTOR, "ul.results").text
        assert "Data skill · from curated" in results
        check_at_both_widths(driver)

        # a node, then its neighbour: the role that needs the skill
        click_link(driver, "/knowledge/nodes/skill:pandas")
        assert heading(driver) == "pandas"
        relations = [h.text for h in driver.find_elements(By.CSS_SELECTOR, "main h3")]
        assert "Needed by" in relations and "Learn it from" in relations
        check_at_both_widths(driver)
        click_link(driver, "/knowledge/nodes/role:data-analyst")
        assert heading(driver) == "Data analyst"
        assert "curated (record data-analyst)" in driver.find_element(By.TAG_NAME, "dl").text
        check_at_both_widths(driver, "knowledge-node")

        # the path from this node to another: the nodes in order, each relation in words
        click_link(driver, "/knowledge/path?from=role:data-analyst")
        assert heading(driver) == "Path between two nodes"
        fill(driver, {"to": "skill:numpy"})
        submit(driver, "Find the path")
        assert heading(driver) == "Path from Data analyst to NumPy"
        hops = driver.find_elements(By.CSS_SELECTOR, "ol.graph-path li")
        assert len(hops) >= 3 and "Data analyst" in hops[0].text and "NumPy" in hops[-1].text
        check_at_both_widths(driver, "knowledge-path")
        driver.get(site.base + "/knowledge/nodes/role:data-analyst")

        # a pathway to that role: signing in comes back to the form, the role filled in
        click_link(driver, "/knowledge/pathway?target=role:data-analyst")
        assert heading(driver) == "Sign in"
        check_at_both_widths(driver)
        fill(driver, {"email": email, "password": PASSWORD})
        submit(driver, "Sign in")
        assert heading(driver) == "Pathway to a role"
        assert driver.find_element(By.ID, "target").get_attribute("value") == "role:data-analyst"
        check_at_both_widths(driver)
        fill(driver, {"have": "python, git"})
        submit(driver, "Plan my pathway")
        assert heading(driver) == "Pathway to Data analyst"
        steps = [h.text for h in driver.find_elements(By.CSS_SELECTOR, "ol.steps h3")]
        assert len(steps) >= 5
        assert [s.split(":")[0] for s in steps] == [f"Step {n}" for n in range(1, len(steps) + 1)]
        # every prerequisite comes before the skill that needs it
        names = [s.split(": ", 1)[1] for s in steps]
        assert names.index("Probability and statistics") < names.index("Data analysis")
        assert names.index("NumPy") < names.index("pandas")
        first = driver.find_element(By.CSS_SELECTOR, "ol.steps li").text
        assert "Learn it from" in first and " h" in first
        assert "hours" in driver.find_element(By.ID, "plan").text
        check_at_both_widths(driver, "knowledge-pathway")

        # a stack's compatibility: a mistyped name is shown beside the field, then a pitfall
        driver.get(site.base + "/knowledge/compatibility")
        assert heading(driver) == "Stack compatibility"
        check_at_both_widths(driver)
        fill(driver, {"stack": "django 3.2\npythn 3.12"})
        submit(driver, "Check compatibility")
        error = driver.find_element(By.ID, "stack-error").text
        assert "line 2 (pythn 3.12): no technology 'pythn'" in error
        check_at_both_widths(driver)
        fill(driver, {"stack": "django 3.2\npython 3.12", "team": "Ada: python"})
        submit(driver, "Check compatibility")
        assert driver.find_element(By.ID, "score").text.startswith("Score: ")
        assert "violated" in driver.find_element(By.CSS_SELECTOR, "tr.outcome-violated").text
        pitfalls = driver.find_element(By.CSS_SELECTOR, "ul.pitfalls").text
        assert "Django 3.2 support ended on 2024-04-01" in pitfalls
        assert "Django 3.2 needs Python >=3.6,<3.11, the stack has 3.12" in pitfalls
        assert "A one-person team" in pitfalls  # the team's skills count too
        check_at_both_widths(driver, "knowledge-compatibility")
