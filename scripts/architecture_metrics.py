"""Counts that say how the code is put together, for before/after comparisons:

    .venv/bin/python scripts/architecture_metrics.py [--json]

- package cycles: strongly connected groups of `shared/` packages, counting module-level
  imports (imports inside functions are deferred, and those under `if TYPE_CHECKING:` are
  for the type checker: neither ties packages at import time);
- `dict[str, Any]` occurrences in `shared/` and `functions/`;
- platform lookups: `ctx.platform` / `req.platform` / `current_platform()` in `shared/`;
- lines of Python in `shared/`, `functions/` and `tests/`.
"""

from __future__ import annotations

import ast
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def package_of(module: str) -> str | None:
    """The node a module belongs to: its package under shared/, or itself for a module
    at the top of shared/ (platform.py, money.py, ...: each is its own unit)."""
    parts = module.split(".")
    if parts[0] != "shared" or len(parts) < 2:
        return None
    if (ROOT / "shared" / parts[1]).is_dir():
        return parts[1]
    return parts[1] if (ROOT / "shared" / f"{parts[1]}.py").exists() else "shared"


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def top_level_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found: set[str] = set()
    base = module_name(path).split(".")
    is_package = path.name == "__init__.py"
    for node in tree.body:
        nodes = [node]
        if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING"):
            continue  # names for the type checker only: no dependency at run time
        if isinstance(node, ast.If | ast.Try):  # guarded imports still run at import time
            nodes = list(ast.walk(node))
        for item in nodes:
            if isinstance(item, ast.Import):
                found |= {alias.name for alias in item.names}
            elif isinstance(item, ast.ImportFrom):
                if item.level:
                    anchor = base if is_package else base[:-1]
                    anchor = anchor[: len(anchor) - (item.level - 1)]
                    target = ".".join([*anchor, *([item.module] if item.module else [])])
                else:
                    target = item.module or ""
                found.add(target)
                found |= {f"{target}.{alias.name}" for alias in item.names}
    return found


def package_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for path in (ROOT / "shared").rglob("*.py"):
        source = package_of(module_name(path))
        if source is None:
            continue
        graph[source]
        for target in top_level_imports(path):
            package = package_of(target)
            if package and package != source:
                graph[source].add(package)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components with more than one package."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(10_000)
    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def count(pattern: str, *folders: str) -> int:
    regex = re.compile(pattern)
    return sum(
        len(regex.findall(path.read_text()))
        for folder in folders
        for path in (ROOT / folder).rglob("*.py")
    )


def lines(folder: str) -> int:
    return sum(len(p.read_text().splitlines()) for p in (ROOT / folder).rglob("*.py"))


def main() -> int:
    found = cycles(package_graph())
    report = {
        "package_cycles": len(found),
        "packages_in_cycles": sum(len(c) for c in found),
        "cycles": found,
        "dict_str_any": {
            "shared": count(r"dict\[str, Any\]", "shared"),
            "functions": count(r"dict\[str, Any\]", "functions"),
        },
        "platform_lookups": count(r"\b(?:ctx|req)\.platform\b|current_platform\(\)", "shared"),
        "lines": {folder: lines(folder) for folder in ("shared", "functions", "tests")},
    }
    if "--json" in sys.argv:
        print(json.dumps(report, indent=2))
    else:
        for key, value in report.items():
            print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
