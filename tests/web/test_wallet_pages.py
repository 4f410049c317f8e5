"""The home and wallet pages without a browser, through the real HTTP adapter (session
cookie, CSRF): each does what its API route does and refuses what the API refuses
(an unverified sender or recipient, more than the balance, a form without its CSRF token),
with the API's own words."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from html import unescape
from typing import Any

import pytest
from flask import Flask
from werkzeug.test import Client, TestResponse

from shared.adapters.http.app import create_api_app
from shared.adapters.http.catalog import all_guards, all_routes
from shared.adapters.http.pages import add_pages
from shared.adapters.local.clock import ManualClock
from shared.bootstrap import install_features
from shared.events.envelope import new_event
from shared.ledger.recipients import NO_RECIPIENT
from shared.ledger.service import UNVERIFIED_SENDER
from shared.money import Token, to_minor
from shared.runtime.local import LocalRuntime
from shared.settings import Settings
from shared.simulation.events import LiveEconomyAdvanceRequested
from shared.web.catalog import all_pages
from tests.conftest import ROOT
from tests.payments.stripe_standin import stripe_standin
from tests.payments.webhooks import WEBHOOK_SECRET, deliver, event
from tests.support.api import ApiClient, UserClient

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
KEY = re.compile(r'name="key" value="([^"]+)"')


class Browser:
    """A signed-in browser without the browser: the session cookie, the CSRF cookie and
    the forms' hidden fields, as the pages hand them out."""

    def __init__(self, app: Flask, user: UserClient | None) -> None:
        self.client = Client(app)
        if user is not None:
            token = user.headers["Authorization"].removeprefix("Bearer ")
            self.client.set_cookie("aia_session", token)

    def get(self, path: str) -> TestResponse:
        return self.client.get(path)

    def post(self, path: str, data: dict[str, str], *, csrf: bool = True) -> TestResponse:
        page = self.client.get(path.split("?")[0])
        fields = dict(data)
        if csrf:
            fields["csrf_token"] = CSRF.findall(page.get_data(as_text=True))[0]
        return self.client.post(path, data=fields)


def body(reply: TestResponse) -> Any:
    """A JSON answer's body."""
    return reply.get_json()


def text(reply: TestResponse) -> str:
    return unescape(reply.get_data(as_text=True))


def fund(api: ApiClient, user: UserClient, amount: str, token: Token = Token.AIA) -> None:
    api.features.ledger.mint(
        token, to_minor(amount), f"test:{uuid.uuid4().hex}", "test", to_user=user.user_id
    )


def balance(user: UserClient, token: str = "AIA") -> str:
    return str(body(user.get("/v1/wallet"))["balances"].get(token, "0.000000"))


def pages_app(features: Any) -> Flask:
    app = create_api_app(all_routes(), lambda: features, guards=all_guards())
    add_pages(app, all_pages(), lambda: features, guards=all_guards(), secure_cookies=False)
    return app


@pytest.fixture
def app(api: ApiClient) -> Flask:
    return pages_app(api.features)


def test_a_transfer_is_reviewed_then_sent_once(api: ApiClient, app: Flask) -> None:
    ada, grace = api.user("ada"), api.user("grace")
    fund(api, ada, "100")
    page = Browser(app, ada)
    form = {"to": grace.email, "token": "AIA", "amount": "12.5"}
    review = page.post("/wallet/transfer", {**form, "step": "review", "key": "k" * 32})
    assert review.status_code == 200
    html = text(review)
    assert f"Send 12.5 AIA to {grace.email}?" in re.sub(r"<[^>]+>", "", html)
    assert "0.0125 AIA" in html and "12.5125 AIA" in html  # the 0.1 % burn, shown
    assert balance(grace) == "0.000000"  # nothing moves on review
    key = KEY.findall(html)[0]
    sent = page.post("/wallet/transfer", {**form, "step": "send", "key": key})
    assert sent.status_code == 200 and "has received 12.5 AIA" in text(sent)
    assert balance(grace) == "12.500000" and balance(ada) == "87.487500"
    again = page.post("/wallet/transfer", {**form, "step": "send", "key": key})
    assert "already sent: nothing moved again" in text(again)
    assert balance(grace) == "12.500000"


def test_the_transfer_page_refuses_what_the_api_refuses(api: ApiClient, app: Flask) -> None:
    ada, grace = api.user("ada"), api.user("grace")
    fresh = api.user("fresh", verified=False)
    fund(api, ada, "10")
    fund(api, fresh, "10")
    send = {"token": "AIA", "step": "send", "key": uuid.uuid4().hex}

    # an unverified sender: the API's 403 and words, before the recipient is looked up
    refused = Browser(app, fresh).post(
        "/wallet/transfer", {**send, "to": grace.email, "amount": "1"}
    )
    assert refused.status_code == 403 and UNVERIFIED_SENDER in text(refused)
    assert balance(fresh) == "10.000000"

    # unknown and unverified recipients: the same 404 and words as the API, beside "to"
    page = Browser(app, ada)
    for to in ("nobody@example.com", fresh.email):
        reply = page.post("/wallet/transfer", {**send, "to": to, "amount": "1"})
        assert reply.status_code == 404 and NO_RECIPIENT in text(reply)
        assert 'id="to-error"' in text(reply)
        api_reply = ada.post(
            "/v1/wallet/transfers",
            json={"to": to, "token": "AIA", "amount": "1"},
            headers={"Idempotency-Key": uuid.uuid4().hex},
        )
        assert api_reply.status_code == 404 and body(api_reply)["detail"] == NO_RECIPIENT

    # over the balance: the ledger's words beside the amount, nothing moved
    over = page.post("/wallet/transfer", {**send, "to": grace.email, "amount": "10"})
    assert over.status_code == 409 and 'id="amount-error"' in text(over)
    assert "you have 10 AIA; this needs 10.01 AIA including the 0.1 % burn" in text(over)
    assert balance(ada) == "10.000000" and balance(grace) == "0.000000"

    # nonsense amounts are answered beside the field, at the review step already
    bad = page.post(
        "/wallet/transfer", {**send, "step": "review", "to": grace.email, "amount": "-3"}
    )
    assert bad.status_code == 400 and "greater than 0" in text(bad)

    # a form without its CSRF token moves nothing
    forged = page.post("/wallet/transfer", {**send, "to": grace.email, "amount": "1"}, csrf=False)
    assert forged.status_code == 403 and balance(grace) == "0.000000"


def test_staking_goes_through_the_ledger_with_its_rules(api: ApiClient, app: Flask) -> None:
    ada = api.user("ada")
    fund(api, ada, "50")
    page = Browser(app, ada)
    shown = text(page.get("/wallet/staking"))
    assert "8 % a year" in shown and "unstake any part whenever you like" in shown
    over = page.post(
        "/wallet/staking", {"action": "stake", "stake_amount": "60", "key": uuid.uuid4().hex}
    )
    assert over.status_code == 409
    assert "you have 50 AIA available; staking this needs 60 AIA" in text(over)
    staked = page.post(
        "/wallet/staking", {"action": "stake", "stake_amount": "20", "key": uuid.uuid4().hex}
    )
    assert staked.status_code == 303 and staked.headers["Location"].endswith("staked=20")
    assert "Staked 20 AIA." in text(page.get(staked.headers["Location"]))
    assert body(ada.get("/v1/wallet"))["staked"]["AIA"] == "20.000000"
    unstaked = page.post(
        "/wallet/staking", {"action": "unstake", "unstake_amount": "5", "key": uuid.uuid4().hex}
    )
    assert unstaked.status_code == 303
    assert body(ada.get("/v1/wallet"))["staked"]["AIA"] == "15.000000"
    forged = page.post(
        "/wallet/staking",
        {"action": "stake", "stake_amount": "1", "key": uuid.uuid4().hex},
        csrf=False,
    )
    assert forged.status_code == 403
    assert body(ada.get("/v1/wallet"))["staked"]["AIA"] == "15.000000"


def test_history_filters_and_pages(api: ApiClient, app: Flask, clock: ManualClock) -> None:
    ada, grace = api.user("ada"), api.user("grace")
    for _ in range(22):
        fund(api, ada, "1")
    fund(api, ada, "5", Token.AIA_GOV)
    page = Browser(app, ada)
    first = text(page.get("/wallet"))
    assert "Older entries" in first and first.count("<td>Minted to you</td>") == 20
    [older] = re.findall(r'href="(/wallet\?[^"]*cursor=[^"]+)"', first)
    assert text(page.get(unescape(older))).count("<td>Minted to you</td>") == 3
    gov = text(page.get("/wallet?token=AIA_GOV"))
    assert "+5 AIA_GOV" in gov and "+1 AIA<" not in gov
    today = clock.now().date().isoformat()
    assert "+5 AIA_GOV" in text(page.get(f"/wallet?kind=mint&from={today}&to={today}"))
    assert "No entries match" in text(page.get("/wallet?kind=transfer"))
    bad = page.get("/wallet?from=yesterday")
    assert bad.status_code == 400 and 'id="from-error"' in text(bad)
    backwards = page.get("/wallet?from=2026-02-02&to=2026-02-01")
    assert backwards.status_code == 400 and "on or after the first" in text(backwards)
    assert Browser(app, grace).get("/wallet").status_code == 200  # grace sees only hers
    assert "+5 AIA_GOV" not in text(Browser(app, grace).get("/wallet"))


def test_signed_out_pages_ask_to_sign_in(app: Flask) -> None:
    anonymous = Browser(app, None)
    for path in ("/wallet", "/wallet/transfer", "/wallet/staking", "/wallet/buy"):
        reply = anonymous.get(path)
        assert reply.status_code == 200 and 'action="/sign-in"' in text(reply), path
    home = text(anonymous.get("/"))
    assert 'href="/register"' in home


def test_home_follows_what_the_user_has_done(api: ApiClient, app: Flask) -> None:
    fresh = api.user("fresh", verified=False)
    home = text(Browser(app, fresh).get("/"))
    assert "What to try first" in home
    assert home.index("Confirm your email address") < home.index("Run a simulation")
    resent = Browser(app, fresh).post("/", {})
    assert resent.status_code == 200 and "A new confirmation link is on its way" in text(resent)

    ada = api.user("ada")
    fund(api, ada, "40")
    page = Browser(app, ada)
    home = text(page.get("/"))
    assert "40 AIA" in home and "Your address is confirmed" in home
    assert home.index("Run a simulation") < home.index("Confirm your email address")
    run = ada.post("/v1/simulations", json={"ticks": 1, "seed": 1})
    assert run.status_code == 202, run.json
    home = text(page.get("/"))
    assert "You have run a simulation." in home
    assert f'href="/simulations/{body(run)["id"]}"' in home


@pytest.fixture
def paying(
    settings: Settings, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[ApiClient, Flask]]:
    monkeypatch.setenv("STRIPE_SECRET_KEY", "sk_test_aia")
    monkeypatch.setenv("STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET)
    with stripe_standin() as (url, _):
        runtime = LocalRuntime(
            settings.model_copy(update={"stripe_api_base": url}), ROOT, clock=clock
        )
        api = ApiClient(runtime.features)
        yield api, pages_app(runtime.features)
        runtime.stop()
        install_features(None)


def test_buying_aia_redirects_to_checkout_and_the_return_page_follows_the_webhook(
    paying: tuple[ApiClient, Flask],
) -> None:
    api, app = paying
    ada, grace = api.user("ada"), api.user("grace")
    page = Browser(app, ada)
    started = page.post("/wallet/buy", {"pack": "aia-100", "key": uuid.uuid4().hex})
    assert started.status_code == 303
    checkout = started.headers["Location"]
    assert checkout.startswith("https://checkout.stripe.com/c/pay/cs_test_")
    session_id = checkout.rsplit("/", 1)[1]
    back = f"/wallet/buy/return?session_id={session_id}"
    assert "Waiting for Stripe to confirm" in text(page.get(back))
    assert page.get(back + "&poll=1").status_code == 204  # htmx's poll: nothing to swap yet
    assert body(ada.get(f"/v1/payments/checkout/{session_id}"))["status"] == "pending"

    paid = {
        "id": session_id,
        "object": "checkout.session",
        "client_reference_id": ada.user_id,
        "metadata": {"aia_amount": "100"},
        "payment_status": "paid",
        "payment_intent": f"pi_{uuid.uuid4().hex[:12]}",
    }
    assert deliver(api, event("checkout.session.completed", paid)).status_code == 200
    assert "100 AIA</strong> is in your wallet" in text(page.get(back))
    assert "100 AIA</strong> is in your wallet" in text(page.get(back + "&poll=1"))
    status = body(ada.get(f"/v1/payments/checkout/{session_id}"))
    assert status["status"] == "credited" and status["aia"] == "100.000000"
    # another buyer's session tells grace nothing
    assert body(grace.get(f"/v1/payments/checkout/{session_id}"))["status"] == "pending"
    assert "Waiting for Stripe" in text(Browser(app, grace).get(back))
    assert ada.get("/v1/payments/checkout/not-a-session!").status_code == 404

    unknown = page.post("/wallet/buy", {"pack": "aia-7", "key": uuid.uuid4().hex})
    assert unknown.status_code == 400 and 'id="pack-error"' in text(unknown)
    forged = page.post("/wallet/buy", {"pack": "aia-100", "key": uuid.uuid4().hex}, csrf=False)
    assert forged.status_code == 403


def test_without_stripe_keys_the_buy_page_says_so(api: ApiClient, app: Flask) -> None:
    ada = api.user("ada")
    # only the buy page's form may lead to Checkout (the CSP's form-action covers the 303)
    policy = Browser(app, ada).get("/wallet/buy").headers["Content-Security-Policy"]
    assert "form-action 'self' https://checkout.stripe.com;" in policy
    other = Browser(app, ada).get("/wallet/transfer").headers["Content-Security-Policy"]
    assert "form-action 'self';" in other
    reply = Browser(app, ada).post("/wallet/buy", {"pack": "aia-100", "key": uuid.uuid4().hex})
    assert reply.status_code == 503 and "Card payments are not set up" in text(reply)


def test_home_shows_the_live_economy_with_sparklines(
    api: ApiClient, app: Flask, app_runtime: LocalRuntime
) -> None:
    app_runtime.bus.publish(new_event(LiveEconomyAdvanceRequested(households=1000, warm_up=12)))
    app_runtime.dispatcher.drain()
    home = text(Browser(app, api.user("ada")).get("/"))
    assert "The live economy has not started yet" not in home
    assert home.count('data-chart="spark"') >= 3  # unemployment, inflation, policy rate
    assert 'href="/economy"' in home and "/assets/charts.js" in home
