"""Provider schemas for infra/, taken offline from the cdktf provider packages on npm.

`@cdktf/provider-google`, `-google-beta` and `-cloudflare` are generated from one exact
provider version each (package.json: cdktf.provider.version). Their compiled JavaScript
keeps, per resource, the Terraform name of every argument and nested block with its
kind (`isBlock`, list/set/map, element type), and a getter per attribute, computed ones
included; the .d.ts says which arguments are required (no `?`). This module downloads the
packages pinned below (`npm pack`, into .cache/provider-schemas/, gitignored), reads them
without unpacking, and writes one JSON schema per provider version in a shape close to
`terraform providers schema -json`:

    {"provider": ..., "version": ..., "provider_block": BLOCK,
     "resources": {type: BLOCK}, "data_sources": {type: BLOCK}}
    BLOCK = {"attributes": {name: {"type": CTY, "required"|"optional"|"computed": true}},
             "block_types": {name: {"nesting_mode": "list"|"set"|"single",
                                    "min_items": 0|1, "block": BLOCK}}}
    CTY   = "string" | "number" | "bool" | "dynamic" | ["list"|"set"|"map", CTY]
          | ["object", {name: CTY}]

`python -m tests.infra.provider_schemas` fetches and extracts them all (scripts/install-
tools.sh runs it); the tests call `schema(provider, version)`, which does the same when
the cache is missing. Needs `npm` (the web assets already do).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".cache" / "provider-schemas"
FORMAT = 2  # bump when the extracted JSON's shape changes: cached files are redone


@dataclass(frozen=True)
class Pin:
    provider: str  # the local name in required_providers
    source: str
    package: str  # npm package@version
    version: str  # the provider version that package was generated from


# infra/ admits google and google-beta ">= 6.14, < 7.0" and cloudflare ">= 4.52, < 5.0".
# Lowest: the packages generated from exactly 6.14.0 and 4.52.0. Highest: the last 6.x
# (6.50.0; 7.0 is the next release) and, for cloudflare, 4.52.0 again: no cdktf package
# was generated from a later 4.x (the next, 12.0.0, is provider 5.0.0).
PINS: dict[str, dict[str, Pin]] = {
    "lowest": {
        "google": Pin("google", "hashicorp/google", "@cdktf/provider-google@14.13.0", "6.14.0"),
        "google-beta": Pin(
            "google-beta", "hashicorp/google-beta", "@cdktf/provider-google-beta@14.13.0", "6.14.0"
        ),
        "cloudflare": Pin(
            "cloudflare", "cloudflare/cloudflare", "@cdktf/provider-cloudflare@11.30.0", "4.52.0"
        ),
    },
    "highest": {
        "google": Pin("google", "hashicorp/google", "@cdktf/provider-google@16.12.1", "6.50.0"),
        "google-beta": Pin(
            "google-beta", "hashicorp/google-beta", "@cdktf/provider-google-beta@16.12.1", "6.50.0"
        ),
        "cloudflare": Pin(
            "cloudflare", "cloudflare/cloudflare", "@cdktf/provider-cloudflare@11.30.0", "4.52.0"
        ),
    },
}

Block = dict[str, Any]

# --- reading the generated JavaScript --------------------------------------------------------

_HCL_FUNCTION = re.compile(r"^function (\w+)ToHclTerraform\(struct\) \{(.*?)^\}", re.M | re.S)
_CLASS = re.compile(r"^class (\w+) extends cdktf\.(\w+) \{(.*?)^\}", re.M | re.S)
_ATTR = re.compile(
    r"^\s+(\w+): \{\s*value: (.*?),\s*isBlock: (true|false),\s*type: \"(\w+)\","
    r"\s*storageClassType: \"(\w+)\",\s*\}",
    re.M | re.S,
)
_RESOURCE_TYPE = re.compile(r"^(\w+)\.tfResourceType = \"([\w-]+)\";", re.M)
_GETTER = re.compile(r"^    get (\w+)\(\) \{\s*return (.*?);\s*\}", re.M | re.S)
_FIELD = re.compile(r"this\._(\w+) = new ([\w.]+)\(this, \"(\w+)\"(?:, (true|false))?")
_INTERFACE = re.compile(r"^export interface (\w+)[^{]*\{(.*?)^\}", re.M | re.S)
_MEMBER = re.compile(r"^    readonly (\w+)(\?)?:", re.M)
_NESTED_FUNCTION = re.compile(r"(\w+)ToHclTerraform\b")

_PRIMITIVE = {"string": "string", "number": "number", "boolean": "bool", "any": "dynamic"}
_GETTER_TYPES: dict[str, Any] = {
    "String": "string",
    "Number": "number",
    "Boolean": "bool",
    "List": ["list", "string"],
    "NumberList": ["list", "number"],
    "BooleanList": ["list", "bool"],
    "StringMap": ["map", "string"],
    "NumberMap": ["map", "number"],
    "BooleanMap": ["map", "bool"],
    "Any": "dynamic",
    "AnyMap": ["map", "dynamic"],
}
_MAP_CLASSES: dict[str, Any] = {
    "cdktf.StringMap": ["map", "string"],
    "cdktf.NumberMap": ["map", "number"],
    "cdktf.BooleanMap": ["map", "bool"],
    "cdktf.AnyMap": ["map", "dynamic"],
    "cdktf.StringMapList": ["list", ["map", "string"]],
    "cdktf.NumberMapList": ["list", ["map", "number"]],
    "cdktf.BooleanMapList": ["list", ["map", "bool"]],
    "cdktf.AnyMapList": ["list", ["map", "dynamic"]],
}


def _simple_type(kind: str, storage: str) -> Any:
    """The cty type of a non-block argument from cdktf's (type, storageClassType)."""
    element = next((t for p, t in _PRIMITIVE.items() if storage.startswith(p)), "dynamic")
    if storage.endswith("List") and kind in ("list", "set"):
        return [kind, element]
    if storage.endswith("Map"):
        return ["map", element]
    if storage.endswith("List"):
        return ["list", element]
    return element


class _Module:
    """One resource's index.js + index.d.ts."""

    def __init__(self, js: str, dts: str) -> None:
        self.functions = {m[1]: m[2] for m in _HCL_FUNCTION.finditer(js)}
        self.classes = {m[1]: (m[2], m[3]) for m in _CLASS.finditer(js)}
        self.optional: dict[str, dict[str, bool]] = {
            m[1]: {n[1]: bool(n[2]) for n in _MEMBER.finditer(m[2])}
            for m in _INTERFACE.finditer(dts)
        }
        self.types = {m[2]: m[1] for m in _RESOURCE_TYPE.finditer(js)}

    def root(self, class_name: str) -> Block:
        _, body = self.classes[class_name]
        start = body.index("synthesizeHclAttributes()")
        return self._block(body[start:], f"{class_name}Config", class_name)

    def _block(self, hcl_body: str, interface: str, output_class: str | None) -> Block:
        optional = self.optional.get(interface, {})
        attributes: dict[str, Any] = {}
        block_types: dict[str, Any] = {}
        for name, value, is_block, kind, storage in _ATTR.findall(hcl_body):
            camel = re.search(r"(?:struct\.|this\._)(\w+)", value)
            required = camel is not None and optional.get(camel[1]) is False
            nested = _NESTED_FUNCTION.search(value.replace("cdktf.", "cdktf_"))
            if nested and nested[1] in self.functions:
                struct = nested[1][0].upper() + nested[1][1:]
                child = self._block(self.functions[nested[1]], struct, f"{struct}OutputReference")
                if is_block == "true":
                    block_types[name] = {
                        "nesting_mode": kind if kind in ("list", "set") else "list",
                        "min_items": 1 if required else 0,
                        "block": child,
                    }
                    continue
                element = ["object", _object_type(child)]
                cty: Any = [kind, element] if kind in ("list", "set", "map") else element
            else:
                cty = _simple_type(kind, storage)
            flag = "required" if required else "optional"
            attributes[name] = {"type": cty, flag: True}
        if output_class in self.classes:
            for name, cty in self._getters(output_class).items():
                if name not in attributes and name not in block_types:
                    attributes[name] = {"type": cty, "computed": True}
        return {"attributes": attributes, "block_types": block_types}

    def _getters(self, class_name: str) -> dict[str, Any]:
        """Terraform name -> cty type of every attribute a class can read (computed too)."""
        _, body = self.classes[class_name]
        fields = {m[1]: (m[2], m[3], m[4]) for m in _FIELD.finditer(body)}
        found: dict[str, Any] = {}
        for _, returned in _GETTER.findall(body):
            read = re.search(
                r"this\.(?:get(\w+)Attribute|interpolationForAttribute)\('(\w+)'\)", returned
            )
            if read:
                cty = _GETTER_TYPES.get(read[1] or "Any", "dynamic")
                if "Fn.tolist" in returned and isinstance(cty, list):
                    cty = ["set", cty[1]]
                found[read[2]] = cty
                continue
            field = re.fullmatch(r"this\._(\w+)", returned.strip())
            if not field or field[1] not in fields:
                continue
            cls, name, wraps_set = fields[field[1]]
            if cls in _MAP_CLASSES:
                found[name] = _MAP_CLASSES[cls]
            elif cls.endswith("List") and f"{cls[:-4]}OutputReference" in self.classes:
                inner = _object_type_of(self, f"{cls[:-4]}OutputReference")
                found[name] = ["set" if wraps_set == "true" else "list", inner]
            elif cls.endswith("OutputReference") and cls in self.classes:
                found[name] = ["list", _object_type_of(self, cls)]
        return found


def _object_type(block: Block) -> dict[str, Any]:
    fields = {n: a["type"] for n, a in block["attributes"].items()}
    for name, nested in block["block_types"].items():
        mode = nested["nesting_mode"]
        inner = ["object", _object_type(nested["block"])]
        fields[name] = inner if mode == "single" else [mode, inner]
    return fields


def _object_type_of(module: _Module, output_class: str) -> list[Any]:
    return ["object", module._getters(output_class)]


def extract(tgz: Path) -> dict[str, Any]:
    """The schema of every resource and data source in one cdktf provider package."""
    resources: dict[str, Block] = {}
    data_sources: dict[str, Block] = {}
    provider_block: Block = {"attributes": {}, "block_types": {}}
    wanted = re.compile(r"package/(package\.json|lib/[\w-]+/index\.(js|d\.ts))")
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(tgz) as archive:
        # one pass over the gzip stream: random access into a .tgz re-reads it from the start
        archive.extractall(
            tmp, members=[m for m in archive if wanted.fullmatch(m.name)], filter="data"
        )
        package = Path(tmp) / "package"
        meta = json.loads((package / "package.json").read_text())
        for js_path in sorted(package.glob("lib/*/index.js")):
            js = js_path.read_text()
            if ".tfResourceType = " not in js:
                continue
            module = _Module(js, js_path.with_suffix(".d.ts").read_text())
            if js_path.parent.name == "provider":  # the provider block's own arguments
                provider_block = module.root(next(iter(module.types.values())))
                continue
            for tf_type, class_name in module.types.items():
                kind = module.classes[class_name][0]
                target = data_sources if kind == "TerraformDataSource" else resources
                target[tf_type] = module.root(class_name)
    provider = meta["cdktf"]["provider"]
    return {
        "format": FORMAT,
        "package": f"{meta['name']}@{meta['version']}",
        "provider": provider["name"],
        "version": provider["version"],
        "provider_block": provider_block,
        "resources": resources,
        "data_sources": data_sources,
    }


# --- the cache -------------------------------------------------------------------------------


def _tarball(pin: Pin) -> Path:
    name, version = pin.package.rsplit("@", 1)
    tgz = CACHE / f"{name.lstrip('@').replace('/', '-')}-{version}.tgz"
    if not tgz.is_file():
        CACHE.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
            try:
                subprocess.run(
                    ["npm", "pack", "--silent", pin.package],
                    cwd=tmp, check=True, capture_output=True, text=True, timeout=600,
                )  # fmt: skip
            except (OSError, subprocess.SubprocessError) as exc:
                raise RuntimeError(
                    f"cannot download {pin.package} with npm ({exc}); the provider schema "
                    "check needs it once, then uses .cache/provider-schemas/"
                ) from exc
            (Path(tmp) / tgz.name).replace(tgz)
    return tgz


@cache
def schema(provider: str, end: str) -> dict[str, Any]:
    """The extracted schema of a provider at the lowest or highest pinned version."""
    pin = PINS[end][provider]
    target = CACHE / f"{pin.provider}-{pin.version}.json"
    if target.is_file():
        cached: dict[str, Any] = json.loads(target.read_text())
        if cached.get("format") == FORMAT and cached.get("package") == pin.package:
            return cached
    extracted = extract(_tarball(pin))
    assert extracted["version"] == pin.version, (pin, extracted["version"])
    tmp = target.with_suffix(f".{os.getpid()}.tmp")  # two test workers may race here
    tmp.write_text(json.dumps(extracted, sort_keys=True))
    tmp.replace(target)
    return extracted


def main() -> None:
    for end, pins in PINS.items():
        for provider in pins:
            found = schema(provider, end)
            print(
                f"provider-schemas: {end} {provider} {found['version']} ({found['package']}): "
                f"{len(found['resources'])} resources, {len(found['data_sources'])} data sources"
            )


if __name__ == "__main__":
    sys.exit(main())
