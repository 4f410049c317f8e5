"""Venture analysis: p50/p95 latency of each endpoint through the local server (the
runtime's WSGI stack served by waitress, called over loopback HTTP with keep-alive:
routing, auth, validation, JSON), and full reports through the venture-report workflow
(the real YAML on workflows-emulator): one report's latency from POST to completion,
and reports completed per minute with several in flight."""

from __future__ import annotations

import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import requests

from tests.bench.latency import percentiles

ROOT = Path(__file__).resolve().parents[2]
TARGET_P95_MS = 50


def _login(http: requests.Session, base: str) -> None:
    creds = {"email": "bench@example.com", "password": "correct horse battery staple 9"}
    registered = http.post(f"{base}/v1/auth/register", json={**creds, "name": "bench"})
    assert registered.status_code == 201, registered.text
    tokens = http.post(f"{base}/v1/auth/login", json=creds)
    assert tokens.status_code == 200, tokens.text
    http.headers["Authorization"] = f"Bearer {tokens.json()['access_token']}"


def _serve(runtime: Any) -> tuple[Any, str]:
    """The runtime's WSGI app on a free loopback port, as `aia serve` runs it."""
    from waitress.server import create_server

    server = create_server(runtime.host.wsgi(), host="127.0.0.1", port=0, threads=8)
    threading.Thread(target=server.run, daemon=True).start()
    return server, f"http://127.0.0.1:{server.effective_port}"


def run(quick: bool = False) -> dict[str, Any]:
    from shared.bootstrap import install_features
    from shared.runtime.local import LocalRuntime
    from shared.settings import Settings
    from tests.venture.conftest import BLUEPRINT, COMPETITION, MARKET, report_body

    results: dict[str, Any] = {"target_p95_ms": TARGET_P95_MS}
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            data_dir=Path(tmp),
            scheduler_enabled=False,
            password_hash_time_cost=1,
            password_hash_memory_kib=8192,
            rate_limits={k: "1000000/60" for k in ("default", "auth", "login", "password-reset")},
            prices={},  # measure the analysis, not the wallet
        )
        runtime = LocalRuntime(settings, ROOT)
        server, base = _serve(runtime)
        http = requests.Session()
        try:
            _login(http, base)
            calls: dict[str, tuple[str, str, dict[str, Any] | None]] = {
                "GET /v1/venture/sectors": ("GET", "/v1/venture/sectors", None),
                "POST /v1/venture/market-analysis": ("POST", "/v1/venture/market-analysis", MARKET),
                "POST /v1/venture/competitive-landscape": (
                    "POST",
                    "/v1/venture/competitive-landscape",
                    COMPETITION,
                ),
                "POST /v1/venture/mvp-blueprint": ("POST", "/v1/venture/mvp-blueprint", BLUEPRINT),
                "POST /v1/venture/resource-plan": (
                    "POST",
                    "/v1/venture/resource-plan",
                    {**BLUEPRINT, "funding_usd": 2_000_000},
                ),
            }
            n = 100 if quick else 1000
            endpoints = {}
            for name, (method, path, body) in calls.items():
                samples = []
                for _ in range(n):
                    started = time.perf_counter()
                    response = http.request(method, base + path, json=body)
                    samples.append(time.perf_counter() - started)
                    assert response.status_code == 200, response.text
                endpoints[name] = percentiles(samples)
            results["endpoints"] = endpoints
            results["all_p95_under_target"] = all(
                e["p95_ms"] < TARGET_P95_MS for e in endpoints.values()
            )
            results["reports"] = _reports(runtime, http, base, report_body, quick)
        finally:
            server.close()
            runtime.stop()
            install_features(None)
    return results


def _reports(
    runtime: Any, http: requests.Session, base: str, body: Any, quick: bool
) -> dict[str, Any]:
    runner = runtime.workflows
    single = []
    for _ in range(5 if quick else 20):
        started = time.perf_counter()
        response = http.post(f"{base}/v1/venture/reports", json=body())
        assert response.status_code == 202, response.text
        status = runner.wait(f"venture-report-{response.json()['id']}", timeout=60)
        single.append(time.perf_counter() - started)
        assert status.state.value == "SUCCEEDED", status.error
    batch = 10 if quick else 60
    started = time.perf_counter()
    ids = []
    for _ in range(batch):
        response = http.post(f"{base}/v1/venture/reports", json=body())
        ids.append(response.json()["id"])
    states = [runner.wait(f"venture-report-{i}", timeout=120).state.value for i in ids]
    elapsed = time.perf_counter() - started
    return {
        "one_report_post_to_completed": percentiles(single),
        "batch": batch,
        "batch_succeeded": states.count("SUCCEEDED"),
        "batch_seconds": round(elapsed, 3),
        "reports_per_minute": round(states.count("SUCCEEDED") / elapsed * 60, 1),
        "note": "each execution runs in its own thread of one process (the local runner)",
    }
