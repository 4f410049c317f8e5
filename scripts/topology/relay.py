"""The pull-to-push relay: Pub/Sub's push delivery, for a stand-in that lacks it.

cloudbox pushes only messages published over REST (ours go over gRPC) and never retries a
push. So the subscriptions are created without a push endpoint and this relay does what
Pub/Sub's push does, one thread per subscription, up to 4 pushes at once: pull, POST the
push envelope (wrapped delivery, the body Pub/Sub sends) to the function's URL, ack on
2xx, nack otherwise.
A push that finds no instance listening (its process died and is starting again) is held
and tried again until the ack deadline, as Cloud Run's front end holds a request while it
starts an instance: only then is it a failed attempt. Counting each refused connection as
an attempt would spend a subscription's attempts in the milliseconds of a scaled backoff
and dead-letter good messages during a restart.
Retry backoff, delivery attempts, dead-lettering after the subscription's max attempts
and per-key ordering are the stand-in's own (its pull applies the policies the
subscription was created with); the relay adds none of its own."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import requests
from urllib3.exceptions import MaxRetryError, NewConnectionError

from scripts.topology.cloud_admin import PubSubAdmin

log = logging.getLogger("aia.topology.relay")
IDLE_MIN, IDLE_MAX = 0.02, 0.5  # seconds between empty pulls: grows when idle (2 cores)
IN_FLIGHT = 4  # pushes at once per subscription (Pub/Sub pushes concurrently too)
COLD_START_POLL = 0.1  # seconds between connection tries while no instance listens


def no_instance_listening(exc: requests.RequestException) -> bool:
    """The connection was refused: nothing listens on the port (not a request that failed
    or timed out inside an instance)."""
    reason = exc.args[0] if exc.args else None
    if isinstance(reason, MaxRetryError):
        reason = reason.reason
    return isinstance(exc, requests.ConnectionError) and isinstance(reason, NewConnectionError)


@dataclass
class PushRelay:
    admin: PubSubAdmin
    # subscription -> (the function's URL, the push timeout: its ack deadline)
    routes: Mapping[str, tuple[str, float]]
    pushed: dict[str, int] = field(default_factory=dict)  # subscription -> 2xx answers
    refused: dict[str, int] = field(default_factory=dict)  # subscription -> nacks
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> None:
        for subscription in self.routes:
            thread = threading.Thread(
                target=self._run, args=(subscription,), name=f"relay-{subscription}", daemon=True
            )
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=15)

    def _run(self, subscription: str) -> None:
        with ThreadPoolExecutor(IN_FLIGHT, thread_name_prefix=f"push-{subscription}") as pool:
            self._relay(subscription, pool)

    def _relay(self, subscription: str, pool: ThreadPoolExecutor) -> None:
        url, timeout = self.routes[subscription]
        session = requests.Session()
        idle = IDLE_MIN
        while not self._stop.is_set():
            try:
                received = self.admin.pull(subscription, IN_FLIGHT)
            except requests.RequestException:
                if self._stop.wait(IDLE_MAX):
                    return
                continue
            if not received:
                self._stop.wait(idle)
                idle = min(idle * 2, IDLE_MAX)
                continue
            idle = IDLE_MIN
            # The stand-in hands out at most one message per ordering key until it is
            # acked, so a batch holds distinct keys and may be pushed at once.
            pushes = [
                pool.submit(self._push, session, subscription, url, timeout, item)
                for item in received
            ]
            for push in pushes:
                push.result()

    def _count(self, counts: dict[str, int], subscription: str) -> None:
        with self._lock:
            counts[subscription] = counts.get(subscription, 0) + 1

    def _push(
        self,
        session: requests.Session,
        subscription: str,
        url: str,
        timeout: float,
        item: Mapping[str, object],
    ) -> None:
        ack_id = str(item["ackId"])
        body: dict[str, Any] = {
            "message": item["message"],
            "subscription": self.admin.subscription_path(subscription),
            "deliveryAttempt": item.get("deliveryAttempt", 1),
        }
        deadline = time.monotonic() + timeout
        while True:
            try:
                answer = session.post(url, json=body, timeout=timeout)
                delivered = answer.status_code < 300
            except requests.RequestException as exc:  # the instance is gone or timed out
                if no_instance_listening(exc) and time.monotonic() < deadline:
                    if self._stop.wait(COLD_START_POLL):
                        return  # shutting down: the ack deadline redelivers it
                    continue
                log.warning("push to %s failed: %s", url, exc)
                delivered = False
            break
        try:
            if delivered:
                self.admin.acknowledge(subscription, [ack_id])
                self._count(self.pushed, subscription)
            else:
                self.admin.nack(subscription, [ack_id])
                self._count(self.refused, subscription)
        except requests.RequestException as exc:  # the ack deadline redelivers it
            log.warning("ack/nack on %s failed: %s", subscription, exc)
