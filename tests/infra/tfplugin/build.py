"""Everything the schema-only provider needs, made once into .cache/tfplugin/ (gitignored):
grpcio-tools and msgpack (PyPI, `pip --target`), the protocol compiled from
tfplugin5.proto, and a `-plugin-dir` per pinned end with one executable per provider.

    python -m tests.infra.tfplugin.build        (scripts/install-tools.sh runs it)
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.infra.provider_schemas import PINS, schema

ROOT = Path(__file__).resolve().parents[3]
CACHE = ROOT / ".cache" / "tfplugin"
PYLIBS = CACHE / "pylibs"
GENERATED = CACHE / "gen"
PROTO = Path(__file__).with_name("tfplugin5.proto")
REQUIREMENTS = ["grpcio-tools==1.85.4", "msgpack==1.2.4"]
PLATFORM = "linux_amd64"


def _runtime() -> None:
    stamp = PYLIBS / ".installed"
    if (stamp.read_text() if stamp.is_file() else "") != " ".join(REQUIREMENTS):
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
             "--upgrade", "--target", str(PYLIBS), *REQUIREMENTS],
            check=True,
        )  # fmt: skip
        stamp.write_text(" ".join(REQUIREMENTS))
    compiled = GENERATED / "tfplugin5_pb2.py"
    if not compiled.is_file() or compiled.stat().st_mtime < PROTO.stat().st_mtime:
        GENERATED.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "grpc_tools.protoc", f"-I{PROTO.parent}",
             f"--python_out={GENERATED}", str(PROTO)],
            check=True, env={"PYTHONPATH": str(PYLIBS)},
        )  # fmt: skip


def plugin_dir(end: str) -> Path:
    """A directory for `terraform init -plugin-dir`: each pinned provider at its version."""
    _runtime()
    folder = CACHE / "plugins" / end
    for pin in PINS[end].values():
        schema(pin.provider, end)  # fetched and extracted before Terraform starts a plugin
        namespace, name = pin.source.split("/")
        target = (
            folder / "registry.terraform.io" / namespace / name / pin.version / PLATFORM
            / f"terraform-provider-{name}_v{pin.version}"
        )  # fmt: skip
        script = (
            "#!/bin/sh\n# schema-only provider (tests/infra/tfplugin/server.py)\n"
            f'cd "{ROOT}" && exec "{sys.executable}" -m tests.infra.tfplugin.server '
            f"{pin.provider} {end}\n"
        )
        if not target.is_file() or target.read_text() != script:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(script)
            tmp.chmod(0o755)
            tmp.replace(target)
    return folder


if __name__ == "__main__":
    for end in PINS:
        print(f"tfplugin: {plugin_dir(end)}")
