#!/usr/bin/env python3
"""Watch a release after traffic moved to it, and roll it back on the deployment
strategy's automatic triggers (docs/deploy.md, "Roll back"):

    health check failing          for 5 minutes
    error rate above 5 %          for 3 minutes
    p95 latency above 2 s         for 5 minutes

Health is probed on each public hostname's /health. Error rate and p95 come from Cloud
Run's own request metrics of the new revisions (run.googleapis.com/request_count and
request_latencies, read with PromQL from Cloud Monitoring), so they cover every
function, event functions included. A trigger that holds for its whole duration runs
`scripts/deploy-production.sh rollback`, which sends all traffic back to the revisions
recorded before the shift, and this script exits 1 (the build fails, visibly).

Standard library only: it runs in Cloud Build's cloud-sdk image.
    rollback-watch.py --project P --region R --revisions rev-a,rev-b \
        --health-url https://api.013a.tech/health [--watch-seconds 600]
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MONITORING = "https://monitoring.googleapis.com/v1/projects/{project}/location/global/prometheus/api/v1/query"


@dataclass
class Trigger:
    """A condition that must hold on every sample for `seconds` in a row."""

    name: str
    threshold: float
    seconds: float
    breached_since: float | None = field(default=None)

    def observe(self, now: float, value: float | None) -> bool:
        """Record one sample; True once the breach has lasted `seconds`. No data (None,
        NaN: no traffic) is not a breach and ends one in progress."""
        if value is None or math.isnan(value) or not value > self.threshold:
            self.breached_since = None
            return False
        if self.breached_since is None:
            self.breached_since = now
        return now - self.breached_since >= self.seconds


def strategy_triggers() -> dict[str, Trigger]:
    return {
        # health: the share of hostnames whose /health failed (any failure counts)
        "health": Trigger("health check failing", threshold=0.0, seconds=300),
        "error_rate": Trigger("error rate above 5 %", threshold=0.05, seconds=180),
        "p95_seconds": Trigger("p95 latency above 2 s", threshold=2.0, seconds=300),
    }


def promql_queries(revisions: Iterable[str], min_rps: float) -> dict[str, str]:
    """Worst service among the new revisions, ignoring services with almost no traffic
    (one failed retry among three requests is not an outage)."""
    names = "|".join(sorted(revisions))
    sel = f'monitored_resource="cloud_run_revision",revision_name=~"{names}"'
    total = f"sum by (service_name) (rate(run_googleapis_com:request_count{{{sel}}}[1m]))"
    errors = (
        f"sum by (service_name) (rate(run_googleapis_com:request_count"
        f'{{{sel},response_code_class="5xx"}}[1m]))'
    )
    p95_ms = (
        "histogram_quantile(0.95, sum by (service_name, le) "
        f"(rate(run_googleapis_com:request_latencies_bucket{{{sel}}}[1m])))"
    )
    busy = f"({total} > {min_rps})"
    return {
        "error_rate": f"max((({errors}) or ({total} * 0)) / {total} and on (service_name) {busy})",
        "p95_seconds": f"max(({p95_ms}) / 1000 and on (service_name) {busy})",
    }


def instant_value(response: dict[str, object]) -> float | None:
    """The value of a Prometheus instant-query response, None when it has no sample."""
    data = response.get("data")
    if not isinstance(data, dict) or data.get("resultType") != "vector":
        return None
    result = data.get("result") or []
    if not result:
        return None
    return float(result[0]["value"][1])


def health_failure_share(urls: list[str], fetch: Callable[[str], tuple[int, bytes]]) -> float:
    failed = 0
    for url in urls:
        try:
            status, body = fetch(url)
            ok = status == 200 and json.loads(body or b"{}").get("status") == "ok"
        except (OSError, ValueError):
            ok = False
        failed += 0 if ok else 1
    return failed / len(urls) if urls else 0.0


def watch(
    *,
    sample: Callable[[], dict[str, float | None]],
    clock: Callable[[], float],
    sleep: Callable[[float], None],
    watch_seconds: float,
    interval: float,
    triggers: dict[str, Trigger] | None = None,
    log: Callable[[str], None] = print,
) -> Trigger | None:
    """Sample until `watch_seconds` have passed; the first trigger to fire, or None."""
    triggers = triggers or strategy_triggers()
    start = clock()
    while True:
        now = clock()
        values = sample()
        log(f"t+{now - start:5.0f}s " + " ".join(f"{k}={v}" for k, v in values.items()))
        for key, trigger in triggers.items():
            if trigger.observe(now, values.get(key)):
                return trigger
        if now - start >= watch_seconds:
            return None
        sleep(interval)


# --- the real world (Cloud Monitoring, HTTP, gcloud) -------------------------------------------
def executable(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"rollback-watch: {name} is not on PATH")
    return found


def access_token() -> str:
    return subprocess.run(  # noqa: S603 (gcloud, fixed arguments)
        [executable("gcloud"), "auth", "print-access-token"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def query(project: str, promql: str, token: str) -> float | None:
    url = MONITORING.format(project=project) + "?" + urllib.parse.urlencode({"query": promql})
    request = urllib.request.Request(  # noqa: S310 (a fixed https:// endpoint)
        url, headers={"Authorization": f"Bearer {token}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=20) as reply:  # noqa: S310 (https only)
            return instant_value(json.loads(reply.read()))
    except (urllib.error.URLError, ValueError) as exc:
        print(f"rollback-watch: query failed ({exc}); counted as no data", file=sys.stderr)
        return None


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as reply:  # noqa: S310 (https only)
            return reply.status, reply.read(4096)
    except urllib.error.HTTPError as exc:
        return exc.code, b""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--project", required=True)
    parser.add_argument("--region", required=True)
    parser.add_argument("--revisions", required=True, help="comma-separated new revisions")
    parser.add_argument("--health-url", action="append", default=[], required=True)
    parser.add_argument("--watch-seconds", type=float, default=600)
    parser.add_argument("--interval", type=float, default=15)
    parser.add_argument("--min-rps", type=float, default=0.1)
    parser.add_argument("--no-rollback", action="store_true", help="report only")
    args = parser.parse_args(argv)
    for url in args.health_url:
        if not url.startswith("https://"):
            parser.error(f"--health-url must be https: {url}")

    revisions = [r for r in args.revisions.split(",") if r]
    queries = promql_queries(revisions, args.min_rps)
    token = {"value": access_token(), "at": time.monotonic()}

    def sample() -> dict[str, float | None]:
        if time.monotonic() - token["at"] > 1800:  # tokens live an hour
            token.update(value=access_token(), at=time.monotonic())
        values: dict[str, float | None] = {
            key: query(args.project, promql, str(token["value"])) for key, promql in queries.items()
        }
        values["health"] = health_failure_share(args.health_url, fetch)
        return values

    fired = watch(
        sample=sample,
        clock=time.monotonic,
        sleep=time.sleep,
        watch_seconds=args.watch_seconds,
        interval=args.interval,
    )
    if fired is None:
        print(f"rollback-watch: release healthy for {args.watch_seconds:.0f} s")
        return 0
    print(f"rollback-watch: ROLLBACK: {fired.name} for {fired.seconds:.0f} s", file=sys.stderr)
    if not args.no_rollback:
        subprocess.run(  # noqa: S603 (our own script, fixed arguments)
            [executable("bash"), str(ROOT / "scripts" / "deploy-production.sh"), "rollback"],
            check=True,
        )
    return 1


if __name__ == "__main__":
    sys.exit(main())
