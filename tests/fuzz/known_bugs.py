"""5xx bugs the fuzz gate found that other engineers are fixing (issue #13). A 5xx whose
case matches one of these is reported but does not fail the gate.

TEMPORARY: delete each entry once its fix is merged; the list should end up empty."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class KnownBug:
    owner: str
    summary: str
    operations: tuple[str, ...]  # "METHOD /path" labels; empty: any operation
    when: Callable[[Any], bool] = lambda case: True  # on the schemathesis Case sent
    raised_in: tuple[str, ...] = ()  # or: the exception the app logged names one of these

    def matches(self, case: Any, server_error: str) -> bool:
        if self.operations and case.operation.label not in self.operations:
            return False
        return bool(self.when(case)) or any(where in server_error for where in self.raised_in)


def _never(case: Any) -> bool:
    return False


def _huge_int_query(case: Any) -> bool:
    """A query value beyond a 64-bit integer."""
    for value in (case.query or {}).values():
        for item in value if isinstance(value, list) else [value]:
            try:
                if abs(int(str(item))) >= 2**63:
                    return True
            except ValueError:
                continue
    return False


KNOWN_BUGS: tuple[KnownBug, ...] = (
    KnownBug(
        "inputs",
        "venture size_ksloc underflow: a tiny size or schedule divides by zero in COCOMO",
        ("POST /v1/venture/mvp-blueprint", "POST /v1/venture/resource-plan"),
        _never,
        raised_in=("shared/venture/cocomo.py", "shared/venture/resources.py"),
    ),
    KnownBug(
        "inputs",
        "huge integers in before/offset query parameters overflow the SQL driver "
        "(seen: admin/users offset, governance/proposals before, simulations metrics from_tick)",
        (),
        _huge_int_query,
    ),
    KnownBug(
        "inputs",
        "CSV upload parsing: a stray carriage return in a field raises csv.Error",
        ("POST /v1/venture/datasets",),
        _never,
        raised_in=("/csv.py:",),  # raised inside the csv module,
    ),
)
