"""Code, the wiring manifest and the workflows agree: every function in functions/ is
wired, every event type has a topic, nothing in the manifest is orphaned."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

from shared.events.catalog import EVENT_MODULES, load_event_types
from shared.events.registry import REGISTRY
from shared.wiring.manifest import Manifest, load_manifest

ROOT = Path(__file__).resolve().parents[1]
DECORATORS = {"http": "http", "cloud_event": "pubsub"}


@pytest.fixture(scope="module")
def manifest() -> Manifest:
    load_event_types()
    return load_manifest()


def function_files() -> dict[str, ast.Module]:
    return {
        path.stem: ast.parse(path.read_text())
        for path in sorted((ROOT / "functions").glob("*.py"))
        if path.stem != "__init__"
    }


def decorated(tree: ast.Module) -> dict[str, str]:
    found = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            for deco in node.decorator_list:
                if isinstance(deco, ast.Attribute) and deco.attr in DECORATORS:
                    found[node.name] = DECORATORS[deco.attr]
    return found


def test_each_function_file_holds_one_function_named_after_it() -> None:
    for stem, tree in function_files().items():
        assert list(decorated(tree)) == [stem], f"functions/{stem}.py"


def test_every_function_is_wired_and_every_wired_function_exists(manifest: Manifest) -> None:
    in_code = {stem: decorated(tree)[stem] for stem, tree in function_files().items()}
    in_manifest = {f.target: ("http" if f.http else "pubsub") for f in manifest.functions}
    assert in_code == in_manifest


def _consume_calls(tree: ast.Module) -> list[ast.Call]:
    return [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "consume"
    ]


def test_event_functions_name_themselves_and_accept_their_topics_events(
    manifest: Manifest,
) -> None:
    files = function_files()
    for fn in manifest.functions:
        if fn.pubsub is None or fn.pubsub.topic == manifest.dead_letter_topic:
            continue
        tree = files[fn.target]
        [call] = _consume_calls(tree)
        name = next(k.value for k in call.keywords if k.arg == "name")
        assert isinstance(name, ast.Constant)
        assert name.value == fn.name, f"functions/{fn.target}.py consumes as {name.value}"
        accepts_node = call.args[2]
        names = accepts_node.elts if isinstance(accepts_node, ast.Tuple) else [accepts_node]
        accepted: set[str] = set()
        for name_node in names:
            assert isinstance(name_node, ast.Name)
            module = next(
                node.module
                for node in tree.body
                if isinstance(node, ast.ImportFrom)
                and any(a.name == name_node.id for a in node.names)
            )
            assert module is not None
            accepted_object = getattr(importlib.import_module(module), name_node.id)
            models = accepted_object if isinstance(accepted_object, tuple) else (accepted_object,)
            for model in models:
                assert manifest.topic_for(model.event_type) == fn.pubsub.topic
                accepted.add(model.event_type)
        # a subscriber receives every type on its topic: one it does not accept would be
        # dead-lettered as invalid
        on_topic = next(t for t in manifest.topics if t.name == fn.pubsub.topic).events
        assert set(on_topic) <= accepted, f"{fn.name} would dead-letter {set(on_topic) - accepted}"


def test_every_event_type_in_code_has_a_topic(manifest: Manifest) -> None:
    types = {t for t in REGISTRY.types() if not t.startswith("tech.013a.test.")}
    assert types, "no event types registered"
    for event_type in types:
        manifest.topic_for(event_type)


def test_every_event_model_is_in_the_catalog() -> None:
    for path in (ROOT / "shared").rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and any(k.arg == "event_type" for k in node.keywords):
                module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
                assert module in EVENT_MODULES, f"{node.name} in {module} is not catalogued"


def _names_used_in_code() -> set[str]:
    used: set[str] = set()
    for folder in ("shared", "functions"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                    used.add(node.func.id)
                elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                    used.add(node.func.attr)
    return used


def test_nothing_in_the_manifest_is_orphaned(manifest: Manifest) -> None:
    registered = REGISTRY.types()
    constructed = _names_used_in_code()
    scheduled = {s.event for s in manifest.schedules}
    for topic in manifest.topics:
        assert manifest.subscribers(topic.name), f"topic {topic.name} has no subscriber"
        for event_type in topic.events:
            assert event_type in registered, f"{event_type} on {topic.name} has no model"
            models = [m for m in REGISTRY.models() if m.event_type == event_type]
            published = scheduled | {m.event_type for m in models if m.__name__ in constructed}
            assert event_type in published, f"{event_type} is never published"
    for schedule in manifest.schedules:
        assert manifest.subscribers(manifest.topic_for(schedule.event))


def test_workflow_files_and_manifest_agree(manifest: Manifest) -> None:
    on_disk = {p.name for p in (ROOT / "workflows").glob("*.workflows.yaml")}
    assert on_disk == {Path(w.source).name for w in manifest.workflows}


def test_manifest_rejects_inconsistent_wiring() -> None:
    base = {
        "version": 1,
        "topics": [{"name": "dead-letters", "description": "d", "dead_letter": True}],
        "functions": [
            {"name": "x-fn", "target": "x_fn", "description": "x", "pubsub": {"topic": "nope"}}
        ],
    }
    with pytest.raises(ValueError, match="unknown topic"):
        Manifest.model_validate(base)
