"""The migration chain creates exactly the tables, columns and indexes `schema.py`
declares, on SQLite (`make run`) and on PostgreSQL (production)."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from shared.adapters.sql.migrate import migrate
from shared.adapters.sql.schema import metadata
from tests.support.postgres import temporary_database


def _diff(url: str) -> list[object]:
    engine = create_engine(url)
    try:
        migrate(engine)
        with engine.connect() as conn:
            return list(compare_metadata(MigrationContext.configure(conn), metadata))
    finally:
        engine.dispose()


def test_sqlite_schema_is_the_migrations(tmp_path: Path) -> None:
    assert _diff(f"sqlite:///{tmp_path / 'schema.sqlite3'}") == []


@pytest.mark.postgres
def test_postgres_schema_is_the_migrations() -> None:
    with temporary_database("aia_schema") as url:
        assert _diff(url) == []
