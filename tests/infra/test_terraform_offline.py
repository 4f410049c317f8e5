"""`terraform init -plugin-dir`, `validate` and `plan -refresh=false` run for real on the
production environment with the manifest's inputs, against the schema-only provider
(tests/infra/tfplugin/server.py): validate at the lowest pinned provider versions, plan at
the highest. Needs the terraform binary (not installable here); without it this fails."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from tests.infra.hcl import INFRA, ROOT
from tests.infra.tfplugin.build import plugin_dir

MISTAKES = ROOT / "tests" / "infra" / "fixtures" / "schema_mistakes"
PRODUCTION = INFRA / "environments" / "production"
EXAMPLE_VARS = PRODUCTION / "production.tfvars.example"


KNOWN_PLACE = Path("/usr/local/bin/terraform")  # where this kind of machine has 1.11.4


def terraform_binary(known_place: Path = KNOWN_PLACE) -> str:
    found = shutil.which("terraform") or (str(known_place) if known_place.is_file() else None)
    if not found:
        raise AssertionError(
            "terraform is not installed (it cannot be downloaded here): the offline "
            "validate/plan test needs it on PATH or at /usr/local/bin/terraform; the schema "
            "name check (tests/infra/test_provider_schemas.py) runs without it"
        )
    return found


def workspace(tmp: Path, end: str) -> tuple[Path, dict[str, str]]:
    """A root module calling infra/environments/production with the example's inputs."""
    text = EXAMPLE_VARS.read_text()
    inputs: dict[str, object] = dict(re.findall(r'^(\w+)\s*=\s*"([^"]*)"', text, re.M))
    # lists of strings (e.g. restore_operators) are JSON too
    inputs |= {k: json.loads(v) for k, v in re.findall(r"^(\w+)\s*=\s*(\[[^\]]*\])", text, re.M)}
    work = tmp / end
    work.mkdir()
    source = os.path.relpath(PRODUCTION, work)
    args = "\n".join(f"  {k} = {json.dumps(v)}" for k, v in inputs.items())
    (work / "main.tf").write_text(f'module "production" {{\n  source = "{source}"\n{args}\n}}\n')
    cli_config = tmp / "terraformrc"
    cli_config.write_text("# no registry, no plugin cache: -plugin-dir only\n")
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp),
        "TF_CLI_CONFIG_FILE": str(cli_config),
        "TF_DATA_DIR": str(work / ".terraform"),
        "TF_IN_AUTOMATION": "1",
        "CHECKPOINT_DISABLE": "1",
        "TF_INPUT": "0",
        "CLOUDFLARE_API_TOKEN": "offline-placeholder-token-000000000000000",
    }
    return work, env


def run(binary: str, work: Path, env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [binary, f"-chdir={work}", *args], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, f"terraform {args[0]} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def init(binary: str, work: Path, env: dict[str, str], end: str) -> None:
    run(binary, work, env, "init", "-backend=false", f"-plugin-dir={plugin_dir(end)}", "-no-color")


def test_a_missing_terraform_fails_with_a_message_that_says_so(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(AssertionError, match="terraform is not installed"):
        terraform_binary(tmp_path / "terraform")


@pytest.mark.slow
def test_validate_at_the_lowest_provider_versions(tmp_path: Path) -> None:
    binary = terraform_binary()
    work, env = workspace(tmp_path, "lowest")
    init(binary, work, env, "lowest")
    out = run(binary, work, env, "validate", "-json", "-no-color")
    result = json.loads(out)
    assert result["valid"], result
    assert result["error_count"] == 0, result


@pytest.mark.slow
def test_terraform_rejects_the_deliberate_mistakes_with_the_served_schema(tmp_path: Path) -> None:
    """The served schema bites in Terraform too: the name check's fixture fails validate."""
    binary = terraform_binary()
    work, env = workspace(tmp_path, "lowest")
    (work / "main.tf").write_text((MISTAKES / "main.tf").read_text())
    init(binary, work, env, "lowest")
    done = subprocess.run(
        [binary, f"-chdir={work}", "validate", "-json", "-no-color"],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    result = json.loads(done.stdout)
    assert not result["valid"], result
    found = {
        (d["summary"], d.get("snippet", {}).get("code", "").strip()) for d in result["diagnostics"]
    }
    summaries = {summary for summary, _ in found}
    assert {
        "Invalid resource type",
        "Unsupported argument",
        "Unsupported block type",
        "Missing required argument",
    } <= summaries, found
    assert any("key" in code for summary, code in found if summary == "Unsupported argument"), found


@pytest.mark.slow
def test_plan_at_the_highest_provider_versions(tmp_path: Path) -> None:
    binary = terraform_binary()
    work, env = workspace(tmp_path, "highest")
    init(binary, work, env, "highest")
    run(binary, work, env, "plan", "-refresh=false", "-lock=false", "-out=plan.bin", "-no-color")
    shown = json.loads(run(binary, work, env, "show", "-json", "plan.bin"))
    changes = shown["resource_changes"]
    created = [c for c in changes if c["change"]["actions"] == ["create"]]
    by_type = Counter(c["type"] for c in created)
    print(f"terraform plan (offline, highest pins): {len(created)} resources to create:")
    print(", ".join(f"{rtype} {count}" for rtype, count in by_type.most_common()))
    assert created, "the plan creates nothing"
    assert len(created) == len([c for c in changes if c["mode"] == "managed"]), changes
    planned = {c["type"] for c in created}
    assert {"google_cloud_run_v2_service", "google_pubsub_subscription"} <= planned
    # the restore path: its bucket, and the example's operator granted on it
    addresses = {c["address"] for c in created}
    assert "module.production.module.platform.google_storage_bucket.firestore_exports" in (
        addresses
    )
    operator = 'operators_read_exports["group:aia-operators@013a.tech"]'
    assert any(a.endswith(operator) for a in addresses), sorted(addresses)[:5]
    assert ROOT.is_dir()
