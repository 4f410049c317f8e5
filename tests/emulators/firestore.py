"""@firestore-emulator/server (npm, 0.3.15): the Firestore stand-in (gRPC), for
FIRESTORE_EMULATOR_HOST. Started by `firestore_main.cjs` on 127.0.0.1, on a free port."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from .base import EMULATORS_DIR, FIRESTORE, HOST, EmulatorError, Process, port_open, require, spawn

NODE_DIR = EMULATORS_DIR / "firestore"
MAIN = Path(__file__).with_name("firestore_main.cjs")


@dataclass(frozen=True)
class FirestoreEmulator:
    process: Process
    host: str  # host:port, for FIRESTORE_EMULATOR_HOST

    def stop(self) -> None:
        self.process.stop()


def start_firestore(log_dir: Path) -> FirestoreEmulator:
    package = NODE_DIR / "node_modules" / "@firestore-emulator" / "server"
    require(FIRESTORE, "the Firestore stand-in", package)
    node = shutil.which("node")
    if node is None:
        raise EmulatorError("node is not on PATH: the Firestore stand-in needs Node.js 20")
    process = spawn("firestore", [node, str(MAIN), str(NODE_DIR), HOST, "0"], log_dir)
    port = process.ready_port()
    process.wait_until(lambda: port_open(port))
    return FirestoreEmulator(process=process, host=f"{HOST}:{port}")
