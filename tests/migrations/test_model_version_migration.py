"""Migration 0013: the simulations stored before it are model 1, a row written by the
previous release's code (which knows no model version) is model 1 too, and the
downgrade gives the schema of 0012 back with every row; on PostgreSQL and SQLite."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from shared.adapters.sql.migrate import alembic_config, migrate
from tests.support.postgres import temporary_database

BEFORE = "0012_growth_after_a_year"
INSERT = (
    "INSERT INTO simulation_states (simulation_id, owner_id, status, tick, horizon, params, "
    "state, updated_at) VALUES (:id, 'ada', :status, :tick, 12, '{}', :state, "
    "'2026-01-03 00:00:00+00')"
)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'model.sqlite3'}"
        return
    with temporary_database("aia_model_version") as database:
        yield database


def test_simulations_stored_before_are_model_1_and_the_downgrade_keeps_them(url: str) -> None:
    engine = create_engine(url)
    try:
        migrate(engine, BEFORE)
        with engine.begin() as conn:
            conn.execute(
                text(INSERT), {"id": "done", "status": "completed", "tick": 12, "state": b"s"}
            )
            conn.execute(
                text(INSERT), {"id": "going", "status": "running", "tick": 5, "state": b"s"}
            )
        migrate(engine)
        with engine.begin() as conn:
            # what the previous release writes while it still serves: no model version
            conn.execute(text(INSERT), {"id": "late", "status": "queued", "tick": 0, "state": None})
            rows = conn.execute(
                text(
                    "SELECT simulation_id, model_version, failure_reason FROM simulation_states "
                    "ORDER BY simulation_id"
                )
            ).all()
            assert conn.execute(text("SELECT count(*) FROM simulation_model_changes")).scalar() == 0
        assert [tuple(r) for r in rows] == [
            ("done", 1, None),
            ("going", 1, None),
            ("late", 1, None),
        ]

        from alembic import command

        config = alembic_config()
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, BEFORE)
        columns = {c["name"] for c in inspect(engine).get_columns("simulation_states")}
        assert {"model_version", "failure_reason"}.isdisjoint(columns)
        assert "simulation_model_changes" not in inspect(engine).get_table_names()
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM simulation_states")).scalar() == 3
    finally:
        engine.dispose()
