"""Pages: Largest Contentful Paint of every page of the web app in Debian's Chromium,
against a real `aia serve` (what `make run` starts), signed in as the operator (who sees
every page). The pages come from `shared.web.catalog.all_pages()`, so a page added later is
measured without touching this file: every GET page without path parameters, and those
whose parameters `MAKERS` can create cheaply through the public API (a page whose
parameter nobody knows how to make is listed under `skipped`, with why).

LCP is read after the load event with a PerformanceObserver on 'largest-contentful-paint'
(buffered: true), at desktop (1280 px) and phone (390 px) widths; each page is opened
`RUNS` times (the first with a cold cache), and `lcp_ms` is the worst. Target: <= 1 s."""

from __future__ import annotations

import re
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests

TARGET_MS = 1000.0
WIDTHS = (1280, 390)
ADMIN = ("ops@example.com", "a long local passphrase 2026")
PARAM = re.compile(r"\{(\w+)\}")
# after the load event, the LCP entries the browser buffered so far (the last is the LCP)
LCP_SCRIPT = """
const done = arguments[arguments.length - 1];
let last = null;
try {
  new PerformanceObserver((list) => { for (const e of list.getEntries()) last = e; })
    .observe({type: 'largest-contentful-paint', buffered: true});
} catch (e) { done({error: String(e)}); return; }
setTimeout(() => {
  const nav = performance.getEntriesByType('navigation')[0];
  done({
    lcp: last ? last.startTime : null,
    element: last && last.element ? last.element.tagName.toLowerCase() : null,
    ttfb: nav ? nav.responseStart : null,
    load: nav ? nav.loadEventEnd : null,
  });
}, 250);
"""


class Api:
    """The public API as the operator (the setup of parameterised pages)."""

    def __init__(self, base: str) -> None:
        self.base = base
        reply = requests.post(
            base + "/v1/auth/login", json={"email": ADMIN[0], "password": ADMIN[1]}, timeout=30
        )
        reply.raise_for_status()
        self.token = reply.json()["access_token"]
        self.user_id = self.call("GET", "/v1/me")["user_id"]

    def call(self, method: str, path: str, **kw: Any) -> Any:
        reply = requests.request(
            method,
            self.base + path,
            headers={"Authorization": f"Bearer {self.token}"},
            timeout=60,
            **kw,
        )
        reply.raise_for_status()
        return reply.json() if reply.content else None

    def mint(self, token: str, amount: str) -> None:
        body = {"user_id": self.user_id, "token": token, "amount": amount, "reason": "bench"}
        self.call("POST", "/v1/admin/mint", json=body)


def _api_key(api: Api) -> str:
    return str(api.call("POST", "/v1/api-keys", json={"name": "bench", "scopes": ["read"]})["id"])


def _proposal(api: Api) -> str:
    api.mint("AIA_GOV", "5000")
    api.call("POST", "/v1/governance/delegate", json={"to": api.user_id})
    body = {
        "title": "A firmer answer to inflation",
        "description": "Raise the Taylor rule's inflation response.",
        "actions": [{"type": "taylor_rule", "inflation_response": 1.8}],
    }
    return str(api.call("POST", "/v1/governance/proposals", json=body)["id"])


def _report(api: Api) -> str:
    from tests.venture.conftest import report_body

    return str(api.call("POST", "/v1/venture/reports", json=report_body())["id"])


def _simulation(api: Api) -> str:
    api.mint("AIA", "1000")
    body = {"households": 200, "ticks": 24, "seed": 7}
    return str(api.call("POST", "/v1/simulations", json=body)["id"])


def _node(api: Api) -> str:
    return str(
        api.call("GET", "/v1/graph/nodes", params={"q": "python", "limit": 1})["items"][0]["id"]
    )


def _agent(api: Api) -> str:
    body = {"name": "Forecaster", "capabilities": ["simulation"], "model_provider": "anthropic"}
    return str(api.call("POST", "/v1/agents", json=body)["agent_id"])


def _email_type(api: Api) -> str:
    return str(api.call("GET", "/v1/emails/templates")["templates"][0]["name"])


# GET routes of the catalog that are not pages of the app, and why they are not measured
NOT_APP_PAGES = {
    "/admin/email/templates/{name}/preview.html": "an email's HTML, sandboxed: no script runs",
    "/simulations/{simulation_id}/metrics.{kind}": "a download (CSV or JSON), not a page",
    "/governance/proposals/{proposal_id}/impact": "a section the proposal page polls (htmx)",
}

# a path parameter's name -> how to make one through the API (made once, reused)
MAKERS: dict[str, Callable[[Api], str]] = {
    "user_id": lambda api: api.user_id,
    "agent_id": _agent,
    "name": _email_type,
    "key_id": _api_key,
    "proposal_id": _proposal,
    "report_id": _report,
    "simulation_id": _simulation,
    "run_id": _simulation,
    "node_id": _node,
}


def targets(api: Api) -> tuple[list[str], list[dict[str, str]]]:
    """Every GET page of the catalog as a URL path, and those that cannot be opened."""
    from shared.web.catalog import all_pages

    made: dict[str, str] = {}
    paths, skipped = [], []
    for page in all_pages():
        if "GET" not in page.methods:
            continue
        if page.path in NOT_APP_PAGES:
            skipped.append({"page": page.path, "why": NOT_APP_PAGES[page.path]})
            continue
        path = page.path
        for name in PARAM.findall(page.path):
            if name not in made and name in MAKERS:
                try:
                    made[name] = MAKERS[name](api)
                except (requests.RequestException, LookupError, ValueError) as exc:
                    made[name] = ""
                    skipped.append({"page": page.path, "why": f"making {name}: {exc}"})
            value = made.get(name)
            if value is None:
                skipped.append({"page": page.path, "why": f"no maker for {{{name}}}"})
            if not value:
                path = ""
                break
            path = path.replace(f"{{{name}}}", value)
        if path:
            paths.append(path)
    return paths, skipped


def run(quick: bool = False) -> dict[str, Any]:
    from tests.support.serve import fast_env, free_port, server
    from tests.web.browser import chromium, sign_in

    runs = 2 if quick else 5
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **fast_env(Path(tmp) / "data"),
            "AIA_ADMIN_EMAIL": ADMIN[0],
            "AIA_ADMIN_PASSWORD": ADMIN[1],
            "AIA_RATE_LIMITS": '{"default": "100000/60", "auth": "100000/60", "login": '
            '"100000/60", "password-reset": "100000/60"}',
        }
        for name in ("AIA_PUBLIC_BASE_URL", "AIA_APP_BASE_URL"):
            env.pop(name, None)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        with server(env, port):
            api = Api(base)
            paths, skipped = targets(api)
            time.sleep(2)  # let the runs and reports just started get under way
            measured = []
            for width in WIDTHS:
                with chromium(width) as driver:
                    sign_in(driver, base, *ADMIN)
                    cookies = {c["name"]: c["value"] for c in driver.get_cookies()}
                    for path in paths:
                        kind = _content_type(base + path, cookies)
                        if not kind.startswith("text/html"):
                            if width == WIDTHS[0]:
                                skipped.append({"page": path, "why": f"not a page ({kind})"})
                            continue
                        measured.append(_measure(driver, base, path, width, runs))
    worst = max((m["lcp_ms"] for m in measured if m["lcp_ms"] is not None), default=None)
    return {
        "target_ms": TARGET_MS,
        "runs_per_page": runs,
        "all_pass": all(m["pass"] for m in measured),
        "worst_lcp_ms": worst,
        "pages": measured,
        "skipped": skipped,
    }


def _content_type(url: str, cookies: dict[str, str]) -> str:
    reply = requests.get(url, cookies=cookies, timeout=60, allow_redirects=True)
    return str(reply.headers.get("Content-Type", ""))


def _measure(driver: Any, base: str, path: str, width: int, runs: int) -> dict[str, Any]:
    samples: list[dict[str, Any]] = []
    for _ in range(runs):
        driver.get(base + path)
        samples.append(driver.execute_async_script(LCP_SCRIPT))
    lcps = [s["lcp"] for s in samples if s and s.get("lcp") is not None]
    worst = round(max(lcps), 1) if len(lcps) == runs else None
    return {
        "page": path,
        "width": width,
        "lcp_ms": worst,
        "lcp_median_ms": round(statistics.median(lcps), 1) if lcps else None,
        "lcp_cold_ms": round(lcps[0], 1) if lcps else None,
        "lcp_element": samples[-1].get("element") if samples[-1] else None,
        "ttfb_median_ms": _median(s.get("ttfb") for s in samples if s),
        "load_median_ms": _median(s.get("load") for s in samples if s),
        "pass": worst is not None and worst <= TARGET_MS,
    }


def _median(values: Any) -> float | None:
    present = [v for v in values if v is not None]
    return round(statistics.median(present), 1) if present else None
