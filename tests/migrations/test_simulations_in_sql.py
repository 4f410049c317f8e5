"""Migration 0009 folds the quota rows of `simulation_runs` into the simulations' rows
and derives each run's status from its tick, on PostgreSQL and on SQLite: a database at
0008 with a completed, a failed, a running and a pre-quota run upgrades with their
limits' figures intact."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from shared.adapters.sql.migrate import migrate
from tests.support.postgres import temporary_database

# (id, tick, horizon, quota row: (user, household-months, started, finished) or None)
RUNS = [
    ("done", 3, 3, ("ada", 600, "2026-01-02 10:00:00+00", "2026-01-02 10:01:00+00")),
    ("failed", 0, 5, ("ada", 1000, "2026-01-02 11:00:00+00", "2026-01-02 12:00:00+00")),
    ("going", 2, 10, ("bob", 2000, "2026-01-02 13:00:00+00", None)),
    ("old", 4, 6, None),  # started before the quotas: no quota row
]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fold.sqlite3'}"
        return
    with temporary_database("aia_fold") as database:
        yield database


def test_quota_runs_fold_into_the_simulation_rows(url: str) -> None:
    engine = create_engine(url)
    try:
        migrate(engine, "0008_simulation_quotas")
        with engine.begin() as conn:
            for simulation_id, tick, horizon, run in RUNS:
                conn.execute(
                    text(
                        "INSERT INTO simulation_states (simulation_id, tick, horizon, params, "
                        "state, last_event_id, updated_at) VALUES (:id, :tick, :horizon, '{}', "
                        ":state, NULL, '2026-01-03 00:00:00+00')"
                    ),
                    {"id": simulation_id, "tick": tick, "horizon": horizon, "state": b"s"},
                )
                if run is not None:
                    conn.execute(
                        text("INSERT INTO simulation_runs VALUES (:id, :user, :hm, :at, :end)"),
                        {"id": simulation_id, "user": run[0], "hm": run[1], "at": run[2]}
                        | {"end": run[3]},
                    )
        migrate(engine)
        with engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT simulation_id, owner_id, status, household_months, created_at "
                    "FROM simulation_states ORDER BY simulation_id"
                )
            ).all()
            tables = set(
                conn.execute(
                    text(
                        "SELECT name FROM sqlite_master WHERE type = 'table'"
                        if engine.dialect.name == "sqlite"
                        else "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                    )
                ).scalars()
            )
    finally:
        engine.dispose()
    folded = {r.simulation_id: (r.owner_id, r.status, r.household_months) for r in rows}
    # owners come from the first release's documents, copied when the store starts
    assert folded == {
        "done": ("", "completed", 600),
        "failed": ("", "failed", 1000),
        "going": ("", "running", 2000),
        "old": ("", "running", None),
    }
    started = {r.simulation_id: str(r.created_at)[:16] for r in rows}
    assert started["done"] == "2026-01-02 10:00" and started["old"] == "2026-01-03 00:00"
    assert "simulation_runs" not in tables and "simulation_quotas" in tables
