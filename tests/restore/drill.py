"""The restore drill, shared by the test (which asserts correctness) and `nox -s bench`
(which records the time): a real `aia serve` gets ledger activity (accounts, a mint,
transfers, a stake), a finished simulation and email records (the welcome mail, a
preference change); `aia backup` runs while it serves; one more transfer lands after the
backup (the restore must not have it); the server stops, the data dir is destroyed,
`aia restore` refills it and a new server must show, through the API, exactly what the
first one showed at the backup."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import requests

from tests.support.serve import ROOT, fast_env, free_port, mail_to, server, wait_until

ADMIN = ("ops@example.com", "correct horse battery staple")
PASSWORD = "correct horse battery staple"
USERS = ("ada", "bob", "cy")


@dataclass
class DrillResult:
    before: dict[str, Any]
    after: dict[str, Any]
    late_transfer_id: str
    backup_seconds: float
    restore_seconds: float
    restart_seconds: float
    archive_bytes: int
    files: int


class Api:
    def __init__(self, base: str, data_dir: Path) -> None:
        self.base = base
        self.data_dir = data_dir
        self.tokens: dict[str, str] = {}

    def login(self, name: str, email: str, password: str = PASSWORD) -> None:
        reply = requests.post(
            f"{self.base}/v1/auth/login", json={"email": email, "password": password}, timeout=30
        )
        assert reply.status_code == 200, reply.text
        self.tokens[name] = reply.json()["access_token"]

    def call(self, who: str, method: str, path: str, **kw: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.tokens[who]}"}
        if method != "GET":  # writes that move tokens want one; the rest ignore it
            headers["Idempotency-Key"] = str(uuid.uuid4())
        reply = requests.request(method, f"{self.base}{path}", headers=headers, timeout=30, **kw)
        assert reply.status_code < 300, (method, path, reply.status_code, reply.text)
        return reply.json()


def _env(data_dir: Path) -> dict[str, str]:
    return {
        **fast_env(data_dir),
        "AIA_ADMIN_EMAIL": ADMIN[0],
        "AIA_ADMIN_PASSWORD": ADMIN[1],
    }


def aia(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "shared.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def write_activity(api: Api) -> dict[str, str]:
    """Accounts, ledger postings, a simulation and email records; returns user ids."""
    ids: dict[str, str] = {}
    for name in USERS:
        email = f"{name}@example.com"
        created = requests.post(
            f"{api.base}/v1/auth/register",
            json={"email": email, "password": PASSWORD, "name": name},
            timeout=30,
        )
        assert created.status_code == 201, created.text
        ids[name] = created.json()["user_id"]
        verified = requests.post(
            f"{api.base}/v1/auth/verify-email",
            json={"token": _verification_token(api.data_dir, email)},
            timeout=30,
        )
        assert verified.status_code < 300, verified.text
        api.login(name, email)
    api.login("admin", *ADMIN)
    api.call("admin", "POST", "/v1/admin/mint", json=_move(ids["ada"], "AIA", "500"))
    api.call("admin", "POST", "/v1/admin/mint", json=_move(ids["bob"], "AIA_GOV", "40"))
    api.call("ada", "POST", "/v1/wallet/transfers", json=_send("bob@example.com", "AIA", "12.5"))
    api.call("bob", "POST", "/v1/wallet/transfers", json=_send("cy@example.com", "AIA_GOV", "2"))
    api.call("ada", "POST", "/v1/wallet/stake", json={"amount": "30"})
    api.call("cy", "PUT", "/v1/emails/preferences", json={"categories": {"economics": False}})
    run = api.call(
        "ada", "POST", "/v1/simulations", json={"households": 200, "ticks": 3, "seed": 7}
    )
    wait_until(
        lambda: api.call("ada", "GET", f"/v1/simulations/{run['id']}")["status"] == "completed",
        timeout=60,
    )
    return ids


def _verification_token(data_dir: Path, email: str) -> str:
    """The token of the verify-email link in the welcome mail (delivered by an event)."""
    found: list[str] = []

    def arrived() -> bool:
        for message in mail_to(data_dir, email):
            body = message.get_body(preferencelist=("plain",))
            text = body.get_content() if body is not None else ""
            found.extend(re.findall(r"/verify-email\?token=([A-Za-z0-9_.~%-]+)", text))
        return bool(found)

    wait_until(arrived, timeout=30)
    return found[-1]


def _move(user_id: str, token: str, amount: str) -> dict[str, str]:
    return {"user_id": user_id, "token": token, "amount": amount}


def _send(to: str, token: str, amount: str) -> dict[str, str]:
    return {"to": to, "token": token, "amount": amount}


def snapshot(api: Api, data_dir: Path, window: tuple[str, str]) -> dict[str, Any]:
    """Everything the drill must get back, read through the API (and the outbox)."""
    seen: dict[str, Any] = {"users": {}}
    for name in USERS:
        sims = api.call(name, "GET", "/v1/simulations")["simulations"]
        seen["users"][name] = {
            "me": api.call(name, "GET", "/v1/me"),
            "wallet": api.call(name, "GET", "/v1/wallet"),
            "history": api.call(name, "GET", "/v1/wallet/history"),
            "simulations": sims,
            "metrics": {
                s["id"]: api.call(name, "GET", f"/v1/simulations/{s['id']}/metrics") for s in sims
            },
            "email_preferences": api.call(name, "GET", "/v1/emails/preferences"),
            "mail": sorted(
                str(m["Subject"]) + "|" + str(m["Message-ID"])
                for m in mail_to(data_dir, f"{name}@example.com")
            ),
        }
    seen["supply"] = api.call("admin", "GET", "/v1/admin/ledger/supply")
    checked = api.call("admin", "GET", "/v1/admin/ledger/reconciliation")
    checked.pop("checked_at")  # when it was asked, not what it found
    seen["reconciliation"] = checked
    seen["email_stats"] = api.call(
        "admin", "GET", "/v1/admin/email/stats", params={"from": window[0], "to": window[1]}
    )
    seen["suppressions"] = api.call("admin", "GET", "/v1/admin/email/suppressions")
    return seen


def settled_snapshot(api: Api, data_dir: Path, window: tuple[str, str]) -> dict[str, Any]:
    """A snapshot once the events still in flight (welcome mail, grants) have landed:
    two reads in a row that agree."""
    last = snapshot(api, data_dir, window)
    for _ in range(50):
        time.sleep(0.2)
        now = snapshot(api, data_dir, window)
        if now == last:
            return now
        last, previous = now, last
    changed = _differences(previous, last)
    raise AssertionError(f"the server's state did not settle: {changed}")


def _differences(a: Any, b: Any, where: str = "") -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        return [
            d
            for k in sorted(set(a) | set(b))
            for d in _differences(a.get(k), b.get(k), f"{where}.{k}")
        ]
    return [] if a == b else [f"{where}: {str(a)[:80]} != {str(b)[:80]}"]


def run_drill(work: Path) -> DrillResult:
    data_dir = work / "data"
    archive = work / "backup.tar.gz"
    env = _env(data_dir)
    port = free_port()
    api = Api(f"http://127.0.0.1:{port}", data_dir)
    now = datetime.now(UTC)
    window = ((now - timedelta(days=1)).isoformat(), (now + timedelta(days=1)).isoformat())
    with server(env, port) as first:
        write_activity(api)
        before = settled_snapshot(api, data_dir, window)
        started = time.perf_counter()
        done = aia("backup", "--out", str(archive), env=env)
        backup_seconds = time.perf_counter() - started
        assert done.returncode == 0, done.stderr
        # after the backup: in the server, not in the archive
        late = api.call(
            "ada", "POST", "/v1/wallet/transfers", json=_send("cy@example.com", "AIA", "1")
        )
        refused = aia("restore", str(archive), "--replace", env=env)
        assert refused.returncode == 1 and "in use" in refused.stderr, refused
        assert first.poll() is None
    shutil.rmtree(data_dir)
    started = time.perf_counter()
    done = aia("restore", str(archive), env=env)
    restore_seconds = time.perf_counter() - started
    assert done.returncode == 0, done.stderr
    started = time.perf_counter()
    with server(env, port):
        restart_seconds = time.perf_counter() - started
        for name in USERS:
            api.login(name, f"{name}@example.com")
        api.login("admin", *ADMIN)
        after = settled_snapshot(api, data_dir, window)
    return DrillResult(
        before=before,
        after=after,
        late_transfer_id=str(late["transfer_id"]),
        backup_seconds=backup_seconds,
        restore_seconds=restore_seconds,
        restart_seconds=restart_seconds,
        archive_bytes=archive.stat().st_size,
        files=len([p for p in data_dir.rglob("*") if p.is_file()]),
    )
