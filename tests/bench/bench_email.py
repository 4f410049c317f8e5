"""Email: emails rendered and delivered per minute to a local SMTP server (aiosmtpd on
loopback), p95 of one send step, and no duplicate under redelivery.

- `send_step`: one send step at a time (claim the key, suppression and preference
  checks, render with CSS inlining, compose, SMTP, settle), all eight types in turn.
- `concurrent`: the same with worker threads, as several send-function instances or
  request threads would run it: the throughput figure (target 6,000 a minute).
- `redelivery`: every message of the concurrent run delivered again, twice at once per
  key; the SMTP server must hold exactly one copy of each.
- `queue_path`: sends queued on the bulk queue and run by the local task runner through
  the email-send function (HTTP in-process): the whole local path a journey step takes.
- `render_only`: rendering and composing alone, for scale."""

from __future__ import annotations

import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from tests.bench.latency import percentiles

ROOT = Path(__file__).resolve().parents[2]
TARGET_PER_MINUTE = 6000


def run(quick: bool = False) -> dict[str, Any]:
    from shared.adapters.local.clock import ManualClock
    from shared.bootstrap import install_features
    from shared.email.message import compose
    from shared.email.render import Links, Recipient, render
    from shared.email.sending import SendRequest, enqueue, send_one
    from shared.email.types import SPECS, EmailType
    from shared.runtime.local import LocalRuntime
    from shared.settings import Settings
    from tests.email.smtp_server import SmtpServer

    types = list(EmailType)
    contexts = {t: SPECS[t].sample.model_dump(mode="json") for t in types}
    sequential_n = 400 if quick else 2000
    concurrent_n = 800 if quick else 6000
    queue_n = 200 if quick else 1000
    workers = 8

    def request(i: int, journey: str) -> SendRequest:
        email_type = types[i % len(types)]
        return SendRequest(
            type=email_type,
            journey=journey,
            step=email_type.value,
            to=f"user{i}@example.com",
            name=f"User {i}",
            context=contexts[email_type],
        )

    results: dict[str, Any] = {"target_per_minute": TARGET_PER_MINUTE, "workers": workers}
    with tempfile.TemporaryDirectory() as tmp, SmtpServer() as server:
        settings = Settings(
            data_dir=Path(tmp),
            scheduler_enabled=False,
            mail_backend="smtp",
            smtp_host="127.0.0.1",
            smtp_port=server.port,
        )
        runtime = LocalRuntime(settings, ROOT, clock=ManualClock())
        mail = runtime.features.email

        # render and compose alone
        spec = SPECS[EmailType.ECONOMIC_UPDATE]
        links = Links(
            "https://app.013a.tech",
            "https://app.013a.tech/settings/email",
            "https://api.013a.tech/u",
        )
        started = time.perf_counter()
        rounds = 200 if quick else 1000
        for i in range(rounds):
            rendered = render(
                spec,
                spec.sample,
                recipient=Recipient("a@example.com", "A"),
                links=links,
                sender_name="AIA",
                domain="013a.tech",
            )
            compose(
                spec,
                rendered,
                key=f"{i:064x}",
                recipient="a@example.com",
                recipient_name="A",
                sender_name="AIA",
                domain="013a.tech",
                reply_to="economics@013a.tech",
                date=runtime.platform.clock.now(),
                unsubscribe_url="https://api.013a.tech/u",
            )
        results["render_only"] = {
            "per_minute": round(rounds / (time.perf_counter() - started) * 60),
            "n": rounds,
        }

        # one send step at a time
        samples = []
        started = time.perf_counter()
        for i in range(sequential_n):
            begun = time.perf_counter()
            outcome = send_one(mail, request(i, "bench-sequential"))
            samples.append(time.perf_counter() - begun)
            assert outcome.status == "sent", outcome
        elapsed = time.perf_counter() - started
        results["send_step"] = {
            **percentiles(samples),
            "per_minute": round(sequential_n / elapsed * 60),
        }

        # concurrent send steps
        step_times: list[float] = []
        lock = threading.Lock()

        def timed(i: int) -> str:
            begun = time.perf_counter()
            status = send_one(mail, request(i, "bench-concurrent")).status
            with lock:
                step_times.append(time.perf_counter() - begun)
            return status

        received_before = len(server.received)
        started = time.perf_counter()
        with ThreadPoolExecutor(workers) as pool:
            statuses = list(pool.map(timed, range(concurrent_n)))
        elapsed = time.perf_counter() - started
        assert statuses.count("sent") == concurrent_n
        per_minute = round(concurrent_n / elapsed * 60)
        results["concurrent"] = {
            "per_minute": per_minute,
            "seconds": round(elapsed, 3),
            "step": percentiles(step_times),
            "meets_target": per_minute >= TARGET_PER_MINUTE,
        }

        # redelivery: everything again, each key twice at once
        def redeliver(i: int) -> str:
            try:
                return send_one(mail, request(i // 2, "bench-concurrent")).status
            except RuntimeError as exc:  # SendInProgress: would be retried, sends nothing
                return type(exc).__name__

        with ThreadPoolExecutor(workers) as pool:
            replays = Counter(pool.map(redeliver, range(2 * concurrent_n)))
        arrived = server.received[received_before:]
        ids = Counter(r.message["Message-ID"] for r in arrived)
        results["redelivery"] = {
            "redelivered": 2 * concurrent_n,
            "outcomes": dict(replays),
            "messages_received": len(arrived),
            "unique_message_ids": len(ids),
            "duplicates": sum(n - 1 for n in ids.values()),
        }
        assert results["redelivery"]["duplicates"] == 0 and len(arrived) == concurrent_n

        # the local queue path: queued on email-bulk, run through the email-send function
        # by the local task runner, first in one thread (drain), then by the runtime's
        # delivery workers (what `make run` does)
        queue: dict[str, Any] = {"n": queue_n}
        for label, journey in (
            ("one_worker", "bench-queue-1"),
            ("runtime_workers", "bench-queue-n"),
        ):
            for i in range(queue_n):
                enqueue(mail, request(i, journey))
            queued_before = len(server.received)
            started = time.perf_counter()
            if label == "one_worker":
                runtime.dispatcher.drain()
            else:
                runtime.dispatcher.start(settings.delivery_workers)
                deadline = time.monotonic() + 300
                while len(server.received) - queued_before < queue_n:
                    assert time.monotonic() < deadline, "queued sends did not finish"
                    time.sleep(0.01)
                queue["runtime_workers_count"] = settings.delivery_workers
            elapsed = time.perf_counter() - started
            delivered = len(server.received) - queued_before
            assert delivered == queue_n, delivered
            queue[f"per_minute_{label}"] = round(queue_n / elapsed * 60)
        results["queue_path"] = queue
        runtime.stop()
        install_features(None)
    return results
