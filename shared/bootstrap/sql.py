"""The platform's SQL database as the repositories (shared/adapters/sql) need it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from shared.platform import Platform

if TYPE_CHECKING:
    from sqlalchemy import Engine


def sql_engine(platform: Platform) -> Engine:
    """The SQLAlchemy engine behind the SQL port (migrated first when embedded)."""
    from shared.adapters.sql.database import SqlAlchemyDatabase

    if not isinstance(platform.sql, SqlAlchemyDatabase):
        raise TypeError(f"{type(platform.sql).__name__} has no SQLAlchemy engine")
    return platform.sql.engine
