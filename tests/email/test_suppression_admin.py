"""Operators read the suppression list (each reason and since when), lift one (bounces
and complaints clear; the owner's unsubscribes stay), and read delivery figures over a
window, all from the platform's own records: real sends over SMTP and signed webhooks."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any
from urllib.parse import quote

from cryptography.hazmat.primitives.asymmetric import ec

from shared.adapters.local.clock import ManualClock
from shared.email.audience import address_key
from shared.email.sending import send_one
from shared.email.types import EmailType
from shared.runtime.local import LocalRuntime
from tests.email.helpers import feature, sample_request
from tests.email.smtp_server import SmtpServer
from tests.email.test_sendgrid_webhook import PATH, signed, signing_key  # noqa: F401
from tests.support.api import ApiClient

LIST = "/v1/admin/email/suppressions"
STATS = "/v1/admin/email/stats"


def _webhook(api: ApiClient, key: ec.EllipticCurvePrivateKey, events: list[Any], now: str) -> None:
    body = json.dumps(events).encode()
    reply = api.anonymous().post(PATH, data=body, headers=signed(key, body, now))
    assert reply.status_code == 200, reply.get_data(as_text=True)


def test_the_list_the_lift_and_the_figures(
    api: ApiClient,
    app_runtime: LocalRuntime,
    clock: ManualClock,
    smtp_server: SmtpServer,
    signing_key: ec.EllipticCurvePrivateKey,  # noqa: F811
) -> None:
    admin, user = api.user("root", admin=True), api.user("mallory")
    started = clock.now()
    _webhook(
        api,
        signing_key,
        [
            {
                "email": "hard@example.com",
                "event": "bounce",
                "type": "bounce",
                "reason": "550 5.1.1 unknown user",
                "sg_event_id": "e1",
            },
            {"email": "spam@example.com", "event": "spamreport", "sg_event_id": "e2"},
            {
                "email": "unsub@example.com",
                "event": "unsubscribe",
                "aia_category": "economics",
                "sg_event_id": "e3",
            },
            {
                "email": "soft@example.com",
                "event": "bounce",
                "type": "blocked",
                "sg_event_id": "e4",
            },
        ],
        str(int(started.timestamp())),
    )
    mail = feature(app_runtime)
    smtp_server.handler.reject["dead@example.com"] = "550 5.1.1 no such user"
    outcomes = [
        send_one(mail, sample_request(EmailType.GOVERNANCE, address)).status
        for address in ("ok@example.com", "hard@example.com", "dead@example.com")
    ]
    assert outcomes == ["sent", "suppressed", "bounced"]

    assert user.get(LIST).status_code == 403
    assert user.get(STATS).status_code == 403
    assert api.anonymous().get(LIST).status_code == 401
    listed = admin.get(f"{LIST}?limit=500").json["suppressions"]
    by_address = {s["address"]: s for s in listed}
    assert set(by_address) == {
        "hard@example.com",
        "spam@example.com",
        "unsub@example.com",
        "soft@example.com",
        "dead@example.com",
    }
    hard = by_address["hard@example.com"]
    assert hard["suppressed"] is True and hard["suppression_id"] == address_key("hard@example.com")
    [reason] = hard["reasons"]
    assert reason["reason"] == "hard_bounce" and "unknown user" in reason["detail"]
    assert reason["since"] is not None
    assert by_address["dead@example.com"]["reasons"][0]["reason"] == "hard_bounce"
    assert [r["reason"] for r in by_address["spam@example.com"]["reasons"]] == ["complaint"]
    unsub = by_address["unsub@example.com"]["reasons"]
    assert [(r["reason"], r["category"]) for r in unsub] == [("unsubscribed", "economics")]
    soft = by_address["soft@example.com"]
    assert soft["suppressed"] is False and soft["soft_bounces"] == 1  # one is not enough
    first = admin.get(f"{LIST}?limit=2").json
    rest = admin.get(f"{LIST}?limit=500&cursor={first['next_cursor']}").json
    paged = [s["address"] for s in first["suppressions"] + rest["suppressions"]]
    assert sorted(paged) == sorted(by_address) and rest["next_cursor"] is None

    clock.advance(1)  # the window's end is exclusive: step past what was just recorded
    stats = admin.get(STATS).json
    assert (stats["sent"], stats["bounced"], stats["complained"], stats["unsubscribed"]) == (
        1,
        2,
        1,
        1,
    )
    assert stats["sends"] == {
        "sent": 1,
        "suppressed": 1,
        "skipped": 0,
        "bounced": 1,
        "rejected": 0,
    }
    later = clock.now() + timedelta(hours=1)
    window = f"from={quote(later.isoformat())}&to={quote((later + timedelta(days=1)).isoformat())}"
    empty = admin.get(f"{STATS}?{window}").json
    assert (empty["sent"], empty["bounced"], empty["unsubscribed"]) == (0, 0, 0)
    before = admin.get(f"{STATS}?to={quote(started.isoformat())}").json
    assert before["sent"] == 0 and before["window_end"].startswith(started.date().isoformat())

    hard_id = hard["suppression_id"]
    lifted = admin.post(f"{LIST}/{hard_id}/lift")
    assert lifted.status_code == 200
    assert lifted.json["suppressed"] is False and lifted.json["reasons"] == []
    assert admin.post(f"{LIST}/{hard_id}/lift").json["suppressed"] is False  # repeatable
    again = send_one(mail, sample_request(EmailType.GOVERNANCE, "hard@example.com", step="2"))
    assert again.status == "sent"
    # the owner's own unsubscribe is not the operator's to lift
    kept = admin.post(f"{LIST}/{address_key('unsub@example.com')}/lift").json
    assert kept["suppressed"] is True and kept["reasons"][0]["reason"] == "unsubscribed"
    assert user.post(f"{LIST}/{address_key('spam@example.com')}/lift").status_code == 403
    assert admin.get(f"{LIST}?limit=500").json["suppressions"][0]["address"] in {
        "unsub@example.com",
        "hard@example.com",
    }
    missing = admin.post(f"{LIST}/{'0' * 64}/lift")
    assert missing.status_code == 404
    assert missing.content_type == "application/problem+json"


def test_bad_windows_name_the_parameter(api: ApiClient) -> None:
    admin = api.user("root", admin=True)
    for query, field in [
        ("from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "to"),
        ("from=2026-01-01T00:00:00Z&to=2026-06-01T00:00:00Z", "to"),
        ("from=2026-01-01T00:00:00", "from"),
        ("to=soon", "to"),
        ("from=2020-01-01T00:00:00Z", "from"),  # to is now: more than 60 days
        ("from=2999-01-01T00:00:00Z", "from"),  # after now
        ("window=7d", "window"),
    ]:
        reply = admin.get(f"{STATS}?{query}")
        assert reply.status_code == 400, query
        assert reply.content_type == "application/problem+json"
        assert field in {e["field"] for e in reply.json["errors"]}, query
    assert admin.get(f"{LIST}?limit=0").status_code == 400
    assert admin.get(f"{LIST}?cursor=forged").status_code == 400
