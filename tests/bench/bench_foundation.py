"""Foundation: /health latency (in-process and over loopback HTTP) and event delivery
throughput through the local runtime (publish, deliver through functions-framework,
apply once, ack)."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from werkzeug.test import Client

from tests.bench.latency import percentiles

ROOT = Path(__file__).resolve().parents[2]


def run(quick: bool = False) -> dict[str, Any]:
    from shared.adapters.local.clock import ManualClock
    from shared.bootstrap import install_features
    from shared.events.envelope import new_event
    from shared.runtime.local import LocalRuntime
    from shared.settings import Settings
    from shared.wiring.manifest import load_manifest

    sys.path.insert(0, str(ROOT / "tests" / "runtime_fixture" / "functions"))
    from probe_events import ProbeHappened

    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), scheduler_enabled=False)
        runtime = LocalRuntime(settings, ROOT)
        client = Client(runtime.host.wsgi())
        samples = []
        for _ in range(300 if quick else 3000):
            started = time.perf_counter()
            response = client.get("/health")
            samples.append(time.perf_counter() - started)
            assert response.status_code == 200
        results["health_in_process"] = percentiles(samples)
        install_features(None)

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), scheduler_enabled=False)
        fixture = ROOT / "tests" / "runtime_fixture"
        runtime = LocalRuntime(
            settings,
            [fixture, ROOT],
            clock=ManualClock(),
            manifest=load_manifest(fixture / "manifest.yaml"),
        )
        n = 200 if quick else 2000
        started = time.perf_counter()
        for value in range(n):
            runtime.bus.publish(new_event(ProbeHappened(value=value, key=f"k{value % 8}")))
        published = time.perf_counter() - started
        started = time.perf_counter()
        delivered = runtime.dispatcher.drain()
        elapsed = time.perf_counter() - started
        results["events"] = {
            "published": n,
            "publish_per_second": round(n / published),
            "delivered": delivered,
            "deliver_per_second": round(delivered / elapsed),
            "mean_delivery_ms": round(elapsed / max(delivered, 1) * 1000, 3),
        }
        install_features(None)
    return results
