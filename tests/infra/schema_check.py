"""Every resource/data type, argument and nested block name in a Terraform folder, checked
against provider schemas (tests/infra/provider_schemas.py), without terraform.

Reads the .tf files with python-hcl2 (tests/infra/hcl.py): blocks come back as lists of
dicts marked `__is_block__`, `dynamic "x" { content { ... } }` as a `dynamic` list whose
content is checked as block `x`. Reports unknown types, unknown arguments, unknown
blocks, arguments given as blocks (and blocks as arguments), and required arguments or
blocks left out (unless a `dynamic` block supplies them)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tests.infra.hcl import clean, tf_files, unquote
from tests.infra.hcl import parse as parse_tf

Schemas = dict[str, dict[str, Any]]  # provider local name -> extracted schema

# Terraform's own arguments and blocks, valid in every resource / data block
META_ARGUMENTS = {"count", "for_each", "provider", "depends_on"}
META_BLOCKS = {"lifecycle", "provisioner", "connection"}
DYNAMIC_ARGUMENTS = {"for_each", "iterator", "labels"}


def provider_of(rtype: str, body: dict[str, Any]) -> str:
    explicit = body.get("provider")
    if isinstance(explicit, str):
        return unquote(explicit).removeprefix("${").removesuffix("}").split(".")[0]
    return "cloudflare" if rtype.startswith("cloudflare_") else "google"


def _is_block(value: Any) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(v, dict) and v.get("__is_block__") for v in value)
    )


def check_body(body: dict[str, Any], schema: dict[str, Any], where: str) -> Iterator[str]:
    """Problems of one block's body against the schema of that block."""
    attributes: dict[str, Any] = schema["attributes"]
    block_types: dict[str, Any] = schema["block_types"]
    given: set[str] = set()
    for name, value in clean(body).items():
        if name == "dynamic":
            for dynamic in value:
                for label, spec in clean(dynamic).items():
                    label = unquote(label)
                    given.add(label)
                    yield from _check_dynamic(label, clean(spec), block_types, where)
            continue
        given.add(name)
        if name in block_types:
            if not _is_block(value):
                yield f"{where}: {name} is a block, written as an argument"
                continue
            for nested in value:
                yield from check_body(nested, block_types[name]["block"], f"{where}.{name}")
        elif name in attributes:
            if _is_block(value):
                yield f"{where}: {name} is an argument, written as a block"
            elif attributes[name].get("computed") and not (
                attributes[name].get("optional") or attributes[name].get("required")
            ):
                yield f"{where}: {name} is computed only, it cannot be set"
        else:
            kind = "block" if _is_block(value) else "argument"
            yield f"{where}: unknown {kind} {name}"
    for name, attribute in attributes.items():
        if attribute.get("required") and name not in given:
            yield f"{where}: missing required argument {name}"
    for name, nested in block_types.items():
        if nested.get("min_items", 0) > 0 and name not in given:
            yield f"{where}: missing required block {name}"


def _check_dynamic(
    label: str, spec: dict[str, Any], block_types: dict[str, Any], where: str
) -> Iterator[str]:
    if label not in block_types:
        yield f"{where}: unknown block {label} (dynamic)"
        return
    for name in spec:
        if name not in DYNAMIC_ARGUMENTS and name != "content":
            yield f"{where}: dynamic {label}: unknown argument {name}"
    if "for_each" not in spec:
        yield f"{where}: dynamic {label}: missing for_each"
    contents = spec.get("content", [])
    if not contents:
        yield f"{where}: dynamic {label}: missing content block"
    for content in contents:
        yield from check_body(content, block_types[label]["block"], f"{where}.{label}")


def check_folder(folder: Path, schemas: Schemas) -> list[str]:
    """Problems of every resource and data block under a folder (modules included)."""
    found: list[str] = []
    for path in tf_files(folder):
        parsed = parse_tf(path)
        for kind, section in (("resource", "resources"), ("data", "data_sources")):
            for block in parsed.get(kind, []):
                for rtype, named in clean(block).items():
                    rtype = unquote(rtype)
                    for rname, body in clean(named).items():
                        where = f"{path.relative_to(folder)}: {kind} {rtype}.{unquote(rname)}"
                        provider = provider_of(rtype, body)
                        types = schemas.get(provider, {}).get(section, {})
                        if rtype not in types:
                            found.append(f"{where}: unknown {kind} type for provider {provider}")
                            continue
                        meta = {k: v for k, v in clean(body).items()}
                        for name in META_ARGUMENTS | META_BLOCKS:
                            meta.pop(name, None)
                        found.extend(check_body(meta, types[rtype], where))
    return found
