"""gcloud-tasks-emulator (PyPI, 0.6.2): the Cloud Tasks stand-in (gRPC, insecure channel).

Started through `cloud_tasks_main.py`, which binds 127.0.0.1 on a free port and answers
ALREADY_EXISTS for a reused task name (see there). It POSTs HTTP tasks to their URL."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .base import CLOUD_TASKS, HOST, PYTHON, Process, port_open, require, spawn

MAIN = Path(__file__).with_name("cloud_tasks_main.py")


@dataclass(frozen=True)
class CloudTasksEmulator:
    process: Process
    endpoint: str  # host:port, for Settings(cloud_tasks_endpoint=...)

    def stop(self) -> None:
        self.process.stop()


def start_cloud_tasks(log_dir: Path) -> CloudTasksEmulator:
    require(CLOUD_TASKS, "the Cloud Tasks stand-in", PYTHON)
    process = spawn(
        "cloud-tasks", [str(PYTHON), "-P", str(MAIN), "--host", HOST, "--port", "0"], log_dir
    )
    port = process.ready_port()
    process.wait_until(lambda: port_open(port))
    return CloudTasksEmulator(process=process, endpoint=f"{HOST}:{port}")
