from __future__ import annotations

from typing import Protocol


class SqlDatabase(Protocol):
    """A relational database (Cloud SQL PostgreSQL in production, SQLite embedded).
    Repositories in `shared.adapters` use it; the domain sees only their interfaces."""

    @property
    def url(self) -> str: ...

    @property
    def dialect(self) -> str:
        """`postgresql` or `sqlite`."""
        ...

    def ping(self) -> None: ...

    def dispose(self) -> None:
        """Close the connections kept for reuse (the database stays usable)."""
        ...
