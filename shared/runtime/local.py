"""Assembles the local runtime from settings: embedded adapters, every function of the
manifest, the dispatcher and the scheduler; serves HTTP with waitress."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import MutableMapping
from pathlib import Path
from types import FrameType

from shared.adapters.local.backup import ServerLock
from shared.adapters.local.bus import SqliteEventBus
from shared.adapters.local.tasks import SqliteTaskQueue
from shared.adapters.local.workflows import LocalWorkflowRunner
from shared.bootstrap import Features, build_platform, install_features
from shared.events.catalog import load_event_types
from shared.platform import Platform
from shared.ports.clock import Clock
from shared.runtime.delivery import Dispatcher
from shared.runtime.host import FunctionHost
from shared.runtime.scheduler import Scheduler
from shared.settings import Settings
from shared.wiring.manifest import Manifest

log = logging.getLogger("aia.runtime")


def point_links_here(environ: MutableMapping[str, str], host: str, port: int) -> str:
    """Links in mail and pages (`public_base_url`, `app_base_url`) point at this server
    unless set: under `make run` a link to production would open nothing of this data.
    Set in the environment, so every settings object of the process agrees."""
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host  # noqa: S104 - compared
    if ":" in shown:
        shown = f"[{shown}]"
    base = f"http://{shown}:{port}"
    environ.setdefault("AIA_PUBLIC_BASE_URL", base)
    environ.setdefault("AIA_APP_BASE_URL", base)
    return base


class LocalRuntime:
    def __init__(
        self,
        settings: Settings,
        roots: Path | list[Path],
        *,
        clock: Clock | None = None,
        manifest: Manifest | None = None,
    ) -> None:
        for port in ("event_bus", "task_queue"):
            if settings.backend_for(port) != "local":
                raise ValueError(
                    f"the local runtime delivers events and tasks itself: AIA_{port.upper()} "
                    "must be local (use Pub/Sub and Cloud Tasks by deploying to Cloud Run)"
                )
        load_event_types()
        self.settings = settings
        self.platform: Platform = build_platform(settings, clock=clock, manifest=manifest)
        self.features = Features(self.platform)
        install_features(self.features)
        assert isinstance(self.platform.events, SqliteEventBus)
        assert isinstance(self.platform.tasks, SqliteTaskQueue)
        self.bus: SqliteEventBus = self.platform.events
        self.tasks: SqliteTaskQueue = self.platform.tasks
        roots = roots if isinstance(roots, list) else [roots]
        self.host = FunctionHost(self.platform.manifest, roots, settings.gcp_project)
        # workflow steps call the HTTP functions hosted here in-process
        self.workflows: LocalWorkflowRunner | None = None
        if isinstance(self.platform.workflows, LocalWorkflowRunner):
            self.workflows = self.platform.workflows
            self.workflows.attach(self.host, roots)
        self.dispatcher = Dispatcher(
            self.platform.manifest, self.bus, self.tasks, self.host, self.platform.clock
        )
        self.scheduler = Scheduler(self.platform.manifest, self.bus, self.platform.clock)

    def start_background(self) -> None:
        recovered = self.bus.recover() + self.tasks.recover()
        if self.workflows is not None:
            recovered += self.workflows.recover()
        if recovered:
            log.info("resuming deliveries left in flight", extra={"recovered": recovered})
        self.dispatcher.start(self.settings.delivery_workers)
        if self.settings.scheduler_enabled:
            self.scheduler.start()

    def stop(self) -> None:
        self.scheduler.stop()
        self.dispatcher.stop()
        if self.workflows is not None:
            self.workflows.stop()
        self.platform.sql.dispose()  # its kept connections: files are let go at once

    def serve(self, host: str = "127.0.0.1", port: int | None = None) -> None:
        from waitress.server import create_server

        # `aia restore` refuses while this is held: it would swap files under live writers
        lock = ServerLock(self.settings.data_dir)
        lock.acquire()
        self.start_background()
        server = create_server(
            self.host.wsgi(), host=host, port=port or self.settings.port, threads=8
        )
        stopping = threading.Event()

        def on_signal(signum: int, _frame: FrameType | None) -> None:
            # Raised in the main thread, inside waitress's loop, which ends on SystemExit.
            # (Closing the listening socket alone left the loop polling its trigger
            # forever when the signal came between two polls.)
            if not stopping.is_set():
                stopping.set()
                log.info("shutting down", extra={"signal": signum})
                raise SystemExit(0)

        try:
            signal.signal(signal.SIGTERM, on_signal)
            signal.signal(signal.SIGINT, on_signal)
            log.info(
                "AIA System listening",
                extra={
                    "url": f"http://{host}:{port or self.settings.port}",
                    "data_dir": str(self.settings.data_dir),
                },
            )
            server.run()
        finally:
            server.close()
            server.task_dispatcher.shutdown()
            self.stop()
            install_features(None)
            lock.release()
