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
