"""`aia serve` (what `make run` starts) as a real process on a free loopback port, for
tests that must go over real HTTP; stopped with SIGTERM by its own process id."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parseaddr
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# long enough for a slow host under a full parallel run (a restart's /health took over
# 30 s in a fresh-clone run on 2026-12-07); it only delays the report of a real failure
WAIT_SECONDS = 90.0


def wait_until(predicate: Callable[[], bool], timeout: float = WAIT_SECONDS) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


def get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return int(response.status)
    except OSError:
        return 0


def fast_env(data_dir: Path) -> dict[str, str]:
    """The environment of a test server: its own data dir (mail lands in data_dir/outbox),
    cheap password hashing, no schedules firing on their own."""
    return {
        **os.environ,
        "AIA_DATA_DIR": str(data_dir),
        "AIA_PASSWORD_HASH_TIME_COST": "1",
        "AIA_PASSWORD_HASH_MEMORY_KIB": "8192",
        "AIA_SCHEDULER_ENABLED": "false",
    }


def mail_to(data_dir: Path, address: str) -> list[EmailMessage]:
    """The messages `aia serve`'s outbox backend wrote for `address`."""
    found = []
    for path in sorted((data_dir / "outbox").glob("*.eml")):
        parsed = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
        assert isinstance(parsed, EmailMessage)
        if parseaddr(parsed["To"])[1] == address:
            found.append(parsed)
    return found


@contextmanager
def server(env: dict[str, str], port: int) -> Iterator[subprocess.Popen[bytes]]:
    # Its log goes to a file: a pipe nobody reads fills up and blocks the server.
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "shared.cli", "serve", "--port", str(port)],
            cwd=ROOT,
            env={**env, "PYTHONUNBUFFERED": "1", "PYTHONFAULTHANDLER": "1"},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until(lambda: get(f"http://127.0.0.1:{port}/health") == 200)
            yield proc
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.send_signal(signal.SIGABRT)  # faulthandler prints every thread's stack
                proc.wait()
                log.seek(0)
                tail = log.read().decode(errors="replace")[-12000:]
                raise AssertionError(f"aia serve did not stop on SIGTERM:\n{tail}") from None
