"""Builds `release-1.<dialect>.sql`: the first release's database (Alembic head
`0005_simulations`) with a little data, written through that release's own API.

It was run once, at the first release's commit (5ef2801), and its output is committed:
later releases only read the files (tests/migrations/test_upgrade_from_release_1.py),
so what they upgrade is what the first release really wrote. Running it on a later commit
builds that commit's database instead, which is not what the fixture is for.

    .venv/bin/python -m tests.migrations.build_release_fixture
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import tempfile
import time
from pathlib import Path

from shared.adapters.local.clock import ManualClock
from shared.adapters.stripe.gateway import signature_header
from shared.bootstrap import install_features
from shared.runtime.local import LocalRuntime
from shared.settings import Settings
from tests.conftest import ROOT
from tests.support.postgres import temporary_database

HERE = Path(__file__).parent
PASSWORD = "correct horse battery staple"
SECRET = "whsec_release_fixture"
USERS = ("ada", "bob")


def populate(settings: Settings) -> None:
    """Accounts, an API key, ledger postings of every kind, a proposal with a vote and a
    finished simulation: one of each table's rows."""
    import os

    from werkzeug.test import Client

    os.environ["STRIPE_WEBHOOK_SECRET"] = SECRET
    clock = ManualClock()
    runtime = LocalRuntime(settings, ROOT, clock=clock)
    try:
        from shared.adapters.http.app import create_api_app
        from shared.adapters.http.catalog import all_guards, all_routes

        app = create_api_app(all_routes(), lambda: runtime.features, guards=all_guards())
        client = Client(app)
        tokens: dict[str, str] = {}
        ids: dict[str, str] = {}
        for name in USERS:
            email = f"{name}@example.com"
            created = client.post(
                "/v1/auth/register", json={"email": email, "password": PASSWORD, "name": name}
            )
            assert created.status_code == 201, created.get_data(as_text=True)
            ids[name] = created.json["user_id"]
            login = client.post("/v1/auth/login", json={"email": email, "password": PASSWORD})
            tokens[name] = login.json["access_token"]
        runtime.features.accounts.service.store.set_roles(ids["bob"], ("admin", "user"))
        runtime.dispatcher.drain()  # welcome grants

        def call(name: str, method: str, path: str, **kw: object) -> dict[str, object]:
            headers = {"Authorization": f"Bearer {tokens[name]}", **kw.pop("headers", {})}  # type: ignore[dict-item]
            reply = client.open(path, method=method, headers=headers, **kw)
            assert reply.status_code < 300, (path, reply.get_data(as_text=True))
            return reply.json or {}

        # bob logs in again: his token must carry the admin role
        tokens["bob"] = client.post(
            "/v1/auth/login", json={"email": "bob@example.com", "password": PASSWORD}
        ).json["access_token"]
        call("ada", "POST", "/v1/api-keys", json={"name": "scripts", "scopes": ["read", "write"]})
        payload = json.dumps(
            {
                "id": "evt_release_1",
                "type": "checkout.session.completed",
                "data": {
                    "object": {
                        "id": "cs_release_1",
                        "client_reference_id": ids["ada"],
                        "metadata": {"aia_amount": "1000"},
                        "payment_status": "paid",
                        "payment_intent": "pi_release_1",
                    }
                },
            }
        )
        paid = client.post(
            "/v1/payments/stripe/webhook",
            data=payload,
            headers={"Stripe-Signature": signature_header(payload, SECRET, int(time.time()))},
        )
        assert paid.json["outcome"] == "credited", paid.get_data(as_text=True)
        call(
            "ada",
            "POST",
            "/v1/wallet/transfers",
            json={"to": ids["bob"], "token": "AIA", "amount": "25.5"},
            headers={"Idempotency-Key": "release-1-transfer"},
        )
        call(
            "ada",
            "POST",
            "/v1/wallet/stake",
            json={"amount": "100"},
            headers={"Idempotency-Key": "release-1-stake"},
        )
        call(
            "bob",
            "POST",
            "/v1/admin/mint",
            json={"user_id": ids["ada"], "token": "AIA_GOV", "amount": "5000", "reason": "fixture"},
            headers={"Idempotency-Key": "release-1-mint"},
        )
        call("ada", "POST", "/v1/governance/delegate", json={"to": ids["ada"]})
        clock.advance(1)
        proposal = call(
            "ada",
            "POST",
            "/v1/governance/proposals",
            json={
                "title": "Lower the bottom tax rate",
                "description": "A fixture proposal of the first release.",
                "actions": [
                    {"type": "tax_brackets", "tax_brackets": [{"threshold": 0.0, "rate": 0.05}]}
                ],
            },
        )
        clock.advance(settings.governance_voting_delay_seconds + 1)
        runtime.dispatcher.drain()
        call(
            "ada",
            "POST",
            f"/v1/governance/proposals/{proposal['id']}/votes",
            json={"support": "for", "conviction": 1},
        )
        simulation = call(
            "ada", "POST", "/v1/simulations", json={"households": 200, "ticks": 3, "seed": 7}
        )
        runtime.dispatcher.drain()
        status = call("ada", "GET", f"/v1/simulations/{simulation['id']}")
        assert status["status"] == "completed", status
    finally:
        runtime.stop()
        install_features(None)


def _settings(data_dir: Path, database_url: str | None) -> Settings:
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        scheduler_enabled=False,
        password_hash_time_cost=1,
        password_hash_memory_kib=8192,
        prices={"simulation": "10"},
        governance_voting_delay_seconds=60,
    )


def build_postgres(out: Path) -> None:
    from sqlalchemy import create_engine

    from shared.adapters.sql.migrate import migrate

    with temporary_database("aia_fixture") as url, tempfile.TemporaryDirectory() as tmp:
        engine = create_engine(url)
        migrate(engine)
        engine.dispose()
        populate(_settings(Path(tmp), url))
        libpq = url.replace("postgresql+psycopg://", "postgresql://")
        dump = subprocess.run(
            ["pg_dump", "--no-owner", "--no-privileges", "--inserts", libpq],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    out.write_text(dump)


def build_sqlite(out: Path, documents: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        populate(_settings(Path(tmp), None))
        with sqlite3.connect(Path(tmp) / "aia.sqlite3") as db:
            out.write_text("\n".join(db.iterdump()) + "\n")
        # the embedded document store beside it (a simulation's document lived there)
        with sqlite3.connect(Path(tmp) / "documents.sqlite3") as db:
            documents.write_text("\n".join(db.iterdump()) + "\n")


if __name__ == "__main__":
    build_postgres(HERE / "release-1.postgresql.sql")
    build_sqlite(HERE / "release-1.sqlite.sql", HERE / "release-1.documents.sqlite.sql")
    print("fixtures written to", HERE)
