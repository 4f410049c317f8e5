"""Per-request costs for docs/capacity.md: for the API's common requests, on PostgreSQL
(as in production), the CPU time the function's process spends (time.process_time: the
request's own work, little affected by other load on the machine), the wall time, and
the SQL statements each sends. Also the production password hash (a sign-in's CPU),
and the events each user action publishes, with the fan-out the manifest gives them."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.bench.latency import percentiles

ROOT = Path(__file__).resolve().parents[2]


def _backend_cpu_seconds(engine: Any, database: str) -> float:
    """CPU the PostgreSQL server processes of this database have used (utime + stime
    from /proc: the server runs on this machine in the bench)."""
    from sqlalchemy import text

    with engine.connect() as conn:
        pids = conn.execute(
            text("select pid from pg_stat_activity where datname = :d"), {"d": database}
        ).scalars()
        pids = list(pids)
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def _measure(call: Any, n: int, statements: list[int], server: Any = None) -> dict[str, float]:
    cpu, wall, sql = [], [], []
    server_before = server() if server else 0.0
    for _ in range(n):
        before = len(statements)
        c0, w0 = time.process_time(), time.perf_counter()
        call()
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
        sql.append(len(statements) - before)
    server_ms = (server() - server_before) * 1000 / n if server else 0.0
    return {
        "postgres_cpu_ms_mean": round(server_ms, 3),
        "cpu_ms_mean": round(statistics.fmean(cpu) * 1000, 3),
        "cpu_ms_median": round(statistics.median(cpu) * 1000, 3),
        "wall_p95_ms": percentiles(wall)["p95_ms"],
        "sql_statements_mean": round(statistics.fmean(sql), 2),
    }


def run(quick: bool = False) -> dict[str, Any]:
    from sqlalchemy import create_engine, event
    from werkzeug.test import Client

    from shared.adapters.sql.migrate import migrate
    from shared.bootstrap import install_features
    from shared.runtime.local import LocalRuntime
    from shared.settings import Settings
    from shared.wiring.manifest import load_manifest
    from tests.support.postgres import temporary_database

    n = 50 if quick else 400
    results: dict[str, Any] = {"machine": {"cpus": os.cpu_count(), "load": os.getloadavg()}}
    with temporary_database() as url, tempfile.TemporaryDirectory() as tmp:
        engine = create_engine(url)
        migrate(engine)
        engine.dispose()
        settings = Settings(
            data_dir=Path(tmp),
            database_url=url,
            scheduler_enabled=False,
            rate_limits={k: "1000000/60" for k in ("default", "auth", "login", "password-reset")},
        )
        runtime = LocalRuntime(settings, ROOT)
        statements: list[int] = []
        sql_engine = runtime.features.platform.sql.engine
        event.listen(sql_engine, "before_cursor_execute", lambda *a, **k: statements.append(1))
        client = Client(runtime.host.wsgi())
        database = url.rsplit("/", 1)[1]
        probe = create_engine(url.rsplit("/", 1)[0] + "/postgres")

        def server() -> float:
            return _backend_cpu_seconds(probe, database)

        try:
            creds = {"email": "cap@example.com", "password": "correct horse battery staple 9"}
            assert (
                client.post("/v1/auth/register", json={**creds, "name": "cap"}).status_code == 201
            )
            login = _measure(
                lambda: client.post("/v1/auth/login", json=creds), 5 if quick else 20, statements
            )
            token = client.post("/v1/auth/login", json=creds).json["access_token"]
            auth = {"Authorization": f"Bearer {token}"}
            calls = {
                "GET /health": lambda: client.get("/health"),
                "GET /v1/economy/policy": lambda: client.get("/v1/economy/policy"),
                "GET /v1/graph/nodes": lambda: client.get("/v1/graph/nodes?limit=20"),
                "GET /v1/me": lambda: client.get("/v1/me", headers=auth),
                "GET /v1/wallet": lambda: client.get("/v1/wallet", headers=auth),
                "GET /v1/wallet/history": lambda: client.get("/v1/wallet/history", headers=auth),
            }
            for name, call in calls.items():
                status = call().status_code
                assert status == 200, f"{name}: {status}"
            results["requests"] = {
                name: _measure(c, n, statements, server) for name, c in calls.items()
            }
            results["requests"]["POST /v1/auth/login (argon2, production cost)"] = login
        finally:
            runtime.stop()
            install_features(None)
            probe.dispose()
    manifest = load_manifest()
    results["fan_out"] = {t.name: len(manifest.subscribers(t.name)) for t in manifest.topics}
    return results
