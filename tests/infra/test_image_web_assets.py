"""The image has what the web pages load (ADR 0023): the Dockerfile's node stage runs
scripts/build-web.sh on the npm lock and the app's stage copies the vendored files in.
Docker is not usable here, so the stages are replayed on the files the build context
would hold (.dockerignore), and the image's command serves the pages from the result;
the pipeline checks the real image with the same scripts (check-image.sh before the push,
check-page-assets.sh in the smoke tests)."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import yaml

from tests.infra.hcl import ROOT
from tests.infra.test_pipeline import free_port, image_files

DOCKERFILE = (ROOT / "Dockerfile").read_text()


def stages() -> dict[str, list[str]]:
    """Each stage's instructions (continuation lines joined), by stage name ('app' for
    the unnamed last one)."""
    lines = re.sub(r"\\\n\s*", " ", DOCKERFILE).splitlines()
    found: dict[str, list[str]] = {}
    current: list[str] = []
    for line in lines:
        if line.startswith("FROM "):
            words = line.split()
            current = found.setdefault(words[3] if len(words) > 3 else "app", [line])
        elif line.strip() and not line.startswith("#"):
            current.append(line.strip())
    return found


def replay(stage: list[str], context: Path, root: Path) -> None:
    """WORKDIR, COPY from the build context and RUN, with `root` as the stage's `/`."""
    workdir = root
    for line in stage[1:]:
        op, _, rest = line.partition(" ")
        if op == "WORKDIR":
            workdir = root / rest.lstrip("/")
            workdir.mkdir(parents=True, exist_ok=True)
        elif op == "COPY":
            *sources, target = rest.split()
            for source in sources:
                into = workdir / target
                into.mkdir(parents=True, exist_ok=True)
                shutil.copy(context / source, into)
        elif op == "RUN":
            done = subprocess.run(
                ["sh", "-c", rest], cwd=workdir, capture_output=True, text=True, check=False
            )
            assert done.returncode == 0, f"{line}\n{done.stdout}\n{done.stderr}"
        else:
            raise AssertionError(f"the replay does not know {op}: {line}")


def copies_from(stage_name: str) -> list[tuple[str, str]]:
    return re.findall(rf"^COPY --from={stage_name} (\S+) (\S+)$", DOCKERFILE, re.M)


def check_assets(context: Path) -> subprocess.CompletedProcess[str]:
    """scripts/check-image-assets.py as check-image.sh runs it: from /, the package on
    the path being the image's (here: the context's, ahead of the editable install)."""
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "check-image-assets.py")],
        cwd="/",
        env={"PYTHONPATH": str(context), "PATH": os.environ["PATH"]},
        capture_output=True,
        text=True,
        check=False,
    )


@contextmanager
def api_from(context: Path, data_dir: Path) -> Iterator[str]:
    """The image's CMD for the api function, run on `context` as its /app."""
    cmd = json.loads(re.search(r"^CMD (\[.*\])$", DOCKERFILE, re.M).group(1))  # type: ignore[union-attr]
    port = free_port()
    env = {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": str(context),
        "FUNCTION_TARGET": "api",
        "FUNCTION_SIGNATURE_TYPE": "http",
        "PORT": str(port),
        "AIA_DATA_DIR": str(data_dir),
        "AIA_SCHEDULER_ENABLED": "false",
    }
    proc = subprocess.Popen(
        cmd, cwd=context, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(base + "/health", timeout=5):
                    break
            except OSError:
                time.sleep(0.2)
        assert proc.poll() is None, "the api function did not start"
        yield base
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def test_the_node_stage_builds_the_assets_the_image_serves(tmp_path: Path) -> None:
    web = stages()["web-assets"]
    # FROM ${NODE_IMAGE}@${NODE_DIGEST}: the image is the ARG's default, pinned by digest
    args = dict(re.findall(r"^ARG (\w+)=(\S+)$", DOCKERFILE, re.M))
    assert web[0].split()[1] == "${NODE_IMAGE}@${NODE_DIGEST}"
    image = args["NODE_IMAGE"]
    major = int(image.split(":")[1].split("-")[0])
    assert image.startswith("node:") and major >= 22, f"{image}: past its end of life"
    assert "RUN npm_config_omit=dev bash scripts/build-web.sh" in web, "the make install script"
    context = image_files(tmp_path)
    # the context holds the lock and the script, never vendored files from a checkout
    assert not (context / "shared" / "web" / "static" / "vendor").exists()
    without = check_assets(context)
    assert without.returncode == 1 and "vendor/htmx.min.js" in without.stderr, without.stderr

    stage_root = tmp_path / "web-assets"
    replay(web, context, stage_root)
    assert not (stage_root / "src" / "web" / "node_modules" / "axe-core").exists(), "no devDeps"
    [(source, target)] = copies_from("web-assets")
    app = stages()["app"]
    copy_at = app.index(f"COPY --from=web-assets {source} {target}")
    # before the package is installed (the dependencies' layer may come first)
    package_at = next(i for i, line in enumerate(app) if "pip install" in line and " . " in line)
    assert copy_at < package_at
    shutil.copytree(stage_root / source.lstrip("/"), context / target, dirs_exist_ok=True)
    with_assets = check_assets(context)
    assert with_assets.returncode == 0, with_assets.stderr
    assert str(context) in with_assets.stdout  # the context's package, not the checkout's
    # chart pages' assets too: uPlot from npm and our charts.js (ADR 0029)
    for name in ("vendor/uPlot.iife.min.js", "vendor/uPlot.min.css", "charts.js"):
        assert name in with_assets.stdout, with_assets.stdout
    (context / "shared" / "web" / "static" / "vendor" / "uPlot.iife.min.js").rename(
        context / "uPlot.js"
    )
    no_charts = check_assets(context)
    assert no_charts.returncode == 1 and "vendor/uPlot.iife.min.js" in no_charts.stderr
    (context / "uPlot.js").rename(
        context / "shared" / "web" / "static" / "vendor" / "uPlot.iife.min.js"
    )

    # what the smoke tests run on a candidate revision, against the image's command
    with api_from(context, tmp_path / "data") as base:
        served = subprocess.run(
            ["bash", str(ROOT / "scripts" / "check-page-assets.sh"), base],
            capture_output=True,
            text=True,
            check=False,
        )
        assert served.returncode == 0, served.stderr
        assert "/assets/vendor/htmx.min.js" in served.stdout
        assert "/assets/app.css" in served.stdout
        assert "/assets/vendor/uPlot.iife.min.js" in served.stdout  # a chart page's
        assert "/assets/charts.js" in served.stdout
    refused = subprocess.run(
        ["bash", str(ROOT / "scripts" / "check-page-assets.sh"), base],
        capture_output=True,
        text=True,
        check=False,
    )
    assert refused.returncode == 1 and "sign-in failed" in refused.stderr


def test_the_pipeline_checks_the_built_image_before_pushing_it() -> None:
    check = (ROOT / "scripts" / "check-image.sh").read_text()
    assert re.search(r"docker run -i --rm --workdir / --entrypoint python \"\$IMAGE\" -", check)
    assert "scripts/check-image-assets.py" in check
    steps = [s["id"] for s in yaml.safe_load((ROOT / "cloudbuild.yaml").read_text())["steps"]]
    assert steps.index("build") < steps.index("image-test") < steps.index("push")
    deploy = (ROOT / "scripts" / "deploy-production.sh").read_text()
    build = deploy[deploy.index("phase_build() {") :]
    build = build[: build.index("\n}")]
    assert build.index("check-image.sh") < build.index("docker push")
    smoke = deploy[deploy.index("phase_smoke() {") :]
    assert 'check-page-assets.sh" "$base"' in smoke[: smoke.index("\n}")]
