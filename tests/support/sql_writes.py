"""Bytes a test sends to the SQL database: every binary parameter of every statement,
counted at the driver (what the database receives, not what the code meant to write)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, event


@dataclass
class BinaryWrites:
    sizes: list[int] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.sizes)


@contextmanager
def binary_writes(engine: Engine) -> Iterator[BinaryWrites]:
    """Record the size of each binary value sent to `engine` while the block runs."""
    seen = BinaryWrites()

    def count(
        _conn: object, _cursor: object, _sql: str, params: Any, _ctx: object, _many: bool
    ) -> None:
        for value in _values(params):
            if isinstance(value, bytes | bytearray | memoryview):
                seen.sizes.append(len(value))

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _values(params: Any) -> Iterator[Any]:
    if isinstance(params, dict):
        yield from params.values()
    elif isinstance(params, list | tuple):
        for item in params:
            if isinstance(item, dict | list | tuple):
                yield from _values(item)
            else:
                yield item
    elif params is not None:
        yield params
