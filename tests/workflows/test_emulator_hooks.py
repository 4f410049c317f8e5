"""workflows-emulator has no injection points: shared/adapters/local/workflow_engine.py
replaces six of its functions at run time and counts on the emulator looking each one up
by name when it calls it. These tests fail loudly when the installed emulator is not the
pinned version, or when any replaced function, or emulator code that calls one, changed.

The fingerprints are read from the installed source files (ast), not from the live
functions, which engine() may already have replaced in this process."""

from __future__ import annotations

import ast
import hashlib
import importlib.metadata
import importlib.util
import re
from pathlib import Path

import pytest

from shared.adapters.local.workflow_engine import EMULATOR_VERSION, INSTALL_HINT

ROOT = Path(__file__).resolve().parents[2]

# what workflow_engine.py replaces, and why it matters
HOOKED = {
    "main:execute_step": "replaced: logs each step, stops at a step boundary on shutdown",
    "main:sleep": "replaced: the retry backoff's wait (main does `from time import sleep`)",
    "lib.sys_utils:sleep": "replaced: sys.sleep waits in scaled time, interruptibly",
    "lib.sys_utils:sleep_until": "replaced: sys.sleep_until, the same",
    "lib.sys_utils:get_env": "replaced: the execution's own GOOGLE_CLOUD_* variables",
    "lib.http_utils:request": "replaced: calls to a function of this process stay in it",
}
# emulator code that must keep calling those by their module-level names, and what the
# engine uses as it is
CALLERS = {
    "main:execute_steps_list": "calls execute_step by name",
    "main:StepTry.execute": "calls execute_step by name",
    "main:StepRetry.execute": "calls execute_step and sleep by name (backoff)",
    "main:StepCall.execute": "runs sys.* and http.* calls through render.run_code",
    "render:STANDARD_LIBRARY": "sys.* and http.* resolve on the modules at call time",
    "render:run_code": "evaluates calls against STANDARD_LIBRARY",
    "lib.http_utils:get": "calls request by name (as do post, put, patch, delete)",
    "lib.http_utils:post": "calls request by name",
    "main:execute_workflow": "what engine() runs",
    "main:WORKFLOW_SCHEMA": "what engine() validates against",
    "utils:WorkflowError": "the error engine() reports",
}

# name -> (signature, sha256 of the source, first 16 hex digits), for EMULATOR_VERSION
RECORDED: dict[str, tuple[str, str]] = {
    "main:execute_step": (
        "(step_id: NextStep, config: StepConfig, context: Context)",
        "332aefcefcbb69df",
    ),
    "main:sleep": ("from time import sleep", "26e6f4505f0e0e7e"),
    "lib.sys_utils:sleep": ("(seconds: int)", "5b4f41fd98cba86e"),
    "lib.sys_utils:sleep_until": ("(future: str)", "b73ba190b64a9469"),
    "lib.sys_utils:get_env": ("(*args)", "0cc9d211fb6c52a0"),
    "lib.http_utils:request": (
        (
            "(method: str, url: str, timeout: float=300, body: Any=None, "
            "headers: dict[str, str]={}, query: dict={}, auth: dict[str, dict[str, str]]=None, "
            "scopes: list[str]=('https://www.googleapis.com/auth/cloud-platform',), "
            "private_service_name: str=None, ca_certificate: bytes=None)"
        ),
        "5abc426d981dc554",
    ),
    "main:execute_steps_list": (
        "(steps: list[dict[str, StepConfig]], context: Context, next_step: NextStep=None)",
        "0329c913feb21113",
    ),
    "main:StepTry.execute": ("(self)", "e280be1be8ae30a3"),
    "main:StepRetry.execute": ("(self)", "6f9ce124d5020d2c"),
    "main:StepCall.execute": ("(self)", "3f0f2ceee1faae28"),
    "render:STANDARD_LIBRARY": ("Assign", "ee20708f227836f6"),
    "render:run_code": ("(code: str, context: dict)", "dd87502f6a88124b"),
    "lib.http_utils:get": ("(**kwargs)", "f04233ad3639acb7"),
    "lib.http_utils:post": ("(**kwargs)", "5ddc764c855bd270"),
    "main:execute_workflow": ("(config: dict | list[dict], params: dict)", "39ac57180472e3da"),
    "main:WORKFLOW_SCHEMA": ("Assign", "353162c69ed99506"),
    "utils:WorkflowError": ("ClassDef", "b95882ed80abdd1c"),
}


def _node(tree: ast.Module, name: str) -> ast.AST:
    head, _, method = name.partition(".")
    for node in tree.body:
        names: list[str] = []
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            names = [node.name]
        elif isinstance(node, ast.ImportFrom):
            names = [alias.asname or alias.name for alias in node.names]
        elif isinstance(node, ast.Assign):
            names = [t.id for t in node.targets if isinstance(t, ast.Name)]
        if head in names:
            if not method:
                return node
            assert isinstance(node, ast.ClassDef)
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and item.name == method:
                    return item
    raise LookupError(name)


def fingerprint(name: str) -> tuple[str, str]:
    """(signature, source hash) of `module:name` as the installed emulator defines it."""
    module, _, qualified = name.partition(":")
    spec = importlib.util.find_spec(f"workflows_emulator.{module}")
    if spec is None or spec.origin is None:
        pytest.fail(INSTALL_HINT)
    source = Path(spec.origin).read_text()
    try:
        node = _node(ast.parse(source), qualified)
    except LookupError:
        return ("<missing>", "<missing>")
    segment = ast.get_source_segment(source, node) or ""
    if isinstance(node, ast.FunctionDef):
        signature = f"({ast.unparse(node.args)})"
    elif isinstance(node, ast.ImportFrom):
        signature = ast.unparse(node)  # the import is what it is
    else:
        signature = type(node).__name__
    return signature, hashlib.sha256(segment.encode()).hexdigest()[:16]


def test_the_installed_emulator_is_the_pinned_one() -> None:
    try:
        installed = importlib.metadata.version("workflows-emulator")
    except importlib.metadata.PackageNotFoundError:
        pytest.fail(INSTALL_HINT)
    makefile = (ROOT / "Makefile").read_text()
    script = (ROOT / "scripts" / "install-emulators.sh").read_text()
    pins = {
        "installed": installed,
        "Makefile": re.search(r"^WORKFLOWS_EMULATOR := workflows-emulator==(\S+)$", makefile, re.M),
        "install-emulators.sh": re.search(r"^WORKFLOWS_EMULATOR_VERSION=(\S+)$", script, re.M),
    }
    found = {k: v if isinstance(v, str) else v and v.group(1) for k, v in pins.items()}
    assert set(found.values()) == {EMULATOR_VERSION}, (
        f"workflows-emulator versions differ: {found}, workflow_engine.EMULATOR_VERSION "
        f"is {EMULATOR_VERSION}. Pin one version everywhere; on an upgrade, see "
        "test_what_the_hooks_rely_on_is_unchanged."
    )


def test_what_the_hooks_rely_on_is_unchanged() -> None:
    current = {name: fingerprint(name) for name in {**HOOKED, **CALLERS}}
    changed = {name: fp for name, fp in current.items() if RECORDED.get(name) != fp}
    if changed:
        lines = [
            f"  {name} ({(HOOKED | CALLERS)[name]}): was {RECORDED.get(name)}, now {fp}"
            for name, fp in sorted(changed.items())
        ]
        recorded = "\n".join(f'    "{name}": {fp!r},' for name, fp in sorted(current.items()))
        pytest.fail(
            f"workflows-emulator {importlib.metadata.version('workflows-emulator')} differs "
            "from what shared/adapters/local/workflow_engine.py was written against:\n"
            + "\n".join(lines)
            + "\nRe-read each of these in the emulator's source against workflow_engine.py "
            "(does the replacement still take the same arguments, do the callers still look "
            "it up by name at call time?), run tests/workflows, then record:\n" + recorded,
            pytrace=False,
        )
