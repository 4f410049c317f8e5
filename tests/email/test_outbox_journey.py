"""The embedded default (`make run`): registering through the API puts the welcome email
in AIA_DATA_DIR/outbox as an .eml from hello@013a.tech, and the rest of the onboarding
journey follows once its (scaled) days have passed."""

from __future__ import annotations

from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parseaddr
from pathlib import Path

import pytest

from shared.adapters.local.workflows import LocalWorkflowRunner
from shared.ports.workflows import ExecutionState
from shared.runtime.local import LocalRuntime
from tests.support.api import ApiClient


@pytest.fixture
def mail_backend() -> str:
    return "outbox"


def outbox(runtime: LocalRuntime) -> list[EmailMessage]:
    folder = Path(runtime.settings.data_dir) / "outbox"
    messages = []
    for path in sorted(folder.glob("*.eml")):
        parsed = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
        assert isinstance(parsed, EmailMessage)
        messages.append(parsed)
    return messages


def test_registering_puts_the_onboarding_journey_in_the_outbox(
    api: ApiClient, app_runtime: LocalRuntime
) -> None:
    registered = api.anonymous().post(
        "/v1/auth/register",
        json={
            "email": "ada@example.com",
            "password": "correct horse battery staple",
            "name": "Ada",
        },
    )
    assert registered.status_code == 201
    user_id = registered.json["user_id"]
    app_runtime.dispatcher.drain()
    runner = app_runtime.workflows
    assert isinstance(runner, LocalWorkflowRunner)
    status = runner.wait(f"onboarding-{user_id}", timeout=30)
    assert status.state is ExecutionState.SUCCEEDED, status.error
    app_runtime.dispatcher.drain()

    mine = [m for m in outbox(app_runtime) if parseaddr(m["To"])[1] == "ada@example.com"]
    by_subject = {m["Subject"]: m for m in mine}
    assert set(by_subject) == {
        "Welcome to AIA, Ada",
        "Three ways to get more out of AIA",
        "Your AIA workspace is waiting for you",
    }
    welcome = by_subject["Welcome to AIA, Ada"]
    assert parseaddr(welcome["From"]) == ("AIA", "hello@013a.tech")
    assert welcome["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert welcome.get_body(("html",)) is not None and welcome.get_body(("plain",)) is not None

    # the welcome carries the verification link; `aia mail` shows it intact, and the
    # token in it verifies the address
    from urllib.parse import parse_qs, urlsplit

    text = welcome.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    [link] = [w for w in text.split() if "/verify-email?token=" in w]
    token = parse_qs(urlsplit(link).query)["token"][0]
    verified = api.anonymous().post("/v1/auth/verify-email", json={"token": token})
    assert verified.status_code == 200, verified.get_data(as_text=True)


def test_aia_mail_prints_the_newest_mail_with_its_links(
    api: ApiClient,
    app_runtime: LocalRuntime,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from shared.cli import main

    api.anonymous().post(
        "/v1/auth/register",
        json={"email": "bo@example.com", "password": "correct horse battery staple", "name": "Bo"},
    )
    app_runtime.dispatcher.drain()
    runner = app_runtime.workflows
    assert isinstance(runner, LocalWorkflowRunner)
    runner.wait(_onboarding(app_runtime), timeout=30)
    app_runtime.dispatcher.drain()
    monkeypatch.setenv("AIA_DATA_DIR", str(app_runtime.settings.data_dir))
    assert main(["mail", "--to", "bo@example.com", "--last", "3"]) == 0
    printed = capsys.readouterr().out
    assert "Subject: Welcome to AIA, Bo" in printed
    assert "/verify-email?token=" in printed
    assert main(["mail", "--to", "nobody@example.com"]) == 1


def _onboarding(runtime: LocalRuntime) -> str:

    user = runtime.features.accounts.service.store.user_by_email("bo@example.com")
    assert user is not None
    return f"onboarding-{user.id}"
