from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Protocol


class TaskQueue(Protocol):
    """HTTP tasks delivered later, at a bounded rate (Cloud Tasks in production)."""

    def enqueue(
        self,
        queue: str,
        function: str,
        payload: Mapping[str, Any],
        *,
        task_id: str | None = None,
        schedule_time: datetime | None = None,
        path: str = "/",
    ) -> str:
        """Queue a POST of `payload` (JSON) to the HTTP function `function` at `path`.
        A `task_id` already used is ignored (dedupe); returns the task id."""
        ...

    def ping(self) -> None: ...
