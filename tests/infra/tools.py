"""Where the infra tools are: installed by scripts/install-tools.sh into .emulators/,
or already on PATH. A missing tool fails the test with the install instruction."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.infra.hcl import INSTALL_HINT, TOOLS

CANDIDATES = {
    "checkov": [TOOLS / "checkov-venv" / "bin" / "checkov"],
    "promtool": [TOOLS / "prometheus" / "usr" / "bin" / "promtool"],
    "k6": [TOOLS / "k6-venv" / "bin" / "k6"],
}


def tool(name: str) -> Path:
    for candidate in CANDIDATES[name]:
        if candidate.is_file():
            return candidate
    found = shutil.which(name)
    if found:
        return Path(found)
    raise AssertionError(f"{name} is not installed: {INSTALL_HINT}")
