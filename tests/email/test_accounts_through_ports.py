"""The email feature reaches accounts only through the directory and audience ports the
root hands it: a send to a user id follows the account as it is now (disabled: nothing
sent), a bulk fan-out skips disabled accounts without losing its place, and the journey
starters, whose functions have neither secrets nor a database, build the feature without
touching either."""

from __future__ import annotations

from dataclasses import replace

from shared.bootstrap import Features
from shared.email.journeys import EventFacts, StartWorkflow, carry_out, plan_for
from shared.email.sending import SendRequest, send_one
from shared.email.types import EmailType
from shared.runtime.local import LocalRuntime
from tests.email.helpers import call_send_function, feature
from tests.email.smtp_server import SmtpServer
from tests.support.api import ApiClient

NOTICE = {"title": "Maintenance on Sunday", "message": "The API pauses 10 min."}


def test_a_disabled_account_is_not_mailed_by_user_id(
    api: ApiClient, app_runtime: LocalRuntime, smtp_server: SmtpServer
) -> None:
    alice, root = api.user("alice"), api.user("root", admin=True)
    request = SendRequest(
        type=EmailType.SYSTEM_NOTIFICATION,
        journey="j",
        step="one",
        user_id=alice.user_id,
        context=NOTICE,
    )
    disabled = root.post(f"/v1/admin/users/{alice.user_id}/disable", json={"reason": "test"})
    assert disabled.status_code == 200
    outcome = send_one(feature(app_runtime), request)
    assert (outcome.status, outcome.reason) == ("skipped", "no_recipient")
    assert smtp_server.of_type(alice.email, "system_notification") == []


def test_the_fan_out_skips_disabled_accounts_and_keeps_its_place(
    api: ApiClient, app_runtime: LocalRuntime, smtp_server: SmtpServer
) -> None:
    root = api.user("root", admin=True)
    users = [api.user(f"u{i}") for i in range(3)]
    root.post(f"/v1/admin/users/{users[1].user_id}/disable", json={"reason": "test"})
    request = {
        "type": "system_notification",
        "journey": "maintenance-2026-12",
        "step": "notice",
        "context": NOTICE,
        "page_size": 2,
    }
    cursor, cursors, queued = "0", [], 0
    while cursor is not None:
        status, page, _ = call_send_function(app_runtime, f"/fan-out?cursor={cursor}", request)
        assert status == 200, page
        cursor, queued = page["next_cursor"], queued + page["enqueued"]
        cursors.append(cursor)
    # four accounts in two full pages, the disabled one counted in the offsets, not queued
    assert (cursors, queued) == (["2", "4", None], 3)
    app_runtime.dispatcher.drain()
    received = [len(smtp_server.of_type(u.email, "system_notification")) for u in users]
    assert received == [1, 0, 1]


class NoSecrets:
    """A journey starter's function has no access to secrets..."""

    def get(self, name: str) -> str:
        raise AssertionError(f"secret {name} read")

    def ping(self) -> None:
        raise AssertionError("secrets pinged")


class NoDatabase:
    """...nor to the database (which the accounts feature is built on)."""

    def __getattr__(self, name: str) -> object:
        raise AssertionError(f"database used ({name})")


def test_journey_starters_need_no_secrets_and_no_accounts(app_runtime: LocalRuntime) -> None:
    platform = replace(app_runtime.platform, secrets=NoSecrets(), sql=NoDatabase())
    features = Features(platform)
    mail = features.email
    facts = EventFacts(
        "tech.013a.economy.report.ready",
        "e-1",
        app_runtime.platform.clock.now(),
        {"period": "2026-11", "headline": "Calm"},
    )
    plan = plan_for(facts)
    assert isinstance(plan, StartWorkflow)
    assert carry_out(mail, plan) == "economic-report-2026-11"
    # a single email to a user id is queued without looking the user up
    venture = EventFacts(
        "tech.013a.venture.report.completed",
        "e-2",
        facts.time,
        {"owner_id": "u-1", "report_id": "r-1", "title": "Bikes"},
    )
    venture_plan = plan_for(venture)
    assert venture_plan is not None and not isinstance(venture_plan, StartWorkflow)
    assert carry_out(mail, venture_plan)
    assert app_runtime.workflows is not None  # let the journey end before the runtime does
    app_runtime.workflows.wait("economic-report-2026-11", timeout=30)
