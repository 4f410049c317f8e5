"""What each function's code can reach, read from the source (no import, no cloud): a
call graph over shared/ and functions/ built with `ast`, from which the least-privilege
test derives the event types a function can publish and the secrets it can read.

Over-approximates on purpose, never under: a call `obj.name(...)` whose receiver is not a
module reaches every method called `name` in shared/, and a reference to a function (a
handler passed to `consume`, a route table) counts as a call. So a topic or secret the
manifest leaves out of a function's grants, yet the code can reach, fails the test; one
the manifest grants that no path reaches fails it too (unless the manifest says why)."""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

Unit = str  # "module:qualname" of a def, or "module:" for module-level code


@dataclass
class _Module:
    name: str
    tree: ast.Module
    imports: dict[str, str] = field(default_factory=dict)  # local name -> "mod" or "mod:attr"
    defs: dict[str, ast.AST] = field(default_factory=dict)  # qualname -> def node
    constants: dict[str, ast.AST] = field(default_factory=dict)  # module-level assignments


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _resolve_relative(module: str, level: int, target: str | None, is_package: bool) -> str:
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (level - 1)] if level > 1 else base
    return ".".join([*base, target] if target else base)


def _load(path: Path) -> _Module:
    tree = ast.parse(path.read_text())
    mod = _Module(_module_name(path), tree)
    is_package = path.name == "__init__.py"
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                mod.imports[alias.asname or alias.name.split(".")[0]] = (
                    alias.name if alias.asname else alias.name.split(".")[0]
                )
        elif isinstance(node, ast.ImportFrom):
            source = (
                _resolve_relative(mod.name, node.level, node.module, is_package)
                if node.level
                else node.module or ""
            )
            for alias in node.names:
                mod.imports[alias.asname or alias.name] = f"{source}:{alias.name}"

    def collect(body: Iterable[ast.stmt], prefix: str) -> None:
        for node in body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                mod.defs[prefix + node.name] = node
            elif isinstance(node, ast.ClassDef):
                mod.defs[prefix + node.name] = node
                collect(node.body, f"{prefix}{node.name}.")

    collect(tree.body, "")
    for node in tree.body:
        targets = (
            node.targets
            if isinstance(node, ast.Assign)
            else [node.target]
            if isinstance(node, ast.AnnAssign) and node.value
            else []
        )
        for target in targets:
            if isinstance(target, ast.Name):
                mod.constants[target.id] = node
    return mod


@dataclass
class CallGraph:
    modules: dict[str, _Module]
    edges: dict[Unit, set[Unit]]
    strings: dict[Unit, set[str]]  # string constants a unit uses (its own and named ones)
    names: dict[Unit, set[str]]  # every name a unit calls or references (class names too)
    built: dict[Unit, set[str]]  # names a unit calls: `X(...)`, `m.X(...)`

    def reach(self, start: Unit, stop: tuple[str, ...] = ()) -> set[Unit]:
        """Units reachable from `start`, not walking into modules under `stop`."""
        seen = {start}
        todo = [start]
        while todo:
            for nxt in self.edges.get(todo.pop(), ()):
                if nxt not in seen and not nxt.startswith(stop):
                    seen.add(nxt)
                    todo.append(nxt)
        return seen


def _own_nodes(node: ast.AST) -> Iterable[ast.AST]:
    """The nodes of a def's body, nested defs and lambdas included, methods of a nested
    class too; for a class: only its decorators, bases and class-level statements."""
    if isinstance(node, ast.ClassDef):
        for stmt in node.body:
            if not isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                yield from ast.walk(stmt)
        for extra in [*node.bases, *node.decorator_list, *(k.value for k in node.keywords)]:
            yield from ast.walk(extra)
        return
    yield from ast.walk(node)


@cache
def call_graph(max_candidates: int = 1_000_000) -> CallGraph:
    modules = {}
    for folder in ("shared", "functions"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            mod = _load(path)
            modules[mod.name] = mod
    methods: dict[str, set[Unit]] = defaultdict(set)  # bare name -> methods of that name
    for mod in modules.values():
        for qual in mod.defs:
            if "." in qual:
                methods[qual.rsplit(".", 1)[1]].add(f"{mod.name}:{qual}")

    def resolve(mod: _Module, name: str, depth: int = 0) -> Unit | None:
        """A name in a module's namespace -> the unit it denotes (def, class, constant,
        or a module as "module:")."""
        if name in mod.defs:
            return f"{mod.name}:{name}"
        if name in mod.constants:
            return f"{mod.name}:={name}"
        target = mod.imports.get(name)
        if target is None or depth > 10:
            return None
        if ":" not in target:
            return f"{target}:" if target in modules else None
        source, attr = target.split(":")
        if f"{source}.{attr}" in modules:
            return f"{source}.{attr}:"
        if source in modules:
            return resolve(modules[source], attr, depth + 1)
        return None

    edges: dict[Unit, set[Unit]] = defaultdict(set)
    strings: dict[Unit, set[str]] = defaultdict(set)
    names: dict[Unit, set[str]] = defaultdict(set)
    built: dict[Unit, set[str]] = defaultdict(set)

    def scan(unit: Unit, mod: _Module, nodes: Iterable[ast.AST]) -> None:
        for node in nodes:
            if isinstance(node, ast.Call):
                func = node.func
                if isinstance(func, ast.Name | ast.Attribute):
                    built[unit].add(func.id if isinstance(func, ast.Name) else func.attr)
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                strings[unit].add(node.value)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                names[unit].add(node.id)
                target = resolve(mod, node.id)
                if target:
                    edges[unit].add(target)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
                names[unit].add(node.attr)
                base = node.value
                receiver = resolve(mod, base.id) if isinstance(base, ast.Name) else None
                if receiver and receiver.endswith(":") and receiver[:-1] in modules:
                    target = resolve(modules[receiver[:-1]], node.attr)
                    if target:
                        edges[unit].add(target)
                elif not node.attr.startswith("__"):  # super().__init__: the base's, not all
                    candidates = methods.get(node.attr, set())
                    if len(candidates) <= max_candidates:
                        edges[unit] |= candidates

    for mod in modules.values():
        top = [
            s
            for s in mod.tree.body
            if not isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        ]
        scan(f"{mod.name}:", mod, (n for s in top for n in ast.walk(s)))
        for name, node in mod.constants.items():
            scan(f"{mod.name}:={name}", mod, ast.walk(node))
        for qual, node in mod.defs.items():
            unit = f"{mod.name}:{qual}"
            scan(unit, mod, _own_nodes(node))
            if isinstance(node, ast.ClassDef):  # instantiating a class runs its methods' setup
                for hook in ("__init__", "__post_init__", "__call__", "model_post_init"):
                    if f"{qual}.{hook}" in mod.defs:
                        edges[unit].add(f"{mod.name}:{qual}.{hook}")
    return CallGraph(modules, dict(edges), dict(strings), dict(names), dict(built))


@cache
def reached(target: str, max_candidates: int = 1_000_000, stop: tuple[str, ...] = ()) -> set[Unit]:
    """Every unit reachable from the function `functions/<target>.py` defines."""
    return call_graph(max_candidates).reach(f"functions.{target}:{target}", stop)
