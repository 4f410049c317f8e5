"""One process per function of the manifest, as Cloud Run runs each function as its own
service, started with the image's own launcher (`python -m shared.runtime.function_server`:
functions-framework's app and server plus GET /ready) and counted ready when /ready
answers 200, as Cloud Run's startup probe does. A process that dies is started again on
the same port (Cloud Run starts a new instance); `kill` is how tests take one down
mid-stream."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from shared.wiring.manifest import Function
from tests.emulators.base import port_open

ROOT = Path(__file__).resolve().parents[2]
LAUNCHER = [sys.executable, "-m", "shared.runtime.function_server"]  # the image's CMD


def threads_for(fn: Function) -> int:
    """Few threads per process: 2 cores run ~28 of them. The API takes the most traffic."""
    return 8 if fn.http is not None and fn.http.public else 2


@dataclass
class FunctionProcess:
    fn: Function
    port: int
    env: Mapping[str, str]
    log: Path
    popen: subprocess.Popen[bytes] | None = None
    starts: int = 0  # how many times it was started (1 + restarts)
    down_until: float = 0.0  # time.monotonic() before which a dead process stays down

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        argv = [
            *LAUNCHER,
            "--target",
            self.fn.target,
            "--source",
            str(ROOT / self.fn.source),
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
        ]
        env = {**self.env, "THREADS": str(threads_for(self.fn)), "WORKERS": "1"}
        # as Terraform sets it (the launcher refuses one the manifest contradicts)
        env["FUNCTION_SIGNATURE_TYPE"] = "http" if self.fn.http is not None else "cloudevent"
        env["K_SERVICE"] = self.fn.name  # what Cloud Run sets: logs name the service
        with self.log.open("ab") as out:
            self.popen = subprocess.Popen(  # noqa: S603 - our own entry point, fixed arguments
                argv,
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own group: gunicorn's worker goes with it
            )
        self.starts += 1

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def ready(self) -> bool:
        """What Cloud Run's startup probe asks (infra/modules/platform/run.tf)."""
        return self.alive() and port_open(self.port) and probe(self.url) == 200

    def signal(self, sig: int) -> None:
        if self.popen is not None and self.popen.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, sig)

    def stop(self, timeout: float = 10.0) -> None:
        if self.popen is None:
            return
        self.signal(signal.SIGTERM)
        try:
            self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            self.signal(signal.SIGKILL)
            self.popen.wait(timeout)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, signal.SIGKILL)  # anything left in its group


def probe(url: str) -> int | None:
    """GET /ready: its status, or None while nothing answers."""
    try:
        with urllib.request.urlopen(f"{url}/ready", timeout=5) as reply:  # noqa: S310 - our own process
            return int(reply.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)
    except OSError:
        return None


@dataclass
class FunctionFleet:
    processes: dict[str, FunctionProcess]
    _stop: threading.Event = field(default_factory=threading.Event)
    _watcher: threading.Thread | None = None

    def start(self, timeout: float = 120.0) -> float:
        """Start every process at once; seconds until all answer /ready."""
        started = time.monotonic()
        for process in self.processes.values():
            process.start()
        self.wait_ready(timeout)
        self._watcher = threading.Thread(target=self._watch, name="fleet-watch", daemon=True)
        self._watcher.start()
        return time.monotonic() - started

    def wait_ready(self, timeout: float, names: list[str] | None = None) -> None:
        deadline = time.monotonic() + timeout
        waiting = [self.processes[n] for n in names or list(self.processes)]
        while waiting:
            dead = [
                p.fn.name for p in waiting if p.popen is not None and p.popen.poll() is not None
            ]
            if dead and not self._watching():
                raise RuntimeError(
                    f"function processes exited while starting: {dead}; see {waiting[0].log.parent}"
                )
            # asked at once: a first /ready builds that process's ports, which takes a
            # while, and asking one after the other would add those waits up
            with ThreadPoolExecutor(len(waiting)) as pool:
                answers = list(pool.map(FunctionProcess.ready, waiting))
            waiting = [p for p, ready in zip(waiting, answers, strict=True) if not ready]
            if waiting and time.monotonic() > deadline:
                names_left = [p.fn.name for p in waiting]
                raise RuntimeError(f"not ready after {timeout:.0f} s: {names_left}")
            time.sleep(0.1)

    def _watching(self) -> bool:
        return self._watcher is not None and self._watcher.is_alive()

    def _watch(self) -> None:
        while not self._stop.wait(0.2):
            for process in self.processes.values():
                dead = process.popen is not None and process.popen.poll() is not None
                if dead and time.monotonic() >= process.down_until:
                    process.start()  # a new instance, on the same URL

    def kill(self, name: str, down_for: float = 0.0) -> None:
        """SIGKILL one function's process, mid-request if it is in one; it comes back,
        no sooner than `down_for` seconds later (a slow cold start)."""
        process = self.processes[name]
        process.down_until = time.monotonic() + down_for
        process.signal(signal.SIGKILL)

    def stop(self) -> None:
        self._stop.set()
        if self._watcher is not None:
            self._watcher.join(timeout=5)
        for process in self.processes.values():
            process.signal(signal.SIGTERM)
        for process in self.processes.values():
            process.stop()
