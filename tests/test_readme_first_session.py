"""The README's "A first session", run as a reader runs it: its shell blocks, read from
README.md, in bash with curl and jq against a live `aia serve` (what `make run` starts).
Only the address changes (a free port, not 8080) and `open` (a browser) does nothing. A
line that stops working, say a token that picks up a stray character, fails here."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import requests

from tests.support.serve import ROOT, fast_env, free_port, mail_to, server, wait_until

README = ROOT / "README.md"
PASSWORD = "correct horse battery staple"
ADA = "ada@example.com"
AIA = str(Path(sys.executable).parent / "aia")  # the README's .venv/bin/aia


def first_session_blocks() -> list[str]:
    """The ```sh blocks of the section, in order."""
    text = README.read_text()
    start = text.index("### A first session")
    section = text[start : text.index("\n## ", start)]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.S)
    assert len(blocks) >= 3, "the first session lost its blocks"
    return blocks


def as_run_here(block: str, port: int) -> str:
    return block.replace("localhost:8080", f"127.0.0.1:{port}").replace(".venv/bin/aia", AIA)


def aia(*args: str, env: dict[str, str]) -> str:
    done = subprocess.run([AIA, *args], env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def bash(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        ["bash", "-c", "set -euo pipefail\nopen() { :; }\n" + script],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, f"exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done


def test_the_readme_first_session_runs_as_written(tmp_path: Path) -> None:
    for tool in ("bash", "curl", "jq"):
        assert shutil.which(tool), f"the README's first session needs {tool}"
    port = free_port()
    env = fast_env(tmp_path / "data")
    base = f"http://127.0.0.1:{port}"
    with server(env, port):
        # someone to pay, verified (the README pays grace@example.com)
        grace = {"email": "grace@example.com", "password": PASSWORD, "name": "Grace"}
        assert requests.post(f"{base}/v1/auth/register", json=grace, timeout=30).ok
        first, *rest = [as_run_here(b, port) for b in first_session_blocks()]
        # the reader runs the register line, then reads the mail it sent: the mail is
        # written by an event handler a moment later, so wait for it in between
        cut = first.index("\n# the welcome email")
        bash(first[:cut], tmp_path, env)
        data_dir = Path(env["AIA_DATA_DIR"])
        wait_until(lambda: all(mail_to(data_dir, a) for a in (ADA, grace["email"])), 60)
        grace_token = aia("mail", "--to", grace["email"], "--token", "verify-email", env=env)
        verified = requests.post(
            f"{base}/v1/auth/verify-email", json={"token": grace_token}, timeout=30
        )
        assert verified.status_code == 200, verified.text
        sign_in = {"email": grace["email"], "password": PASSWORD}
        grace_login = requests.post(f"{base}/v1/auth/login", json=sign_in, timeout=30).json()
        grace_auth = {"Authorization": f"Bearer {grace_login['access_token']}"}

        def grace_aia() -> Decimal:
            wallet = requests.get(f"{base}/v1/wallet", headers=grace_auth, timeout=30).json()
            return Decimal(wallet["balances"]["AIA"])

        grace_before = grace_aia()
        # the rest of the session in one shell, as the reader's variables carry on
        script = first[cut:] + "".join(rest) + '\necho; echo "KEY=$KEY"\n'
        done = bash(script, tmp_path, env)
        assert re.search(r'"welcome_grant":\s*true', done.stdout), done.stdout
        [key] = re.findall(r"^KEY=(aia_\S+)$", done.stdout, re.M)
        me = requests.get(f"{base}/v1/me", headers={"X-API-Key": key}, timeout=30).json()
        assert me["email"] == ADA and me["email_verified"] is True
        assert grace_aia() - grace_before == 10  # the README's transfer arrived
        # the comparison's files, and its differences printed
        assert (tmp_path / "a.csv").read_text().startswith("tick,")
        assert (tmp_path / "runs" / "base").is_dir() and (tmp_path / "runs" / "basic-income")
        assert '"inflation_target"' in done.stdout  # the policy in force, from the last block
