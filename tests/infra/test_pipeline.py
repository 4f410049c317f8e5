"""The delivery pipeline: cloudbuild.yaml runs the phases in the strategy's order and
calls the same deploy script an operator uses by hand; the image holds what every
function needs; the rollback watch fires exactly on the strategy's triggers."""

from __future__ import annotations

import importlib.util
import json
import math
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from shared.wiring.manifest import load_manifest
from tests.infra.hcl import ROOT
from tests.infra.tools import tool

STEPS_IN_ORDER = [
    "require-commit",
    "secret-scan",
    "install",
    "lint",
    "typecheck",
    "dependency-audit",
    "tests",
    "build",
    "image-test",
    "push",
    "terraform-plan",
    "terraform-apply",
    "migrate",
    "deploy-candidates",
    "smoke-tests",
    "shift-traffic",
    "watch-and-rollback",
]


def load_script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name.replace("-", "_"), ROOT / "scripts" / name)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def watch_module() -> ModuleType:
    return load_script("rollback-watch.py")


# --- cloudbuild.yaml ---------------------------------------------------------------------------
def test_cloudbuild_runs_the_phases_in_order() -> None:
    build = yaml.safe_load((ROOT / "cloudbuild.yaml").read_text())
    steps = build["steps"]
    assert [s["id"] for s in steps] == STEPS_IN_ORDER
    by_id = {s["id"]: s for s in steps}
    # The image is built only after every check passed.
    assert set(by_id["build"]["waitFor"]) == {
        "secret-scan",
        "lint",
        "typecheck",
        "dependency-audit",
        "tests",
    }
    release = ["migrate", "deploy-candidates", "smoke-tests", "shift-traffic", "watch-and-rollback"]
    phases = [by_id[s]["args"][-1] for s in release]
    assert phases == ["migrate", "candidates", "smoke", "shift", "watch"]
    for step in release:
        assert by_id[step]["args"][0] == "scripts/deploy-production.sh"
        assert "waitFor" not in by_id[step], "release steps run one after another"
    assert "pip_audit" in json.dumps(by_id["dependency-audit"])
    assert "gitleaks" in by_id["secret-scan"]["name"]
    assert by_id["tests"]["args"] == ["scripts/cloudbuild-test.sh"]
    # the built image is checked for the web assets before it is pushed
    assert by_id["image-test"]["args"] == ["scripts/check-image.sh", "${_IMAGE}"]
    plan = "\n".join(by_id["terraform-plan"]["args"])
    # Terraform gets the pushed image by digest (tests/infra/test_supply_chain.py)
    assert "terraform plan" in plan and '-var "image=$$(cat /workspace/.release/image)"' in plan
    assert "/workspace/.release/tfplan" in by_id["terraform-apply"]["args"][-1]
    assert "${SHORT_SHA}" in build["substitutions"]["_IMAGE"]
    assert int(build["timeout"].rstrip("s")) <= 5400


def test_deploy_script_phases_exist_and_parse() -> None:
    script = ROOT / "scripts" / "deploy-production.sh"
    assert subprocess.run(["bash", "-n", str(script)], check=False).returncode == 0
    text = script.read_text()
    for phase in (
        "checks",
        "build",
        "infra",
        "migrate",
        "candidates",
        "smoke",
        "shift",
        "watch",
        "rollback",
    ):
        assert re.search(rf"^phase_{phase}\(\) \{{", text, re.M), phase
    assert '--no-traffic --tag "$CANDIDATE_TAG"' in text
    assert "rollback-watch.py" in text
    usage = subprocess.run(
        ["bash", str(script)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "GCP_PROJECT_ID": "p"},
    )
    assert usage.returncode == 2 and "Phases" in usage.stderr


# --- the rollback watch ----------------------------------------------------------------
class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def run_watch(watch_module, series: dict[str, list[float | None]], interval: float = 15):
    clock = FakeClock()
    index = {"i": 0}

    def sample():
        i = index["i"]
        index["i"] += 1
        return {k: (v[i] if i < len(v) else v[-1]) for k, v in series.items()}

    fired = watch_module.watch(
        sample=sample,
        clock=clock,
        sleep=clock.sleep,
        watch_seconds=900,
        interval=interval,
        log=lambda _: None,
    )
    return fired, clock.now


def test_error_rate_above_5_percent_for_3_minutes_rolls_back(watch_module) -> None:
    fired, at = run_watch(watch_module, {"error_rate": [0.01] * 4 + [0.08] * 100})
    assert fired is not None and fired.name == "error rate above 5 %"
    assert at == 60 + 180  # first bad sample at 60 s, held for 180 s


def test_a_dip_resets_the_clock(watch_module) -> None:
    # 2:45 bad, one good sample, 2:45 bad again: never 3 minutes in a row.
    pattern = ([0.2] * 12 + [0.0]) * 6
    fired, _ = run_watch(watch_module, {"error_rate": [*pattern, 0.0]})
    assert fired is None


def test_p95_above_2_seconds_for_5_minutes_rolls_back(watch_module) -> None:
    fired, at = run_watch(watch_module, {"p95_seconds": [2.5] * 100})
    assert fired is not None and fired.name == "p95 latency above 2 s" and at == 300
    fired, _ = run_watch(watch_module, {"p95_seconds": [2.0] * 100})  # at threshold: fine
    assert fired is None


def test_health_failing_for_5_minutes_rolls_back(watch_module) -> None:
    fired, at = run_watch(watch_module, {"health": [0.0] * 2 + [1.0] * 100})
    assert fired is not None and fired.name == "health check failing" and at == 30 + 300
    fired, _ = run_watch(watch_module, {"health": [1.0] * 19 + [0.0]})  # 4:45 then ok
    assert fired is None


def test_no_traffic_is_not_a_breach(watch_module) -> None:
    fired, at = run_watch(watch_module, {"error_rate": [None, math.nan] * 50, "health": [0.0]})
    assert fired is None and at >= 900


def test_health_share_counts_bad_answers_and_errors(watch_module) -> None:
    answers = {
        "https://a/health": (200, b'{"status":"ok","version":"1"}'),
        "https://b/health": (503, b""),
        "https://c/health": (200, b"not json"),
    }

    def fetch(url: str):
        if url == "https://d/health":
            raise OSError("connection refused")
        return answers[url]

    assert watch_module.health_failure_share(["https://a/health"], fetch) == 0.0
    share = watch_module.health_failure_share([*answers, "https://d/health"], fetch)
    assert share == 0.75


def test_instant_query_values(watch_module) -> None:
    assert watch_module.instant_value({"data": {"resultType": "vector", "result": []}}) is None
    reply = {"data": {"resultType": "vector", "result": [{"metric": {}, "value": [1, "0.07"]}]}}
    assert watch_module.instant_value(reply) == 0.07


def test_watch_queries_are_valid_promql(watch_module, tmp_path) -> None:
    queries = watch_module.promql_queries(["api-00042-abc", "tick-00007-xyz"], 0.1)
    assert set(queries) == {"error_rate", "p95_seconds"}
    assert 'response_code_class="5xx"' in queries["error_rate"]
    rules = [{"record": f"aia:watch:{k}", "expr": v} for k, v in queries.items()]
    path = tmp_path / "watch.yml"
    path.write_text(yaml.safe_dump({"groups": [{"name": "watch", "rules": rules}]}))
    result = subprocess.run(
        [str(tool("promtool")), "check", "rules", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_watch_refuses_plain_http(watch_module) -> None:
    with pytest.raises(SystemExit):
        watch_module.main(
            [
                "--project",
                "p",
                "--region",
                "r",
                "--revisions",
                "x",
                "--health-url",
                "http://api.013a.tech/health",
            ]
        )


# --- the image ------------------------------------------------------------------------------------
def image_files(tmp_path: Path) -> Path:
    """Copy what .dockerignore lets into the build context (it allow-lists)."""
    lines = [ln.strip() for ln in (ROOT / ".dockerignore").read_text().splitlines()]
    rules = [ln for ln in lines if ln and not ln.startswith("#")]
    assert rules[0] == "*", ".dockerignore starts by excluding everything"
    context = tmp_path / "context"
    for rule in rules[1:]:
        if not rule.startswith("!"):
            if "*" not in rule:  # a path excluded again below an allowed one
                shutil.rmtree(context / rule.rstrip("/"), ignore_errors=True)
            continue
        source = ROOT / rule[1:].rstrip("/")
        target = context / rule[1:].rstrip("/")
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, target)
    return context


def test_dockerfile_is_one_image_for_every_function() -> None:
    text = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM \$\{PYTHON_IMAGE\}@\$\{PYTHON_DIGEST\}$", text, re.M)
    assert re.search(r"^ARG PYTHON_IMAGE=python:3\.11-slim$", text, re.M)
    assert re.search(r"^USER 10001", text, re.M), "runs as a non-root user"
    assert "COPY functions/ functions/" in text and "COPY workflows/ workflows/" in text
    cmd = json.loads(re.search(r"^CMD (\[.*\])$", text, re.M).group(1))
    # our launcher around functions-framework (it adds GET /ready); exec form: PID 1 is
    # python, whose gunicorn arbiter takes Cloud Run's SIGTERM
    assert cmd == ["python", "-m", "shared.runtime.function_server"]


def _requirement_names(requirements: list[str]) -> set[str]:
    return {re.split(r"[\[<>=!~; ]", r, maxsplit=1)[0].lower() for r in requirements}


def test_the_image_leaves_out_the_local_extra() -> None:
    """workflows-emulator and what its library needs (pyproject's `local` extra) serve
    `make run` and the tests; the production image installs the package alone."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    local = _requirement_names(project["optional-dependencies"]["local"])
    main = _requirement_names(project["dependencies"])
    assert {"addict", "typeguard", "google-re2", "jsonschema"} <= local
    # requests and pyyaml stay: our own mail adapters and manifest loading import them
    assert local & main == {"requests", "pyyaml"}, local & main
    dockerfile = (ROOT / "Dockerfile").read_text()
    installs = re.findall(r"pip install ([^\n\\]*)", dockerfile)
    # the lock (with hashes), then `.` with no dependencies and no extra
    assert installs == [
        "--no-compile --require-hashes -r requirements.lock",
        "--no-compile --no-deps --no-build-isolation . ",
    ], installs
    lock = _requirement_names(
        [ln for ln in (ROOT / "requirements.lock").read_text().splitlines() if "==" in ln]
    )
    assert not lock & {"addict", "typeguard", "google-re2", "workflows-emulator"}, lock
    assert "workflows-emulator" not in dockerfile and "local" not in dockerfile
    makefile = (ROOT / "Makefile").read_text()
    assert "-e '.[dev,local]'" in makefile and "--no-deps '$(WORKFLOWS_EMULATOR)'" in makefile


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def probe(port: int) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/ready", timeout=10) as reply:
            return int(reply.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def call(fn, port: int) -> int:
    if fn.http:
        path = "/health" if "/health" in fn.http.routes else "/"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as reply:
            return int(reply.status)
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/",
        method="POST",
        data=b"{}",
        headers={
            "Content-Type": "application/json",
            "ce-id": "1",
            "ce-source": "//test",
            "ce-specversion": "1.0",
            "ce-type": "tech.013a.test.unknown",
        },
    )
    with urllib.request.urlopen(request, timeout=5) as reply:
        return int(reply.status)


def test_the_image_command_starts_every_manifest_function(tmp_path) -> None:
    """Without Docker: run the image's CMD on the files the build context would hold,
    for every function of the manifest (all at once), call each one and its /ready."""
    context = image_files(tmp_path)
    cmd = json.loads(re.search(r"^CMD (\[.*\])$", (ROOT / "Dockerfile").read_text(), re.M).group(1))
    bin_dir = Path(sys.executable).parent
    running = []
    try:
        for fn in load_manifest().functions:
            port = free_port()
            env = {
                "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
                "PYTHONPATH": str(context),  # the copied shared/ wins over the editable install
                "FUNCTION_TARGET": fn.target,
                "FUNCTION_SIGNATURE_TYPE": "http" if fn.http else "cloudevent",
                "PORT": str(port),
                "AIA_DATA_DIR": str(tmp_path / f"data-{fn.name}"),
                "AIA_SCHEDULER_ENABLED": "false",
            }
            proc = subprocess.Popen(
                cmd,
                cwd=context,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            running.append((fn, port, proc))
        for fn, port, proc in running:
            status = None
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and proc.poll() is None:
                try:
                    status = call(fn, port)
                    break
                except urllib.error.HTTPError as exc:
                    status = exc.code
                    break
                except OSError:
                    time.sleep(0.2)
            output = b""
            if status is None:
                if proc.poll() is None:
                    os.killpg(proc.pid, signal.SIGTERM)
                output = proc.communicate(timeout=10)[0]
            # /health answers 200; another HTTP function answers its own way (not 5xx);
            # an event function acks a CloudEvent of an unknown type (dead-lettered).
            healthy = fn.http is None or "/health" in fn.http.routes
            expected = range(200, 300) if healthy else range(200, 500)
            assert status in expected, (
                f"{fn.name}: {status}\n{output.decode(errors='replace')[-3000:]}"
            )
            # Cloud Run's startup probe (run.tf): GET /ready, on every function
            assert probe(port) == 200, fn.name
    finally:
        for _, _, proc in running:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=10)
