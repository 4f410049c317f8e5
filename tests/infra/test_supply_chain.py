"""Supply chain (docs/decisions/0034): the image's bases are pinned by digest through
build arguments, its Python packages install from a lock with hashes, Cloud Build
records the image and deploys it by digest, and a build with no commit stops at once."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.version import Version

from tests.infra.hcl import ROOT

DOCKERFILE = (ROOT / "Dockerfile").read_text()
LOCK = ROOT / "requirements.lock"
DIGEST = "sha256:" + "a" * 64


def cloudbuild() -> dict:
    return yaml.safe_load((ROOT / "cloudbuild.yaml").read_text())


def steps() -> dict[str, dict]:
    return {s["id"]: s for s in cloudbuild()["steps"]}


# --- the Dockerfile ------------------------------------------------------------------------
def test_every_base_image_is_pinned_by_a_digest_argument() -> None:
    froms = re.findall(r"^FROM (\S+)", DOCKERFILE, re.M)
    assert len(froms) == 2
    args = re.findall(r"^ARG (\w+)(?:=(\S*))?$", DOCKERFILE, re.M)
    declared = dict(args)
    for image in froms:
        match = re.fullmatch(r"\$\{(\w+_IMAGE)\}@\$\{(\w+_DIGEST)\}", image)
        assert match, f"FROM {image}: not pinned by a digest argument"
        name, digest = match.groups()
        assert declared[name], f"{name} names the image"
        assert declared[digest] == "", f"{digest} has no default: the build must pass it"
    # Cloud Build passes both digests
    build = steps()["build"]["args"]
    for digest in ("PYTHON_DIGEST", "NODE_DIGEST"):
        assert f"--build-arg={digest}=${{_{digest}}}" in build


def lock_entries() -> dict[str, tuple[Version, list[str]]]:
    """name -> (version, sha256 hashes) from requirements.lock."""
    text = LOCK.read_text()
    entries = {}
    for block in re.split(r"\n(?=[a-z0-9])", text.split("\n", 2)[2]):
        match = re.match(r"([a-z0-9][a-z0-9._-]*)==(\S+)", block)
        if not match:
            continue
        hashes = re.findall(r"--hash=sha256:([0-9a-f]{64})", block)
        entries[match.group(1).lower()] = (Version(match.group(2)), hashes)
    return entries


def test_dependencies_install_from_the_lock_with_hashes() -> None:
    assert "RUN pip install --no-compile --require-hashes -r requirements.lock" in DOCKERFILE
    assert re.search(r"pip install [^\n]*--no-deps[^\n]* \. ", DOCKERFILE), "`.` resolves nothing"
    header = LOCK.read_text().splitlines()[1]
    assert "--generate-hashes" in header and "pyproject.toml" in header
    entries = lock_entries()
    assert len(entries) > 50
    for name, (_, hashes) in entries.items():
        assert hashes, f"{name} has no hash"
    # every direct dependency (and the build backend) is locked at a version it admits
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    wanted = [Requirement(r) for r in project["project"]["dependencies"]]
    wanted += [Requirement(r) for r in project["build-system"]["requires"]]
    for requirement in wanted:
        name = re.sub(r"[_.]+", "-", requirement.name.lower())
        assert name in entries, f"{name} is not in requirements.lock: re-run its header command"
        version = entries[name][0]
        assert requirement.specifier.contains(version, prereleases=True), (
            f"{name}=={version} does not satisfy {requirement.specifier}"
        )
    assert "!requirements.lock" in (ROOT / ".dockerignore").read_text()


# --- Cloud Build ---------------------------------------------------------------------------
def test_the_image_is_recorded_and_deployed_by_digest() -> None:
    build = cloudbuild()
    assert build["images"] == ["${_IMAGE}"]
    push = "\n".join(steps()["push"]["args"])
    assert 'docker push "${_IMAGE}"' in push
    assert "{{index .RepoDigests 0}}" in push and "> /workspace/.release/image" in push
    plan = "\n".join(steps()["terraform-plan"]["args"])
    assert '-var "image=$$(cat /workspace/.release/image)"' in plan
    script = (ROOT / "scripts" / "deploy-production.sh").read_text()
    candidates = script[script.index("phase_candidates() {") :]
    candidates = candidates[: candidates.index("\n}\n")]
    assert 'image="$(image_ref)"' in candidates and '--image "$image"' in candidates
    assert "$IMAGE" not in candidates, "a candidate is deployed by tag"
    assert '-var "image=$(image_ref)"' in script


def run_require_commit(commit: str, python: str, node: str) -> subprocess.CompletedProcess[str]:
    """The require-commit step's script, with Cloud Build's substitutions applied."""
    [script] = [a for a in steps()["require-commit"]["args"] if "COMMIT_SHA" in a]
    values = {"COMMIT_SHA": commit, "_PYTHON_DIGEST": python, "_NODE_DIGEST": node}
    for key, value in values.items():
        script = script.replace(f"${{{key}}}", value)
    script = script.replace("$$", "$")
    return subprocess.run(["bash", "-c", script], capture_output=True, text=True, check=False)


def test_a_build_without_a_commit_stops_first() -> None:
    order = [s["id"] for s in cloudbuild()["steps"]]
    assert order[0] == "require-commit"
    for step in cloudbuild()["steps"][1:]:
        waits = step.get("waitFor")
        # a step with waitFor starts only after those; every chain begins at require-commit
        assert waits != ["-"], step["id"]
    assert steps()["secret-scan"]["waitFor"] == ["require-commit"]
    assert steps()["install"]["waitFor"] == ["require-commit"]
    sha = "0123456789abcdef0123456789abcdef01234567"
    assert run_require_commit(sha, DIGEST, DIGEST).returncode == 0
    no_commit = run_require_commit("", DIGEST, DIGEST)
    assert no_commit.returncode == 1 and "no COMMIT_SHA" in no_commit.stderr
    assert run_require_commit(sha, "", DIGEST).returncode == 1
    assert run_require_commit(sha, DIGEST, "latest").returncode == 1


def test_the_deploy_script_refuses_to_build_without_a_commit(tmp_path: Path) -> None:
    """Outside a git checkout, with no IMAGE_TAG, the manual path stops too."""
    copy = tmp_path / "scripts" / "deploy-production.sh"
    copy.parent.mkdir()
    shutil.copy(ROOT / "scripts" / "deploy-production.sh", copy)
    env = {**os.environ, "GCP_PROJECT_ID": "p", "GIT_CEILING_DIRECTORIES": str(tmp_path)}
    env.pop("IMAGE_TAG", None)
    result = subprocess.run(
        ["bash", str(copy), "build"], capture_output=True, text=True, check=False, env=env
    )
    assert result.returncode == 1 and "no commit SHA" in result.stderr, result.stderr
    # and the build phase wants the base digests
    env["IMAGE_TAG"] = "abc123"
    result = subprocess.run(
        ["bash", str(copy), "build"], capture_output=True, text=True, check=False, env=env
    )
    assert result.returncode != 0 and "PYTHON_DIGEST" in result.stderr, result.stderr
