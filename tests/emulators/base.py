"""Run a local stand-in as a child process: in its own process group (so stopping it
by PID also stops anything it spawned), bound to 127.0.0.1, output kept in a log file
that failures quote, and stopped for sure when the test session ends."""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EMULATORS_DIR = ROOT / ".emulators"
HOST = "127.0.0.1"
INSTALL_HINT = "run `make emulators` (it runs scripts/install-emulators.sh) and try again"
_READY = re.compile(rb"^READY (\d+)\s*$", re.MULTILINE)


class EmulatorError(RuntimeError):
    """A stand-in is missing, did not start, or died."""


# What scripts/install-emulators.sh installs; it writes one stamp file per stand-in once
# that stand-in is installed completely (a changed version here asks for a reinstall).
STAMPS = EMULATORS_DIR / "stamps"
CLOUDBOX = "cloudbox-0.2.3"
CLOUD_TASKS = "gcloud-tasks-emulator-0.6.2"
FIRESTORE = "firestore-emulator-server-0.3.15"
PYTHON = EMULATORS_DIR / "venv" / "bin" / "python"  # the stand-ins' own venv


def require(stamp: str, what: str, *paths: Path) -> None:
    """Fail (never skip) when a stand-in is not installed, saying how to install it."""
    for path in (STAMPS / stamp, *paths):
        if not path.exists():
            raise EmulatorError(
                f"{what} ({stamp}) is not installed: {path} is missing; {INSTALL_HINT}"
            )


def free_ports(count: int) -> list[int]:
    """Ports free on 127.0.0.1 now, all distinct (held open together while chosen)."""
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind((HOST, 0))
            sockets.append(sock)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for sock in sockets:
            sock.close()


def port_open(port: int, host: str = HOST) -> bool:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.settimeout(0.2)
        return sock.connect_ex((host, port)) == 0


# cloudbox starts in about 3 s on an idle host; beside the topology's other stand-ins and
# the browser tests on a slow one it took over 30 s (a fresh-clone run, 2026-12-07)
START_TIMEOUT = 90.0


@dataclass
class Process:
    name: str
    popen: subprocess.Popen[bytes]
    log: Path

    @property
    def pid(self) -> int:
        return self.popen.pid

    def output(self, limit: int = 4000) -> str:
        try:
            text = self.log.read_bytes().decode(errors="replace")
        except OSError:
            return ""
        return text[-limit:]

    def fail(self, why: str) -> EmulatorError:
        return EmulatorError(
            f"{self.name}: {why}\n--- last output ({self.log}) ---\n{self.output()}"
        )

    def wait_until(self, ready: Callable[[], bool], timeout: float = START_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.popen.poll() is not None:
                raise self.fail(f"exited with status {self.popen.returncode} while starting")
            with contextlib.suppress(OSError):
                if ready():
                    return
            time.sleep(0.05)
        self.stop()
        raise self.fail(f"did not answer within {timeout:.0f} s")

    def ready_port(self, timeout: float = START_TIMEOUT) -> int:
        """The port from the `READY <port>` line our launchers print once bound."""
        found: list[int] = []

        def printed() -> bool:
            match = _READY.search(self.log.read_bytes())
            if match:
                found.append(int(match.group(1)))
            return bool(found)

        self.wait_until(printed, timeout)
        return found[0]

    def stop(self, timeout: float = 5.0) -> None:
        """SIGTERM to the process group, SIGKILL if it lingers."""
        if self.popen.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.pid, signal.SIGKILL)
                self.popen.wait(timeout)
        # Children left in the group (if any) go too.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, signal.SIGKILL)


def spawn(
    name: str, argv: Sequence[str], log_dir: Path, env: Mapping[str, str] | None = None
) -> Process:
    log_dir.mkdir(parents=True, exist_ok=True)
    log = log_dir / f"{name}.log"
    full_env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
    # Our own emulator hosts must not leak into a stand-in's own clients.
    for var in ("PUBSUB_EMULATOR_HOST", "FIRESTORE_EMULATOR_HOST"):
        full_env.pop(var, None)
    with log.open("wb") as out:
        popen = subprocess.Popen(
            list(argv),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=full_env,
            cwd=ROOT,
            start_new_session=True,  # own process group: stop() kills the whole tree
        )
    process = Process(name, popen, log)
    atexit.register(process.stop)
    return process
