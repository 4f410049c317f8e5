from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from shared.knowledge.builder import GraphBuilder
from shared.knowledge.curated import curated_registry
from shared.knowledge.importer import parse_json
from shared.knowledge.index import GraphIndex

TODAY = date(2026, 1, 1)  # the ManualClock's start: tests and the runtime agree


@pytest.fixture(scope="session")
def graph() -> GraphIndex:
    builder = GraphBuilder()
    assert builder.add_registry(curated_registry()) == []
    return builder.build(0)


def small_graph(document: dict[str, Any], name: str = "small") -> GraphIndex:
    """A graph of one hand-written registry (no curated data)."""
    builder = GraphBuilder()
    problems = builder.add_registry(parse_json(name, document))
    assert problems == []
    assert builder.prerequisite_cycle() is None
    return builder.build(1)
