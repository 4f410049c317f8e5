"""infra/ checked against the provider schemas at the lowest and highest versions its
constraints admit (tests/infra/provider_schemas.py, offline once cached), and a fixture of
deliberate mistakes proving the check reports each kind of error."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.infra import provider_schemas
from tests.infra.hcl import INFRA, ROOT, blocks, parse, tf_files, unquote
from tests.infra.schema_check import check_folder

MISTAKES = ROOT / "tests" / "infra" / "fixtures" / "schema_mistakes"
ENDS = ("lowest", "highest")


def schemas(end: str) -> dict[str, dict[str, Any]]:
    return {name: provider_schemas.schema(name, end) for name in provider_schemas.PINS[end]}


@pytest.mark.parametrize("end", ENDS)
def test_infra_matches_the_provider_schemas(end: str) -> None:
    assert check_folder(INFRA, schemas(end)) == []


@pytest.mark.parametrize("end", ENDS)
def test_the_check_reports_each_deliberate_mistake(end: str) -> None:
    found = check_folder(MISTAKES, schemas(end))
    expected = [
        "google_storage_bukket.typo: unknown resource type for provider google",
        "google_storage_bucket.unknown_argument: unknown argument versoning_enabled",
        "google_cloud_run_v2_service.unknown_block.template: unknown block scalling",
        "google_pubsub_topic.missing_name: missing required argument name",
        "google_cloud_run_v2_service.dynamic_content.template.containers.env: unknown argument key",
    ]
    for problem in expected:
        assert any(line.endswith(problem) for line in found), (problem, found)
    assert not any(".fine" in line for line in found), found


def test_a_mistake_inside_a_module_and_a_dynamic_block_of_infra_is_reported(
    tmp_path: Path,
) -> None:
    """The real infra/, copied, with one argument misspelt in a dynamic block's content of
    the platform module: the check must name exactly that one."""
    copy = tmp_path / "infra"
    shutil.copytree(INFRA, copy, ignore=shutil.ignore_patterns(".terraform*"))
    run_tf = copy / "modules" / "platform" / "run.tf"
    text = run_tf.read_text()
    assert text.count("mount_path") >= 1
    run_tf.write_text(text.replace("mount_path", "mount_pth", 1))
    found = check_folder(copy, schemas("highest"))
    assert len(found) == 2, found  # the unknown name, and the required one now missing
    assert any(line.endswith("unknown argument mount_pth") for line in found), found
    assert all("modules/platform/run.tf" in line for line in found), found


def test_the_pins_are_the_ends_of_the_version_constraints() -> None:
    """The pinned provider versions are the lowest and highest each constraint admits."""
    constraints: dict[str, set[str]] = {}
    for path in tf_files():
        for terraform in parse(path).get("terraform", []):
            for required in terraform.get("required_providers", []):
                for name, spec in required.items():
                    if not name.startswith("__"):
                        constraints.setdefault(name, set()).add(unquote(spec["version"]))
    for name, found in constraints.items():
        assert len(found) == 1, f"{name}: modules disagree on the version: {found}"
        (constraint,) = found
        low, high = re.fullmatch(r">= ([\d.]+), < ([\d.]+)", constraint).groups()  # type: ignore[union-attr]
        lowest = provider_schemas.PINS["lowest"][name].version
        highest = provider_schemas.PINS["highest"][name].version
        assert lowest == f"{low}.0", (name, constraint, lowest)
        assert highest.split(".")[0] == str(int(high.split(".")[0]) - 1), (name, highest)
        assert schemas("lowest")[name]["version"] == lowest
        assert schemas("highest")[name]["version"] == highest


def test_the_extracted_schema_knows_required_arguments_blocks_and_computed_attributes() -> None:
    run = schemas("lowest")["google"]["resources"]["google_cloud_run_v2_service"]
    assert run["attributes"]["name"].get("required")
    assert run["attributes"]["uri"].get("computed")
    assert run["block_types"]["template"]["min_items"] == 1
    containers = run["block_types"]["template"]["block"]["block_types"]["containers"]
    assert containers["block"]["block_types"]["env"]["block"]["attributes"]["name"]["required"]
    assert blocks(INFRA / "environments" / "production", "module"), "the root module is read"
