"""/docs in Debian's Chromium against `aia serve` (what `make run` starts): Swagger UI
renders every operation from files this server serves, with no request leaving it, no
CSP violation, and the padlocks drawn as SVG (the old page's emoji rendered as a box)."""

from __future__ import annotations

import json
import shutil
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.serve import fast_env, free_port, server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="chromium: run scripts/install-tools.sh"
)


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    with server(fast_env(tmp_path_factory.mktemp("docs")), port):
        yield f"http://127.0.0.1:{port}"


def test_the_reference_renders_every_operation_offline(base_url: str) -> None:
    from playwright.sync_api import Request, sync_playwright

    with urllib.request.urlopen(f"{base_url}/openapi.json") as response:
        doc = json.load(response)
    operations = sum(len(ops) for ops in doc["paths"].values())
    secured = sum(1 for ops in doc["paths"].values() for op in ops.values() if "security" in op)

    elsewhere: list[str] = []
    problems: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()

        def outside(request: Request) -> None:
            if not request.url.startswith((base_url, "data:")):
                elsewhere.append(request.url)

        page.on("request", outside)
        page.on(
            "console",
            lambda message: problems.append(message.text) if message.type == "error" else None,
        )
        page.on("pageerror", lambda error: problems.append(str(error)))
        answer = page.goto(f"{base_url}/docs")
        assert answer is not None and answer.status == 200
        csp = answer.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("style-src")[0]

        page.wait_for_selector(".opblock", timeout=30_000)
        assert page.locator(".opblock").count() == operations
        # one padlock per secured operation, drawn as SVG (no font glyph to miss)
        assert page.locator(".opblock .authorization__btn svg").count() == secured
        # an operation opens to its parameters, example body and responses
        page.locator("#operations-wallet-transfer .opblock-summary").click()
        page.wait_for_selector("#operations-wallet-transfer .body-param__example")
        example = page.locator("#operations-wallet-transfer .body-param__example").inner_text()
        assert (
            json.loads(example)
            == (
                doc["paths"]["/v1/wallet/transfers"]["post"]["requestBody"]["content"][
                    "application/json"
                ]["example"]
            )
        )
        browser.close()

    assert elsewhere == []
    assert problems == []
