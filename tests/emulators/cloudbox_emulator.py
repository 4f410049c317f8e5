"""cloudbox (PyPI, 0.2.3): the Pub/Sub (gRPC and REST) and Secret Manager (REST) stand-in.

Every one of its servers gets a free port on 127.0.0.1 (its defaults would take 8080
and 8888, which `make run` and other tools use). It keeps state in memory."""

from __future__ import annotations

import urllib.request
from dataclasses import dataclass
from pathlib import Path

from .base import CLOUDBOX, HOST, PYTHON, Process, free_ports, port_open, require, spawn

MAIN = Path(__file__).with_name("cloudbox_main.py")
# cloudbox's servers, each set by CLOUDBOX_<NAME>_PORT.
_PORTS = (
    "PUBSUB",
    "PUBSUB_REST",
    "SECRETMANAGER",
    "FIRESTORE",
    "ADMIN",
    "GCS",
    "TASKS",
    "BIGQUERY",
    "SPANNER",
    "LOGGING",
    "SCHEDULER",
)


@dataclass(frozen=True)
class Cloudbox:
    process: Process
    pubsub_host: str  # host:port, for PUBSUB_EMULATOR_HOST (gRPC)
    pubsub_rest: str  # http://host:port, the Pub/Sub REST API
    secret_manager: str  # http://host:port, for SecretManagerSecrets(endpoint=...)

    def stop(self) -> None:
        self.process.stop()


def start_cloudbox(log_dir: Path) -> Cloudbox:
    require(CLOUDBOX, "the Pub/Sub and Secret Manager stand-in", PYTHON)
    ports = dict(zip(_PORTS, free_ports(len(_PORTS)), strict=True))
    env = {f"CLOUDBOX_{name}_PORT": str(port) for name, port in ports.items()}
    env |= {"CLOUDBOX_HOST": HOST, "CLOUDBOX_LOG_LEVEL": "warning", "CLOUDBOX_PROJECT": "aia-local"}
    env["CLOUDBOX_DATA_DIR"] = ""  # in memory
    process = spawn("cloudbox", [str(PYTHON), "-P", str(MAIN)], log_dir, env)
    secrets_url = f"http://{HOST}:{ports['SECRETMANAGER']}"

    def answering() -> bool:
        if not (port_open(ports["PUBSUB"]) and port_open(ports["PUBSUB_REST"])):
            return False
        with urllib.request.urlopen(f"{secrets_url}/v1/projects/ping/secrets", timeout=1) as r:
            return bool(r.status == 200)

    process.wait_until(answering)
    return Cloudbox(
        process=process,
        pubsub_host=f"{HOST}:{ports['PUBSUB']}",
        pubsub_rest=f"http://{HOST}:{ports['PUBSUB_REST']}",
        secret_manager=secrets_url,
    )
