"""The `aia` command line as a user runs it, in its own process: every option says what
it is for, and a mistake or an unreachable server is one clear line, never a traceback."""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
import requests

from shared.cli import build_parser
from tests.support.serve import ROOT, fast_env, free_port, server, wait_until

SECRET = "whsec_local_cli_test"


def aia(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "shared.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _one_line(err: str) -> str:
    assert "Traceback" not in err and "validation error" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def _commands() -> dict[str, argparse.ArgumentParser]:
    [sub] = [a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(sub.choices)


def test_every_option_of_every_command_has_help_text() -> None:
    for name, parser in _commands().items():
        for action in parser._actions:
            assert action.help, f"aia {name} {'/'.join(action.option_strings) or action.dest}"
    shown = aia("simulate", "--help")
    assert shown.returncode == 0
    for option in ("--households", "--ticks", "--seed", "--out", "--policy", "--save-state"):
        [line] = [line for line in shown.stdout.splitlines() if line.strip().startswith(option)]
        assert len(line.split()) > 2 or option == "--households", line  # help beside it
    assert "household slots" in shown.stdout  # --households' help wraps to the next line


@pytest.mark.parametrize(
    ("policy", "names"),
    [
        ('{"fiscal": {"basic_income": 7}}', "fiscal.basic_income"),
        ('{"fiscal": ', "--policy is not JSON"),
        ('[{"fiscal": 1}]', "--policy must be a JSON object"),
        ('{"monetary": {"inflation_target": "high"}}', "monetary.inflation_target"),
        ('{"colour": "red"}', "colour"),
    ],
)
def test_bad_policy_json_is_one_line_naming_the_field(
    policy: str, names: str, tmp_path: Path
) -> None:
    done = aia("simulate", "--households", "200", "--ticks", "1", "--policy", policy,
               "--out", str(tmp_path / "run"))  # fmt: skip
    assert done.returncode == 2
    line = _one_line(done.stderr)
    assert line.startswith("aia simulate: ") and names in line
    assert not (tmp_path / "run").exists()  # nothing written for a refused run


def test_an_unwritable_out_directory_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    done = aia("simulate", "--households", "200", "--ticks", "1", "--out", str(blocker / "run"))
    assert done.returncode == 2 and "cannot write to" in _one_line(done.stderr)


def test_stripe_webhook_credits_through_the_server_on_port(tmp_path: Path) -> None:
    port = free_port()
    env = {**fast_env(tmp_path / "data"), "STRIPE_WEBHOOK_SECRET": SECRET}
    with server(env, port):
        base = f"http://127.0.0.1:{port}"
        login = {"email": "ada@example.com", "password": "correct horse battery staple"}
        registered = requests.post(f"{base}/v1/auth/register", json={**login, "name": "Ada"})
        assert registered.status_code == 201, registered.text
        user_id = registered.json()["user_id"]
        # the README's recipe: the link's token, cut from `aia mail`, is usable as it is
        wait_until(lambda: aia("mail", "--to", "ada@example.com", env=env).returncode == 0)
        mail = aia("mail", "--to", "ada@example.com", env=env).stdout
        assert "\r" not in mail
        [token] = re.findall(r"verify-email\?token=(\S+)", mail)
        verified = requests.post(f"{base}/v1/auth/verify-email", json={"token": token})
        assert verified.status_code == 200, verified.text
        token = requests.post(f"{base}/v1/auth/login", json=login).json()["access_token"]
        bearer = {"Authorization": f"Bearer {token}"}

        def aia_balance() -> Decimal:
            wallet = requests.get(f"{base}/v1/wallet", headers=bearer)
            return Decimal(wallet.json()["balances"]["AIA"])

        before = aia_balance()
        # no --url: the PORT the server runs on
        done = aia("stripe-webhook", "--user-id", user_id, "--aia", "250",
                   "--session-id", "cs_local_return", env={**env, "PORT": str(port)})  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert aia_balance() - before == 250
        # the session the return page names now reads as credited
        paid = requests.get(f"{base}/v1/payments/checkout/cs_local_return", headers=bearer)
        assert paid.json()["status"] == "credited" and paid.json()["aia"] == "250.000000"
        wrong = aia("stripe-webhook", "--user-id", user_id, env={**env, "PORT": str(port),
                    "STRIPE_WEBHOOK_SECRET": "whsec_other"})  # fmt: skip
        assert wrong.returncode == 1
        assert "aia stripe-webhook: the server answered 400" in _one_line(wrong.stderr)
    nobody = aia("stripe-webhook", "--user-id", user_id, env={**env, "PORT": str(port)})
    assert nobody.returncode == 1
    line = _one_line(nobody.stderr)
    assert f"cannot reach http://127.0.0.1:{port}/" in line


def test_publish_names_the_bad_field_in_one_line() -> None:
    unknown = aia("publish", "no.such.event", "{}")
    assert unknown.returncode == 2 and "no.such.event" in _one_line(unknown.stderr)
    bad = aia("publish", "tech.013a.simulation.tick.requested", '{"tick": "x"}')
    assert bad.returncode == 2 and _one_line(bad.stderr).startswith("aia publish: ")


def test_a_closed_pipe_ends_the_output_quietly(tmp_path: Path) -> None:
    for name in ("a", "b"):
        done = aia("simulate", "--households", "200", "--ticks", "2", "--out", str(tmp_path / name))
        assert done.returncode == 0, done.stderr
    piped = subprocess.run(
        f"{sys.executable} -m shared.cli compare {tmp_path / 'a'} {tmp_path / 'b'} | head -c 10",
        shell=True,  # the user's own pipeline, on paths this test made
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert piped.stdout == "baseline /" and "Traceback" not in piped.stderr


def test_mail_prints_the_token_of_a_link_alone(tmp_path: Path) -> None:
    """`aia mail --token verify-email`: the token the README's VERIFY needs, on its own
    line, from a CRLF .eml whose quoted-printable body wraps the long link."""
    from email import policy
    from email.message import EmailMessage

    token = "eyJhbGciOiJIUzI1NiJ9." + "a1b2-c3_d4" * 12 + ".sig-nature_1"
    outbox = tmp_path / "data" / "outbox"
    outbox.mkdir(parents=True)
    for age, link in ((60, "stale-token"), (0, token)):
        message = EmailMessage(policy=policy.SMTP)
        message["To"] = "Ada <ada@example.com>"
        message["From"] = "hello@013a.tech"
        message["Subject"] = "Welcome"
        body = f"Confirm: http://127.0.0.1:8080/verify-email?token={link}\n\nBye.\n"
        message.set_content(body, cte="quoted-printable")
        path = outbox / f"{link[:8]}.eml"
        path.write_bytes(message.as_bytes())
        assert b"\r\n" in path.read_bytes()
        os.utime(path, (time.time() - age, time.time() - age))  # the newest mail counts
    env = fast_env(tmp_path / "data")
    done = aia("mail", "--to", "ada@example.com", "--token", "verify-email", env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout == token + "\n"
    missing = aia("mail", "--to", "ada@example.com", "--token", "reset-password", env=env)
    assert missing.returncode == 1 and not missing.stdout
    line = _one_line(missing.stderr)
    assert line == "aia mail: no link to /reset-password in mail to ada@example.com"
