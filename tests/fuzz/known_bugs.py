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


# Empty: every 5xx the gate finds fails it. (While other fixes were in flight during
# issue #13, their known cases were listed here; keep the mechanism for the next time.)
KNOWN_BUGS: tuple[KnownBug, ...] = ()
