"""Tenant-scoped listings have their Firestore composite index: a query through
OwnedCollection filters `owner_id ==`, so ordering by another field needs the index
(owner_id ASC, field) that infra/firestore-indexes.yaml declares (Terraform prepends
owner_id). Without it Firestore rejects the query in production only."""

from __future__ import annotations

import ast
from pathlib import Path

import yaml

from tests.infra.hcl import INFRA, ROOT


def module_constants(tree: ast.Module) -> dict[str, str]:
    return {
        t.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
        for t in node.targets
        if isinstance(t, ast.Name) and isinstance(node.value.value, str)
    }


def imported_constants(tree: ast.Module) -> dict[str, str]:
    """Constants imported as `from module import NAME` or used as `module.NAME` after
    `from package import module`."""
    found = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module:
            source = ROOT / Path(*node.module.split(".")).with_suffix(".py")
            if source.is_file():
                constants = module_constants(ast.parse(source.read_text()))
                for alias in node.names:
                    if alias.name in constants:
                        found[alias.asname or alias.name] = constants[alias.name]
            for alias in node.names:
                path = ROOT / Path(*node.module.split("."), f"{alias.name}.py")
                if path.is_file():
                    for name, value in module_constants(ast.parse(path.read_text())).items():
                        found[f"{alias.asname or alias.name}.{name}"] = value
    return found


def owned_orderings(path: Path) -> set[tuple[str, str]]:
    """(collection, order field) of each ordered OwnedCollection query in one module."""
    tree = ast.parse(path.read_text())
    constants = {**module_constants(tree), **imported_constants(tree)}
    found = set()
    for func in ast.walk(tree):
        if not isinstance(func, ast.FunctionDef):
            continue
        owned: dict[str, str] = {}
        for node in ast.walk(func):
            if (
                isinstance(node, ast.Assign)
                and isinstance(node.value, ast.Call)
                and getattr(node.value.func, "id", None) == "OwnedCollection"
            ):
                arg = node.value.args[1]
                name = arg.value if isinstance(arg, ast.Constant) else None
                if isinstance(arg, ast.Name | ast.Attribute):
                    name = constants.get(ast.unparse(arg))
                assert name, f"{path}:{node.lineno}: collection name not resolvable"
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        owned[target.id] = name
        for node in ast.walk(func):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "query"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id in owned
            ):
                for kw in node.keywords:
                    if kw.arg == "order_by" and isinstance(kw.value, ast.Constant):
                        found.add((owned[node.func.value.id], kw.value.value))
    return found


def test_ordered_owned_queries_have_a_composite_index() -> None:
    declared = yaml.safe_load((INFRA / "firestore-indexes.yaml").read_text())["indexes"] or []
    indexed = {(i["collection"], i["fields"][0]["field"]) for i in declared}
    needed = set()
    for path in (ROOT / "shared").rglob("*.py"):
        if "OwnedCollection(" in path.read_text():
            needed |= owned_orderings(path)
    assert needed <= indexed, f"add to infra/firestore-indexes.yaml: {sorted(needed - indexed)}"
    for index in declared:
        assert index["fields"], index
        assert all(f["order"] in ("ASCENDING", "DESCENDING") for f in index["fields"])


def test_the_finder_sees_an_ordered_query(tmp_path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        'REPORTS = "reports"\n'
        "def listing(store, who):\n"
        "    mine = OwnedCollection(store, REPORTS, who)\n"
        '    return mine.query(order_by="created_at", descending=True)\n'
    )
    assert owned_orderings(sample) == {("reports", "created_at")}
