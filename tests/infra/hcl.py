"""Reading the Terraform in infra/ with python-hcl2 (no terraform binary needed).

python-hcl2 keeps HCL's quotes: a string literal comes back as '"x"', an expression as
'${...}', and block labels as '"google_pubsub_topic"'. These helpers strip that."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
INFRA = ROOT / "infra"
TOOLS = ROOT / ".emulators"
INSTALL_HINT = "run `bash scripts/install-tools.sh` (the Makefile's test target does)"

try:
    import hcl2
except ModuleNotFoundError:  # installed by scripts/install-tools.sh when .venv lacks it
    sys.path.append(str(TOOLS / "infra-pylibs"))
    try:
        import hcl2
    except ModuleNotFoundError as exc:
        raise RuntimeError(f"python-hcl2 is not installed: {INSTALL_HINT}") from exc


def unquote(value: Any) -> Any:
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value


def clean(block: dict[str, Any]) -> dict[str, Any]:
    """A parsed block without python-hcl2's bookkeeping keys (__is_block__, __comments__)."""
    return {k: v for k, v in block.items() if not k.startswith("__")}


def expr(value: Any) -> str:
    """The expression inside '${...}' (or the unquoted literal)."""
    text = unquote(value)
    assert isinstance(text, str), value
    match = re.fullmatch(r"\$\{(.*)\}", text, re.S)
    return match.group(1) if match else text


def tf_files(folder: Path = INFRA) -> list[Path]:
    return sorted(p for p in folder.rglob("*.tf") if ".terraform" not in p.parts)


@cache
def parse(path: Path) -> dict[str, Any]:
    with path.open() as handle:
        return dict(hcl2.load(handle))


@dataclass(frozen=True)
class Resource:
    type: str
    name: str
    body: dict[str, Any]
    path: Path

    @property
    def address(self) -> str:
        return f"{self.type}.{self.name}"

    @property
    def for_each(self) -> str | None:
        value = self.body.get("for_each")
        return expr(value) if value is not None else None


def resources(folder: Path = INFRA) -> Iterator[Resource]:
    for path in tf_files():
        if folder not in path.parents:
            continue
        for block in parse(path).get("resource", []):
            for rtype, named in clean(block).items():
                for rname, body in clean(named).items():
                    yield Resource(unquote(rtype), unquote(rname), body, path)


def resource(folder: Path, rtype: str, name: str) -> Resource:
    found = [r for r in resources(folder) if r.type == rtype and r.name == name]
    assert len(found) == 1, f"{rtype}.{name}: {len(found)} definitions in {folder}"
    return found[0]


def locals_of(folder: Path) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for path in tf_files():
        if path.parent != folder:
            continue
        for block in parse(path).get("locals", []):
            for key, value in block.items():
                if key.startswith("__"):
                    continue
                assert key not in merged, f"local.{key} defined twice in {folder}"
                merged[key] = value
    return merged


def blocks(path_or_folder: Path, kind: str) -> dict[str, dict[str, Any]]:
    """Named top-level blocks (variable, output, module, data...) of a module folder."""
    found: dict[str, dict[str, Any]] = {}
    for path in tf_files():
        if path.parent != path_or_folder:
            continue
        for block in parse(path).get(kind, []):
            for name, body in clean(block).items():
                found[unquote(name)] = body
    return found
