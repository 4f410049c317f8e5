"""The k6 scripts carry the deployment strategy's profiles and thresholds (k6 parses
them with `k6 inspect`, offline). The short run itself is `nox -s load`."""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.infra.hcl import ROOT
from tests.infra.tools import tool

SCRIPT = ROOT / "infra" / "load" / "aia.js"


def inspect(profile: str) -> dict:
    result = subprocess.run(
        [
            str(tool("k6")),
            "inspect",
            "-e",
            "BASE_URL=https://api.013a.tech",
            "-e",
            f"PROFILE={profile}",
            str(SCRIPT),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("profile", ["load", "stress", "short"])
def test_thresholds_are_p95_under_500_ms_and_errors_under_1_percent(profile) -> None:
    options = inspect(profile)
    thresholds = {
        k: [t if isinstance(t, str) else t["threshold"] for t in v]
        for k, v in options["thresholds"].items()
    }
    assert thresholds["http_req_duration"] == ["p(95)<500"]
    assert thresholds["http_req_failed"] == ["rate<0.01"]
    assert list(options["scenarios"]) == [profile]


def test_load_profile_is_50_users_for_5_minutes() -> None:
    scenario = inspect("load")["scenarios"]["load"]
    assert scenario["executor"] == "constant-vus"
    assert scenario["vus"] == 50 and scenario["duration"] == "5m0s"


def test_stress_profile_ramps_gradually_to_100_users() -> None:
    stages = inspect("stress")["scenarios"]["stress"]["stages"]
    targets = [s["target"] for s in stages]
    assert max(targets) == 100 and targets[0] < 100
    peak = targets.index(100)
    assert targets[:peak] == sorted(targets[:peak]), "ramps up step by step"


def test_a_missing_base_url_is_refused() -> None:
    result = subprocess.run(
        [str(tool("k6")), "inspect", str(SCRIPT)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0 and "BASE_URL" in (result.stdout + result.stderr)


def test_nox_has_the_load_session() -> None:
    noxfile = (ROOT / "noxfile.py").read_text()
    assert "def load(session" in noxfile and "infra/load/run_local.py" in noxfile
