"""Entry point run by the stand-ins' own Python (`.emulators/venv`), not by the tests'.

Serves gcloud-tasks-emulator 0.6.2's Cloud Tasks API (its `Greeter` servicer, queue
state and dispatcher thread, unchanged) with these differences from its CLI:

- it binds the host given (127.0.0.1) instead of `[::]`, on the port given (0: any
  free one), and prints `READY <port>` once it listens;
- it exits when the process that started it is gone (a killed test session leaves
  no stand-in behind);
- a task name already used answers ALREADY_EXISTS, as Cloud Tasks does (it remembers
  names of created, run and deleted tasks for about an hour); 0.6.2 accepts the
  duplicate and would run it twice, so the adapter's dedupe could not be exercised;
- a failing task is retried 3 times by default, not forever (its retries are immediate).

Usage: python cloud_tasks_main.py [--host 127.0.0.1] [--port 0] [--max-retries 3]
"""

from __future__ import annotations

import argparse
import os
import signal
import threading
import time
from concurrent import futures
from typing import Any

import grpc
from gcloud_tasks_emulator import server as emulator
from gcloud_tasks_emulator.cloudtasks_pb2_grpc import add_CloudTasksServicer_to_server
from google.api_core.exceptions import AlreadyExists


class NamedOnceQueueState(emulator.QueueState):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._names: set[str] = set()
        self._names_lock = threading.Lock()

    def create_task(self, queue: str, task: Any) -> Any:
        with self._names_lock:
            if task.name and task.name in self._names:
                raise AlreadyExists(f"Requested entity already exists: {task.name}")
            created = super().create_task(queue, task)
            self._names.add(created.name)
            return created


def exit_with_parent() -> None:
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def main() -> None:
    exit_with_parent()
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--max-retries", type=int, default=3)
    args = parser.parse_args()

    state = NamedOnceQueueState("127.0.0.1", 80, args.max_retries)
    processor = emulator.Processor(state)
    processor.daemon = True
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    add_CloudTasksServicer_to_server(emulator.Greeter(state), server)
    port = server.add_insecure_port(f"{args.host}:{args.port}")
    server.start()
    processor.start()
    print(f"READY {port}", flush=True)

    def stop(*_: object) -> None:
        server.stop(grace=0)
        os._exit(0)  # the emulator's per-queue threads are not daemons

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    server.wait_for_termination()


if __name__ == "__main__":
    main()
