"""Cloud Scheduler's stand-in: fires the manifest's cron jobs by publishing their event.
A firing's event id is derived from the job and the scheduled time, so a job that
fires twice (restart, two instances) is applied once by the idempotent handler."""

from __future__ import annotations

import logging
import threading
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from croniter import croniter

from shared.adapters.local.bus import SqliteEventBus
from shared.events.envelope import Event, new_event
from shared.events.registry import REGISTRY
from shared.ports.clock import Clock
from shared.wiring.manifest import Manifest, Schedule

log = logging.getLogger("aia.scheduler")
_NAMESPACE = uuid.UUID("0e8f1b7a-46a3-4a0e-8d2a-5c4ed0013a00")


def firing_event(schedule: Schedule, fire_time: datetime) -> Event:
    model = REGISTRY.model_for(schedule.event, 1)
    return new_event(
        model.model_validate(schedule.data),
        source=f"scheduler/{schedule.name}",
        event_id=str(uuid.uuid5(_NAMESPACE, f"{schedule.name}:{fire_time.isoformat()}")),
        time=fire_time,
    )


class Scheduler:
    def __init__(self, manifest: Manifest, bus: SqliteEventBus, clock: Clock) -> None:
        self.manifest = manifest
        self.bus = bus
        self.clock = clock
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def tick(self) -> list[Event]:
        """Fire every job whose next time has come; missed firings collapse into one."""
        fired = []
        for schedule in self.manifest.schedules:
            now = self.clock.now().astimezone(ZoneInfo(schedule.time_zone))
            last = self.bus.last_fire(schedule.name)
            if last is None:
                self.bus.record_fire(schedule.name, now.timestamp())
                continue
            itr = croniter(schedule.cron, datetime.fromtimestamp(last, now.tzinfo))
            due: datetime | None = None
            for _ in range(10_000):
                candidate = itr.get_next(datetime)
                if candidate > now:
                    break
                due = candidate
            if due is None:
                continue
            event = firing_event(schedule, due)
            self.bus.publish(event)
            self.bus.record_fire(schedule.name, due.timestamp())
            log.info(
                "scheduled job fired", extra={"schedule": schedule.name, "at": due.isoformat()}
            )
            fired.append(event)
        return fired

    def start(self, interval: float = 1.0) -> None:
        def loop() -> None:
            while not self._stop.wait(interval):
                self.tick()

        self.tick()
        self._thread = threading.Thread(target=loop, name="scheduler", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(5)
