"""At-least-once delivery of events and tasks, as Pub/Sub and Cloud Tasks do it:
ack on 2xx, otherwise redeliver with exponential backoff, then dead-letter."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime

from shared.adapters.local.bus import Delivery, SqliteEventBus
from shared.adapters.local.clock import ManualClock
from shared.adapters.local.tasks import SqliteTaskQueue, Task
from shared.observability import metrics
from shared.ports.clock import Clock
from shared.runtime.host import FunctionHost
from shared.wiring.manifest import Manifest

log = logging.getLogger("aia.runtime")


class Dispatcher:
    def __init__(
        self,
        manifest: Manifest,
        bus: SqliteEventBus,
        tasks: SqliteTaskQueue,
        host: FunctionHost,
        clock: Clock,
    ) -> None:
        self.manifest = manifest
        self.bus = bus
        self.tasks = tasks
        self.host = host
        self.clock = clock
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    # -- one step ---------------------------------------------------------------------
    def deliver_next(self) -> bool:
        """Deliver one due event or task; False when nothing is due."""
        delivery = self.bus.claim()
        if delivery is not None:
            self._deliver(delivery)
            return True
        task = self.tasks.claim()
        if task is not None:
            self._run_task(task)
            return True
        return False

    def _deliver(self, delivery: Delivery) -> None:
        fn = self.manifest.function(delivery.function)
        assert fn.pubsub is not None
        result = self.host.push(fn, delivery.topic, delivery.message)
        if result.ok:
            self.bus.ack(delivery.id)
            return
        error = f"HTTP {result.status}: {result.body[:500]}"
        event_type = delivery.message.attributes.get("ce-type", "unknown")
        if delivery.attempts < fn.pubsub.max_delivery_attempts:
            delay = fn.pubsub.retry.delay(delivery.attempts)
            self.bus.nack(delivery.id, delay, error)
            log.warning(
                "delivery failed; retrying",
                extra={"function": fn.name, "attempt": delivery.attempts, "retry_in_s": delay},
            )
            return
        self.bus.bury(delivery.id, error)
        if delivery.topic == self.manifest.dead_letter_topic:
            log.error("dead-letter subscriber failed for good", extra={"function": fn.name})
            return
        attributes = {
            **delivery.message.attributes,
            "CloudPubSubDeadLetterSourceDeliveryCount": str(delivery.attempts),
            "CloudPubSubDeadLetterSourceSubscription": delivery.subscription,
            "CloudPubSubDeadLetterSourceSubscriptionProject": self.host.project,
            "CloudPubSubDeadLetterSourceTopicPublishTime": delivery.message.publish_time or "",
        }
        self.bus.publish_raw(
            self.manifest.dead_letter_topic,
            delivery.message.data,
            attributes,
            delivery.message.ordering_key,
        )
        metrics.events_dead_lettered.labels(event_type, fn.name, "attempts_exhausted").inc()
        log.error(
            "delivery attempts exhausted; dead-lettered",
            extra={"function": fn.name, "attempts": delivery.attempts, "event_type": event_type},
        )

    def _run_task(self, task: Task) -> None:
        queue = self.manifest.queue(task.queue)
        headers = {
            "X-CloudTasks-QueueName": task.queue,
            "X-CloudTasks-TaskName": task.name,
            "X-CloudTasks-TaskRetryCount": str(task.attempts - 1),
            "X-CloudTasks-TaskExecutionCount": str(task.attempts - 1),
        }
        result = self.host.call_http(task.function, task.path, task.payload, headers)
        if result.ok:
            self.tasks.complete(task.name)
        elif task.attempts >= queue.max_attempts:
            self.tasks.fail(task.name, f"HTTP {result.status}")
            log.error("task failed for good", extra={"task": task.name, "queue": task.queue})
        else:
            self.tasks.retry(task.name, queue.retry.delay(task.attempts), f"HTTP {result.status}")

    # -- loops ------------------------------------------------------------------------
    def drain(self, max_steps: int = 100_000) -> int:
        """Deliver until nothing is pending. With a ManualClock, time jumps to the next
        retry instead of waiting for it (tests, and `aia` batch commands)."""
        steps = 0
        while steps < max_steps:
            if self.deliver_next():
                steps += 1
                continue
            upcoming = [t for t in (self.bus.next_due(), self.tasks.next_due()) if t is not None]
            if not upcoming or not isinstance(self.clock, ManualClock):
                break
            self.clock.set(datetime.fromtimestamp(min(upcoming), UTC))
        return steps

    def start(self, workers: int) -> None:
        self.bus.recover()
        self.tasks.recover()
        for index in range(workers):
            thread = threading.Thread(target=self._work, name=f"delivery-{index}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self, timeout: float = 10) -> None:
        self._stop.set()
        with self.bus.wakeup:
            self.bus.wakeup.notify_all()
        for thread in self._threads:
            thread.join(timeout)
        self._threads.clear()

    def _work(self) -> None:
        while not self._stop.is_set():
            if self.deliver_next():
                continue
            now = self.clock.now().timestamp()
            upcoming = [t for t in (self.bus.next_due(), self.tasks.next_due()) if t is not None]
            # another process (`aia publish`) may write the bus file: poll it a few times a second
            wait = min([0.25, *[max(0.0, t - now) for t in upcoming]])
            with self.bus.wakeup:
                self.bus.wakeup.wait(timeout=max(wait, 0.005))
