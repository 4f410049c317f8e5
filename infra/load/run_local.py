"""`nox -s load`: the short k6 profile against a local `aia serve` (embedded backends, a
temporary AIA_DATA_DIR, a free port on 127.0.0.1), summary in bench-results/load.json.
`--target topology` (or AIA_LOAD_TARGET=topology) runs it against the production
topology instead (scripts/topology: the API in its own functions-framework process,
AIA_BACKEND=gcp on the stand-ins), summary in bench-results/load-topology.json.

The server is started here and stopped by its process id at the end; k6 sends traffic
to 127.0.0.1 only, for a bounded time (DURATION, default 20 s). Exit status: k6's
(non-zero when a threshold, p95 < 500 ms or errors < 1 %, is crossed)."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "infra" / "load" / "aia.js"
K6 = ROOT / ".emulators" / "k6-venv" / "bin" / "k6"
# aia.js's default paths: what the public edge serves (it refuses /ready and /metrics).
ALWAYS = ["/health", "/openapi.json"]
STARTED: dict[str, float] = {}  # the topology's start timings, for the report
OUTPUTS = {"serve": "load.json", "topology": "load-topology.json"}
TARGETS = {
    "serve": "aia serve (embedded backends, 127.0.0.1)",
    "topology": "the production topology (functions-framework per function, AIA_BACKEND=gcp)",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(url: str, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"aia serve exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as reply:  # noqa: S310 (loopback)
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"aia serve did not answer {url} within {timeout:.0f} s")


# One k6 client from one address would be throttled (429) by the per-client rate limits
# after 600 requests a minute: this run measures the server, not them.
UNLIMITED = json.dumps({"default": "100000000/60"})


@contextlib.contextmanager
def aia_serve(data_dir: str) -> Iterator[str]:
    """`aia serve` on a free port: its base URL; stopped by its process group."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "AIA_DATA_DIR": data_dir, "PORT": str(port), "LOG_LEVEL": "WARNING"}
    env["AIA_LOG_LEVEL"] = "WARNING"
    env["AIA_RATE_LIMITS"] = UNLIMITED
    aia = Path(sys.executable).parent / "aia"
    server = subprocess.Popen(  # noqa: S603 (our own entry point, fixed arguments)
        [str(aia), "serve", "--host", "127.0.0.1", "--port", str(port), "--root", str(ROOT)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_until_up(f"{base}/health", server)
        yield base
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


@contextlib.contextmanager
def topology(data_dir: str) -> Iterator[str]:
    """The production topology (scripts/topology): the API function's base URL."""
    sys.path.insert(0, str(ROOT))
    from scripts.topology.launcher import Options, start

    env = {"AIA_LOG_LEVEL": "WARNING", "AIA_RATE_LIMITS": UNLIMITED}
    running = start(Options(data_dir=Path(data_dir), env=env))
    STARTED.update({k: round(v, 2) for k, v in running.timings.items()})
    print(f"load: topology up in {running.timings['total_seconds']:.1f} s")
    try:
        yield running.url("api")
    finally:
        running.stop()


def public_get_paths(base: str, limit: int) -> list[str]:
    """A few GET endpoints that need no login and no path parameter, from /openapi.json."""
    with urllib.request.urlopen(f"{base}/openapi.json", timeout=10) as reply:  # noqa: S310
        spec = json.load(reply)
    paths = []
    for path, operations in sorted(spec.get("paths", {}).items()):
        get = operations.get("get")
        skip = {*ALWAYS, "/ready", "/metrics", "/docs"}
        public = get and "{" not in path and not get.get("security") and path not in skip
        # some need a query or data that a fresh run lacks: keep those that answer
        if public and _answers(f"{base}{path}"):
            paths.append(path)
    return ALWAYS + paths[:limit]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=10) as reply:  # noqa: S310 - our own server
            return bool(reply.status == 200)
    except urllib.error.HTTPError:
        return False


def k6_binary() -> str:
    if K6.is_file():
        return str(K6)
    found = shutil.which("k6")
    if found:
        return found
    raise SystemExit("k6 is not installed: run `bash scripts/install-tools.sh`")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", default=os.environ.get("DURATION", "20s"))
    parser.add_argument(
        "--target",
        choices=sorted(OUTPUTS),
        default=os.environ.get("AIA_LOAD_TARGET", "serve"),
        help="aia serve (embedded) or the production topology (scripts/topology)",
    )
    parser.add_argument("--output", default=None, help="default bench-results/<target's file>")
    parser.add_argument("--extra-paths", type=int, default=3)
    args = parser.parse_args(argv)

    k6 = k6_binary()
    output = Path(args.output or ROOT / "bench-results" / OUTPUTS[args.target])
    output.parent.mkdir(parents=True, exist_ok=True)
    target = aia_serve if args.target == "serve" else topology
    with tempfile.TemporaryDirectory(prefix="aia-load-") as data_dir, target(data_dir) as base:
        paths = public_get_paths(base, args.extra_paths)
        print(f"load: k6 short profile, {args.duration}, against {base}: {', '.join(paths)}")
        raw = output.with_suffix(".k6.json")
        result = subprocess.run(  # noqa: S603 (the k6 binary, fixed arguments)
            [
                k6,
                "run",
                "--quiet",
                "--no-usage-report",
                "-e",
                f"BASE_URL={base}",
                "-e",
                "PROFILE=short",
                "-e",
                f"DURATION={args.duration}",
                "-e",
                f"PATHS={','.join(paths)}",
                "-e",
                f"SUMMARY={raw}",
                str(SCRIPT),
            ],
            cwd=ROOT,
            check=False,
        )
    summary = json.loads(raw.read_text())
    raw.unlink()
    metrics = summary["metrics"]
    duration = metrics["http_req_duration"]["values"]
    report = {
        "benchmark": "load",
        "tool": "k6",
        "profile": "short",
        "target": TARGETS[args.target],
        "duration": args.duration,
        "vus": 10,
        "paths": paths,
        "requests": metrics["http_reqs"]["values"]["count"],
        "requests_per_second": round(metrics["http_reqs"]["values"]["rate"], 1),
        "latency_ms": {k: round(v, 2) for k, v in duration.items()},
        "error_rate": metrics["http_req_failed"]["values"]["rate"],
        "thresholds": {
            name: {expr: bool(outcome["ok"]) for expr, outcome in m["thresholds"].items()}
            for name, m in metrics.items()
            if "thresholds" in m
        },
        "passed": result.returncode == 0,
    }
    if STARTED:
        report["start_seconds"] = STARTED
    output.write_text(json.dumps(report, indent=2) + "\n")
    print(
        f"load: {report['requests']} requests, p95 {duration['p(95)']:.1f} ms, "
        f"errors {100 * report['error_rate']:.2f} % -> {output}"
    )
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
