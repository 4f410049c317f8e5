"""Issue #13, "No input gives a 5xx": each test sends one input that used to crash a
handler (a 500) and checks the answer is a 4xx problem+json naming the field at fault,
with nothing stored. Inputs that reach SQL run on SQLite and on PostgreSQL."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from email.utils import parseaddr
from pathlib import Path
from typing import Any

import pytest
from werkzeug.test import TestResponse

from shared.adapters.local.clock import ManualClock
from shared.adapters.mail.sendgrid import SendGridMailer
from shared.bootstrap import install_features
from shared.email.delivery import PermanentDeliveryError
from shared.email.message import compose
from shared.email.render import Rendered
from shared.email.types import SPECS, EmailType
from shared.runtime.local import LocalRuntime
from shared.settings import Settings
from tests.email.helpers import call_send_function
from tests.email.smtp_server import SmtpServer
from tests.support.api import ApiClient

ROOT = Path(__file__).resolve().parents[2]

JSON = {"Content-Type": "application/json"}


def problem_naming(
    response: TestResponse, field: str, location: str = "body", status: int = 400
) -> dict[str, Any]:
    """The response is a `status` problem+json whose errors name `field` in `location`."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.content_type == "application/problem+json"
    body: dict[str, Any] = response.get_json(force=True)
    named = {(e["field"], e["in"]) for e in body.get("errors", [])}
    assert (field, location) in named, body
    return body


# -- query parameters --------------------------------------------------------------------
def test_a_naive_datetime_cursor_is_refused_naming_it(accounts_api: ApiClient) -> None:
    ada = accounts_api.user("ada")
    reply = ada.get("/v1/wallet/history?before=2026-01-01T00:00:00")
    body = problem_naming(reply, "before", "query")
    assert "timezone" in body["errors"][0]["message"]
    aware = ada.get("/v1/wallet/history?before=2026-01-01T00:00:00Z")
    assert aware.status_code == 200
    assert aware.json == {"entries": [], "next_cursor": None, "next_before": None}


def test_a_cursor_outside_the_utc_calendar_is_refused(accounts_api: ApiClient) -> None:
    ada = accounts_api.user("ada")
    for instant in ("0001-01-01T00:00:00%2B14:00", "9999-12-31T23:59:59-14:00"):
        problem_naming(ada.get(f"/v1/wallet/history?before={instant}"), "before", "query")


def test_a_proposal_cursor_beyond_sql_integers_is_refused(accounts_api: ApiClient) -> None:
    ada = accounts_api.user("ada")
    reply = ada.get("/v1/governance/proposals?before=99999999999999999999")
    problem_naming(reply, "before", "query")
    # an INTEGER column holds 2**31 - 1 at most (PostgreSQL: "integer out of range")
    problem_naming(ada.get("/v1/governance/proposals?before=2147483648"), "before", "query")
    assert ada.get("/v1/governance/proposals?before=2147483647").status_code == 200


def test_offsets_beyond_bigint_are_refused(accounts_api: ApiClient) -> None:
    root = accounts_api.user("root", admin=True)
    problem_naming(root.get("/v1/admin/users?offset=99999999999999999999"), "offset", "query")
    far = root.get("/v1/admin/users?offset=9223372036854775807").json
    assert far == {"users": [], "next_cursor": None}


def test_a_tick_cursor_beyond_sql_integers_is_refused(api: ApiClient) -> None:
    ada = api.user("ada")
    created = ada.post("/v1/simulations", json={"households": 200, "ticks": 1})
    assert created.status_code == 202, created.json
    metrics = f"/v1/simulations/{created.json['id']}/metrics"
    problem_naming(ada.get(f"{metrics}?from_tick=99999999999999999999"), "from_tick", "query")
    assert ada.get(f"{metrics}?from_tick=2147483647").json["records"] == []


def test_a_proposal_id_that_is_no_ascii_integer_is_not_found(accounts_api: ApiClient) -> None:
    ada = accounts_api.user("ada")
    for raw in ("%C2%B2", "99999999999"):  # "²" passes str.isdigit(); int4 overflows
        reply = ada.get(f"/v1/governance/proposals/{raw}")
        assert reply.status_code == 404, reply.get_data(as_text=True)
        assert reply.content_type == "application/problem+json"


# -- JSON bodies -------------------------------------------------------------------------
def test_a_body_nested_a_thousand_deep_is_refused(api: ApiClient) -> None:
    ada = api.user("ada")
    deep = "[" * 1000 + "]" * 1000
    reply = ada.post("/v1/wallet/stake", data=deep, headers={**JSON, "Idempotency-Key": "k"})
    body = problem_naming(reply, "body")
    assert body["errors"][0]["code"] == "json_too_deep"
    nested = '{"amount": ' + "[" * 100_000 + "]" * 100_000 + "}"
    reply = ada.post("/v1/wallet/stake", data=nested, headers={**JSON, "Idempotency-Key": "k"})
    problem_naming(reply, "body")


def test_numbers_beyond_float_range_are_refused_naming_them(api: ApiClient) -> None:
    # json.loads reads 1e999 as inf and accepts NaN: an unbounded float took them (200)
    sector = {
        "id": "farms",
        "name": "Farms",
        "naics": ["111419"],
        "market_size_usd": 1e9,
        "year": 2023,
        "cagr": 0.1,
        "regions": {"europe": 1},
        "source": {"name": "Our survey", "year": 2024},
        "original": {"amount": 111.5, "currency": "EUR", "fx_rate_usd": 222.5, "fx_source": "ECB"},
    }
    request = {"custom_sector": sector, "customers": 10, "price_per_year": 100, "adoption": 1}
    ada = api.user("ada")
    cases = (("111.5", "1e999", "amount"), ("222.5", "NaN", "fx_rate_usd"))
    for placeholder, literal, field in cases:
        text = json.dumps(request).replace(placeholder, literal)
        reply = ada.post("/v1/venture/market-analysis", data=text, headers=JSON)
        body = problem_naming(reply, f"custom_sector.original.{field}")
        assert body["errors"][0]["code"] == "number_not_finite"


def test_nul_characters_in_text_are_refused_before_postgresql(accounts_api: ApiClient) -> None:
    registered = accounts_api.client.post(
        "/v1/auth/register",
        json={"email": "nul@example.com", "password": "correct horse battery", "name": "a\0b"},
    )
    problem_naming(registered, "name")
    ada = accounts_api.user("ada")
    transfer = {"to": "a\0b", "token": "AIA", "amount": "1"}
    reply = ada.post("/v1/wallet/transfers", json=transfer, headers={"Idempotency-Key": "k"})
    problem_naming(reply, "to")


def test_nul_characters_in_paths_queries_and_headers_are_refused(accounts_api: ApiClient) -> None:
    root = accounts_api.user("root", admin=True)
    frozen = root.post("/v1/admin/wallets/a%00b/freeze", json={"frozen": True, "reason": "x"})
    problem_naming(frozen, "user_id", "path")
    problem_naming(root.get("/v1/venture/sectors?q=a%00b"), "q", "query")
    minted = root.post(
        "/v1/admin/mint",
        json={"user_id": root.user_id, "token": "AIA", "amount": "1"},
        headers={"Idempotency-Key": "k\0"},  # became part of the ledger entry's key
    )
    problem_naming(minted, "Idempotency-Key", "header")


# -- domain arithmetic -------------------------------------------------------------------
def test_a_size_that_underflows_cocomo_is_refused_naming_it(api: ApiClient) -> None:
    ada = api.user("ada")
    reply = ada.post("/v1/venture/mvp-blueprint", json={"product": "p", "size_ksloc": 5e-324})
    problem_naming(reply, "size_ksloc")
    tiny_ratio = {"product": "p", "function_points": 1, "sloc_per_fp": 5e-324}
    problem_naming(ada.post("/v1/venture/mvp-blueprint", json=tiny_ratio), "sloc_per_fp")
    plan = {"product": "p", "size_ksloc": 5e-324, "funding_usd": 1}
    problem_naming(ada.post("/v1/venture/resource-plan", json=plan), "size_ksloc")


def test_a_blueprint_with_no_feature_in_scope_is_refused(api: ApiClient) -> None:
    ada = api.user("ada")
    body = {"product": "p", "features": [{"name": "later", "reach": 1, "effort": 1}]}
    body["features"][0]["moscow"] = "wont"  # type: ignore[index]
    problem_naming(ada.post("/v1/venture/mvp-blueprint", json=body), "scope")


def test_a_schedule_that_underflows_the_staffing_is_refused(api: ApiClient) -> None:
    ada = api.user("ada")
    body = {"product": "p", "effort_person_months": 1e6, "schedule_months": 5e-324}
    reply = ada.post("/v1/venture/resource-plan", json={**body, "funding_usd": 1e12})
    problem_naming(reply, "schedule_months")


def test_a_plan_ending_just_past_a_month_has_a_runway(api: ApiClient) -> None:
    # the plan ends 5e-9 into its third month: rounded to 0, the runway divided by it
    body = {"product": "p", "effort_person_months": 10, "schedule_months": 1.600000004}
    reply = api.user("ada").post("/v1/venture/resource-plan", json={**body, "funding_usd": 1e12})
    assert reply.status_code == 200, reply.get_data(as_text=True)
    assert reply.json["runway_months"] > 1000


def test_a_feature_effort_too_small_for_rice_is_refused(api: ApiClient) -> None:
    feature = {"name": "a", "reach": 1e10, "impact": 3, "effort": 5e-324}
    reply = api.user("ada").post(
        "/v1/venture/mvp-blueprint", json={"product": "p", "features": [feature]}
    )
    problem_naming(reply, "features.0.effort")


# -- uploads -----------------------------------------------------------------------------
CSV_HEADER = "id,name,naics,market_size_usd,year,cagr,source_name,source_year\n"
CSV_ROW = "vertical-farming,Vertical farming,111419,6000000000,2023,0.2,Our survey,2024\n"


def _upload(api: ApiClient, content: str, format: str = "csv") -> TestResponse:
    return api.user("ada").post(
        "/v1/venture/datasets", json={"name": "farms", "format": format, "content": content}
    )


def test_a_csv_with_a_stray_carriage_return_is_refused_naming_the_row(api: ApiClient) -> None:
    content = CSV_HEADER + CSV_ROW + CSV_ROW.replace("Vertical farming", "Vertical\rfarming")
    body = problem_naming(_upload(api, content), "content.rows.3")
    assert "carriage return" in body["errors"][0]["message"]
    assert api.user("ada").get("/v1/venture/datasets").json == {
        "datasets": [],
        "next_cursor": None,
    }


def test_a_ragged_csv_row_is_refused_naming_the_row(api: ApiClient) -> None:
    reply = _upload(api, CSV_HEADER + "vertical-farming,Vertical\n")
    body = problem_naming(reply, "content.rows.2")
    assert "2 cells" in body["errors"][0]["message"]


def test_a_huge_csv_field_is_refused_naming_row_and_column(api: ApiClient) -> None:
    content = CSV_HEADER + CSV_ROW.replace("Our survey", "x" * 20_000)
    problem_naming(_upload(api, content), "content.rows.2.source_name")
    # past the csv module's own limit (131,072) the reader stops: the row is named
    content = CSV_HEADER + CSV_ROW + CSV_ROW.replace("Our survey", "x" * 200_000)
    problem_naming(_upload(api, content), "content.rows.3")


def test_a_csv_with_an_unterminated_quote_is_refused(api: ApiClient) -> None:
    problem_naming(_upload(api, CSV_HEADER + CSV_ROW + '"oops,x\n'), "content.rows.3")


def test_a_dataset_of_deeply_nested_json_is_refused(api: ApiClient) -> None:
    problem_naming(_upload(api, "[" * 5000 + "]" * 5000, "json"), "content")


def test_a_graph_import_csv_with_a_stray_carriage_return_is_refused(api: ApiClient) -> None:
    root = api.user("root", admin=True)
    body = {
        "registry": "mine",
        "format": "csv",
        "files": {"technologies.csv": "id,name\nreact,Re\ract\n"},
    }
    reply = root.post("/v1/admin/graph/imports", json=body)
    problem = problem_naming(reply, "technologies.csv row 2", status=422)  # the import's 4xx
    assert "carriage return" in problem["errors"][0]["message"]


def test_an_unsubscribe_token_of_nested_json_is_refused(api: ApiClient) -> None:
    payload = base64.urlsafe_b64encode(b"[" * 1400).decode().rstrip("=")
    reply = api.anonymous().post(f"/v1/emails/unsubscribe?token={payload}.AAAA")
    problem_naming(reply, "token", "query")


# -- mail addresses ----------------------------------------------------------------------
@contextmanager
def mailing_api(
    settings: Settings, clock: ManualClock, *, smtputf8: bool = True
) -> Iterator[tuple[ApiClient, SmtpServer]]:
    """The API delivering over SMTP to a real server (offering SMTPUTF8 or not)."""
    with SmtpServer(smtputf8=smtputf8) as server:
        update = {"mail_backend": "smtp", "smtp_host": "127.0.0.1", "smtp_port": server.port}
        runtime = LocalRuntime(settings.model_copy(update=update), ROOT, clock=clock)
        try:
            yield ApiClient(runtime.features), server
        finally:
            runtime.stop()
            install_features(None)


def _admin_send(api: ApiClient, to: str) -> TestResponse:
    context = SPECS[EmailType.SECURITY_ALERT].sample.model_dump(mode="json")
    return api.user("root", admin=True).post(
        "/v1/emails/send", json={"type": "security_alert", "to": to, "context": context}
    )


def test_an_internationalised_mailbox_name_is_refused_at_register(api: ApiClient) -> None:
    account = {"email": "üñí@exämple.com", "password": "correct horse battery", "name": "U"}
    reply = api.client.post("/v1/auth/register", json=account)
    assert "ASCII" in problem_naming(reply, "email")["errors"][0]["message"]
    idn = {**account, "email": "ada@exämple.com"}
    assert api.client.post("/v1/auth/register", json=idn).status_code == 201


def test_mail_to_an_internationalised_domain_goes_as_ascii(
    settings: Settings, clock: ManualClock
) -> None:
    with mailing_api(settings, clock) as (api, server):
        reply = _admin_send(api, "ada@exämple.com")
        assert reply.status_code == 200, reply.get_data(as_text=True)
        assert reply.json["status"] == "sent"
        [received] = server.received
        assert received.rcpt_tos == ["ada@xn--exmple-cua.com"]
        assert parseaddr(received.message["To"])[1] == "ada@xn--exmple-cua.com"


def test_mail_to_a_utf8_mailbox_goes_with_smtputf8(settings: Settings, clock: ManualClock) -> None:
    with mailing_api(settings, clock) as (api, server):
        reply = _admin_send(api, "üñí@exämple.com")
        assert reply.status_code == 200, reply.get_data(as_text=True)
        assert reply.json["status"] == "sent"
        [received] = server.received
        assert received.rcpt_tos == ["üñí@xn--exmple-cua.com"]
        # the header carries the mailbox as UTF-8 (RFC 6532), not as an encoded-word
        [to] = [line for line in received.data.splitlines() if line.startswith(b"To: ")]
        assert to.endswith("<üñí@xn--exmple-cua.com>".encode())


def test_mail_to_a_utf8_mailbox_without_smtputf8_is_rejected_not_a_500(
    settings: Settings, clock: ManualClock
) -> None:
    with mailing_api(settings, clock, smtputf8=False) as (api, server):
        reply = _admin_send(api, "üñí@exämple.com")
        assert reply.status_code == 200, reply.get_data(as_text=True)
        assert reply.json["status"] == "rejected"  # this message given up, the address kept
        assert "SMTPUTF8" in reply.json["reason"]
        assert server.received == []
        assert _admin_send(api, "ada@exämple.com").json["status"] == "sent"


def test_sendgrid_refuses_a_utf8_mailbox_without_calling_out() -> None:
    spec = SPECS[EmailType.SECURITY_ALERT]
    mail = compose(
        spec,
        Rendered("Subject", "<p>hi</p>", "hi"),
        key="k" * 64,
        recipient="üñí@exämple.com",
        recipient_name="Üñí",
        sender_name=spec.display_name,
        domain="013a.tech",
        reply_to=spec.sender("013a.tech"),
        date=datetime(2026, 1, 1, tzinfo=UTC),
        unsubscribe_url=None,
    )
    mailer = SendGridMailer("key", base_url="http://127.0.0.1:9")  # nothing listens there
    with pytest.raises(PermanentDeliveryError) as refused:
        mailer.deliver(mail)
    assert not refused.value.recipient_fault


def test_a_naive_unless_active_since_is_refused_by_the_send_step(
    api: ApiClient, app_runtime: LocalRuntime
) -> None:
    ada = api.user("ada")
    assert ada.get("/v1/me").status_code == 200  # ada was active: her last-seen is stored
    context = SPECS[EmailType.WELCOME].sample.model_dump(mode="json")
    body = {
        "type": "welcome",
        "journey": "onboarding-1",
        "step": "tips",
        "user_id": ada.user_id,
        "context": context,
        "unless_active_since": "2026-01-01T00:00:00",
    }
    status, problem, _ = call_send_function(app_runtime, "/send", body)
    assert status == 400, problem
    assert ("unless_active_since", "body") in {(e["field"], e["in"]) for e in problem["errors"]}
