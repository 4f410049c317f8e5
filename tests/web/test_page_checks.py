"""The page checks themselves, in Debian's Chromium on pages made to break one rule each:
what `check_page` reads in one script (headings, labels, controls' names, the width) must
see what Selenium's element-by-element reading saw, hidden things included."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By

from tests.web.browser import _PAGE_FACTS, check_page, chromium

GOOD = """<!doctype html><html lang="en"><head><title>A page</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>.skip { position: absolute; left: -999px; } .gone { display: none; }</style></head>
<body><a class="skip" href="#main">Skip to content</a><main id="main"><h1>A page</h1>
<form><label for="email">Email</label><input id="email" name="email">
<input type="hidden" name="csrf_token" value="x"><button>Send</button></form>
<a href="/next" aria-label="Next page">&rarr;</a></main></body></html>"""


@pytest.fixture(scope="module")
def driver() -> Iterator[webdriver.Chrome]:
    with chromium(390) as browser:
        yield browser


def _open(driver: webdriver.Chrome, html: str) -> None:
    driver.get("data:text/html;charset=utf-8," + quote(html))


def _facts(driver: webdriver.Chrome, html: str) -> dict[str, object]:
    _open(driver, html)
    return dict(driver.execute_script(_PAGE_FACTS))


def test_a_good_page_passes(driver: webdriver.Chrome) -> None:
    _open(driver, GOOD)
    check_page(driver)
    assert _facts(driver, GOOD) == {"headings": 1, "unlabelled": [], "nameless": [], "overflow": 0}


def test_each_broken_rule_is_seen(driver: webdriver.Chrome) -> None:
    two = GOOD.replace("</main>", "<h1>Again</h1></main>")
    assert _facts(driver, two)["headings"] == 2
    unlabelled = GOOD.replace('<label for="email">Email</label>', "")
    assert _facts(driver, unlabelled)["unlabelled"] == ["email"]
    hidden_label = GOOD.replace('<label for="email">', '<label class="gone" for="email">')
    assert _facts(driver, hidden_label)["unlabelled"] == ["email"]
    icon = '<a href="/next" style="display: inline-block; width: 24px; height: 24px"></a>'
    nameless = GOOD.replace('<a href="/next" aria-label="Next page">&rarr;</a>', icon)
    assert _facts(driver, nameless)["nameless"] == [icon]
    assert driver.find_element(By.CSS_SELECTOR, "a[href='/next']").is_displayed()
    wide = GOOD.replace("</main>", '<div style="width: 900px">wide</div></main>')
    assert int(str(_facts(driver, wide)["overflow"])) > 400
    _open(driver, two)
    with pytest.raises(AssertionError, match="2 <h1>"):
        check_page(driver)


def test_hidden_controls_need_no_name(driver: webdriver.Chrome) -> None:
    """Off the page (the skip link's way), display:none and opacity 0 are hidden, as
    Selenium's is_displayed() says; only shown controls need a name."""
    for hiding in ('class="skip"', 'class="gone"', 'style="opacity: 0"'):
        page = GOOD.replace("</main>", f'<a {hiding} href="/x"></a></main>')
        assert _facts(driver, page)["nameless"] == [], hiding
        [link] = driver.find_elements(By.CSS_SELECTOR, "a[href='/x']")
        assert not link.is_displayed(), hiding
