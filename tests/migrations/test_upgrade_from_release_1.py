"""The first release's database (committed SQL, see build_release_fixture.py) upgrades to
today's Alembic head with its data intact, on PostgreSQL (production) and on the embedded
SQLite database (`make run`), and the upgraded database serves the API: the fixture's users
log in and see the balances the first release left them. The purchase and the simulation
the first release kept in the document store move to SQL: the purchase can still be
refunded, the simulation is listed and read as before."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from shared.adapters.local.clock import ManualClock
from shared.adapters.sql.migrate import alembic_config, migrate
from shared.bootstrap import install_features
from shared.runtime.local import LocalRuntime
from shared.settings import Settings
from tests.conftest import ROOT
from tests.support.postgres import temporary_database

HERE = Path(__file__).parent
PASSWORD = "correct horse battery staple"
RELEASE_1_HEAD = "0005_simulations"


def _head() -> str:
    from alembic.script import ScriptDirectory

    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert len(heads) == 1, f"the migration chain must have one head, has {heads}"
    return heads[0]


@pytest.fixture(params=["postgresql", "sqlite"])
def release_1_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database holding exactly what the first release wrote."""
    if request.param == "sqlite":
        yield _sqlite_release_1(tmp_path)
        return
    with temporary_database("aia_release1") as url:
        libpq = url.replace("postgresql+psycopg://", "postgresql://")
        subprocess.run(
            [
                "psql",
                "--quiet",
                "-v",
                "ON_ERROR_STOP=1",
                "-f",
                str(HERE / "release-1.postgresql.sql"),
                libpq,
            ],
            check=True,
            capture_output=True,
        )
        yield url


def _sqlite_release_1(tmp_path: Path) -> str:
    path = tmp_path / "data" / "aia.sqlite3"
    path.parent.mkdir(parents=True)
    with sqlite3.connect(path) as db:
        db.executescript((HERE / "release-1.sqlite.sql").read_text())
    return f"sqlite:///{path}"


def _documents_of_release_1(data_dir: Path, url: str | None = None) -> None:
    """The embedded document store the first release wrote beside its SQLite database.
    The PostgreSQL fixture is another run of the same script (other ids, the same
    deterministic simulation): given its `url`, the simulation's document takes the ids
    of that run."""
    data_dir.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(data_dir / "documents.sqlite3") as db:
        db.executescript((HERE / "release-1.documents.sqlite.sql").read_text())
        if url is not None:
            simulation = _scalar(url, "SELECT simulation_id FROM simulation_states")
            ada = _scalar(url, "SELECT id FROM users WHERE email = 'ada@example.com'")
            db.execute(
                "UPDATE documents SET id = ?, data = json_set(data, '$.owner_id', ?) "
                "WHERE collection = 'simulations'",
                (simulation, ada),
            )


def _scalar(url: str, sql: str) -> object:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql)).scalar()
    finally:
        engine.dispose()


def test_fixture_is_the_first_release(release_1_url: str) -> None:
    assert _scalar(release_1_url, "SELECT version_num FROM alembic_version") == RELEASE_1_HEAD
    assert _scalar(release_1_url, "SELECT count(*) FROM users") == 2


def test_release_1_upgrades_to_head_and_keeps_its_data(release_1_url: str, tmp_path: Path) -> None:
    before = {
        table: _scalar(release_1_url, f"SELECT count(*) FROM {table}")
        for table in (
            "users",
            "api_keys",
            "ledger_entries",
            "ledger_lines",
            "ledger_audit",
            "governance_proposals",
            "governance_votes",
            "simulation_states",
            "simulation_metrics",
        )
    }
    engine = create_engine(release_1_url)
    migrate(engine)
    migrate(engine)  # a second run is a no-op
    engine.dispose()
    assert _scalar(release_1_url, "SELECT version_num FROM alembic_version") == _head()
    for table, count in before.items():
        assert _scalar(release_1_url, f"SELECT count(*) FROM {table}") == count, table

    # the upgraded database serves the API: the first release's users log in and find
    # their balances, their admin role, their proposal and their finished simulation
    # (whose owner, charge and times were in the document store beside the database)
    _documents_of_release_1(tmp_path / "run", release_1_url)
    simulation_id = _scalar(release_1_url, "SELECT simulation_id FROM simulation_states")
    settings = Settings(
        data_dir=tmp_path / "run",
        database_url=release_1_url,
        scheduler_enabled=False,
        password_hash_time_cost=1,
        password_hash_memory_kib=8192,
        ledger_genesis={"AIA": "100000000", "AIA_GOV": "10000000"},
    )
    runtime = LocalRuntime(settings, ROOT, clock=ManualClock())
    try:
        from werkzeug.test import Client

        from shared.adapters.http.app import create_api_app
        from shared.adapters.http.catalog import all_guards, all_routes

        client = Client(create_api_app(all_routes(), lambda: runtime.features, guards=all_guards()))

        def session(email: str) -> dict[str, str]:
            login = client.post("/v1/auth/login", json={"email": email, "password": PASSWORD})
            assert login.status_code == 200, login.get_data(as_text=True)
            return {"Authorization": f"Bearer {login.json['access_token']}"}

        ada, bob = session("ada@example.com"), session("bob@example.com")
        wallet = client.get("/v1/wallet", headers=ada).json
        # 100 welcome + 1,000 bought - 25.5 sent - 0.0255 burned - 100 staked - 10 simulation
        assert Decimal(wallet["balances"]["AIA"]) == Decimal("964.4745")
        assert Decimal(wallet["staked"]["AIA"]) == Decimal("100")
        assert Decimal(client.get("/v1/wallet", headers=bob).json["balances"]["AIA"]) == Decimal(
            "125.5"
        )
        assert "admin" in client.get("/v1/me", headers=bob).json["roles"]
        supply = client.get("/v1/admin/ledger/supply", headers=bob).json["tokens"]
        assert all(line["held"] == line["supply"] for line in supply), supply
        proposals = client.get("/v1/governance/proposals", headers=ada).json["proposals"]
        assert [p["title"] for p in proposals] == ["Lower the bottom tax rate"]
        [simulation] = client.get("/v1/simulations", headers=ada).json["simulations"]
        assert (simulation["id"], simulation["status"]) == (simulation_id, "completed")
        assert (simulation["current_tick"], simulation["ticks"]) == (3, 3)
        assert (simulation["charged_aia"], simulation["created_at"]) == (
            "10.000000",
            "2026-01-01T00:01:02+00:00",
        )
        assert simulation["latest"]["gdp_real"] == pytest.approx(151.8171727268559)
        assert simulation["model_version"] == 1  # stored before model versions: model 1
        metrics = client.get(f"/v1/simulations/{simulation_id}/metrics", headers=ada).json
        assert [r["tick"] for r in metrics["records"]] == [1, 2, 3]
        assert metrics["model_version"] == 1
        # its state is the first release's, readable as such but not by this model
        from shared.simulation.layout import StateFromOtherModel, load_state, model_of

        stored = runtime.features.simulations.load(simulation_id)
        assert stored is not None and stored.state is not None
        assert model_of(stored.state) == 1
        with pytest.raises(StateFromOtherModel, match="produced by model 1"):
            load_state(stored.state)
        assert client.get("/v1/simulations", headers=bob).json["simulations"] == []
        assert client.get(f"/v1/simulations/{simulation_id}", headers=bob).status_code == 404
    finally:
        runtime.stop()
        install_features(None)
    # the finished simulation's state and its three months of figures
    assert _scalar(release_1_url, "SELECT max(tick) FROM simulation_states") == 3
    assert _scalar(release_1_url, "SELECT count(DISTINCT tick) FROM simulation_metrics") == 3


def test_release_1_purchases_move_to_sql_and_refund_correctly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The embedded run of the first release: its SQL database and, beside it, the
    document store that held its one purchase (`pi_release_1`, 1,000 AIA for ada)."""
    from shared.adapters.stripe.gateway import signature_header
    from shared.ledger.payments.first_release import copy_first_release

    url = _sqlite_release_1(tmp_path)
    run = tmp_path / "run"
    _documents_of_release_1(run)
    secret = "whsec_upgrade"
    monkeypatch.setenv("STRIPE_WEBHOOK_SECRET", secret)
    settings = Settings(
        data_dir=run,
        database_url=url,
        scheduler_enabled=False,
        password_hash_time_cost=1,
        password_hash_memory_kib=8192,
    )
    runtime = LocalRuntime(settings, ROOT, clock=ManualClock())
    try:
        from werkzeug.test import Client

        from shared.adapters.http.app import create_api_app
        from shared.adapters.http.catalog import all_guards, all_routes

        client = Client(create_api_app(all_routes(), lambda: runtime.features, guards=all_guards()))

        def webhook(payload: str) -> str:
            reply = client.post(
                "/v1/payments/stripe/webhook",
                data=payload,
                headers={"Stripe-Signature": signature_header(payload, secret, int(time.time()))},
            )
            assert reply.status_code == 200, reply.get_data(as_text=True)
            return str(reply.json["outcome"])

        feature = runtime.features.payments  # starting the feature copies the documents
        purchase = feature.store.purchase("pi_release_1")
        assert purchase is not None
        assert (purchase.session_id, purchase.aia_minor, purchase.refunded_minor) == (
            "cs_release_1",
            1000 * 10**6,
            0,
        )
        handled = feature.store.handled_event("evt_release_1")
        assert handled is not None and handled.outcome == "credited"
        # copied once: a second start writes nothing
        assert (
            copy_first_release(runtime.platform.documents, feature.store, purchase.created_at) == 0
        )
        # Stripe retrying the first release's event is a duplicate, not a second credit
        retried = {"id": "evt_release_1", "type": "checkout.session.completed"}
        session = {"id": "cs_release_1", "payment_status": "paid"}
        assert webhook(json.dumps({**retried, "data": {"object": session}})) == "duplicate"
        refund = {"id": "ch_release_1", "payment_intent": "pi_release_1", "amount": 4500}
        half = {
            "id": "evt_refund_half",
            "type": "charge.refunded",
            "data": {"object": {**refund, "amount_refunded": 2250}},
        }
        assert webhook(json.dumps(half)) == "debited"
        login = client.post(
            "/v1/auth/login", json={"email": "ada@example.com", "password": PASSWORD}
        )
        ada = {"Authorization": f"Bearer {login.json['access_token']}"}
        wallet = client.get("/v1/wallet", headers=ada).json
        assert Decimal(wallet["balances"]["AIA"]) == Decimal("964.4745") - Decimal(500)
        refunded = feature.store.purchase("pi_release_1")
        assert refunded is not None and refunded.refunded_minor == 500 * 10**6
    finally:
        runtime.stop()
        install_features(None)
