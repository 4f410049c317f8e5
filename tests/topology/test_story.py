"""The platform's story against the production topology, over real HTTP: two people
register and verify (the welcome email is sent by the onboarding workflow, started by a
Pub/Sub push, calling email-send over HTTP), the welcome grant arrives (another push), an
operator mints, one pays the other (once, however often the request is retried), a
simulation runs its months through ordered Pub/Sub pushes to advance-simulation, and a
venture report runs through its workflow and is emailed."""

from __future__ import annotations

from decimal import Decimal

from scripts.topology.launcher import Topology
from tests.support.serve import mail_to, wait_until
from tests.topology.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, TOPOLOGY, Api
from tests.venture.conftest import report_body

pytestmark = TOPOLOGY


def balance(api: Api, token: str, name: str = "AIA") -> Decimal:
    wallet = api.call("GET", "/v1/wallet", token).json()
    return Decimal(wallet["balances"].get(name, "0"))


def test_register_verify_pay_simulate_and_report(api: Api, topology: Topology) -> None:
    ada = api.verified_user("ada@example.com", "Ada")
    grace = api.verified_user("grace@example.com", "Grace")
    # the welcome grant: grant-signup-bonus's own process, reached by a push
    wait_until(lambda: balance(api, ada) == 100 and balance(api, grace) == 100, 30)

    admin = api.login(ADMIN_EMAIL, ADMIN_PASSWORD)
    me = api.call("GET", "/v1/me", ada).json()
    grant = {"user_id": me["user_id"], "token": "AIA_GOV", "amount": "1500", "reason": "seed"}
    minted = api.call("POST", "/v1/admin/mint", admin, json=grant)
    assert minted.status_code == 201, minted.text
    assert balance(api, ada, "AIA_GOV") == 1500

    pay = {"to": "grace@example.com", "token": "AIA", "amount": "10"}
    for _ in range(2):  # a retried request pays once
        paid = api.call(
            "POST", "/v1/wallet/transfers", ada, json=pay, headers={"Idempotency-Key": "pay-1"}
        )
        assert paid.status_code in (200, 201), paid.text
    assert balance(api, grace) == 110

    run = api.call("POST", "/v1/simulations", ada, json={"households": 300, "ticks": 6, "seed": 5})
    assert run.status_code in (201, 202), run.text
    run_id = run.json()["id"]

    def completed() -> bool:
        return api.call("GET", f"/v1/simulations/{run_id}", ada).json()["status"] == "completed"

    wait_until(completed, 60)
    months = api.call("GET", f"/v1/simulations/{run_id}/metrics", ada).json()
    assert [m["tick"] for m in months["records"]] == list(range(1, 7)), months

    started = api.call("POST", "/v1/venture/reports", ada, json=report_body())
    assert started.status_code == 202, started.text
    report_id = started.json()["id"]

    def report_done() -> bool:
        status = api.call("GET", f"/v1/venture/reports/{report_id}", ada).json()["status"]
        assert status != "failed"
        return bool(status == "completed")

    wait_until(report_done, 60)
    data_dir = topology.options.data_dir
    # the completed report's event starts its email: the second mail Ada receives
    wait_until(lambda: len(mail_to(data_dir, "ada@example.com")) >= 2, 30)
    # the transfer (and its 0.1 % burn), the run, the report
    assert balance(api, ada) == 100 - Decimal("10.01") - 1 - 5
