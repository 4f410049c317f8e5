"""A test function: appends each probe's value to a log document (in the handler's
transaction), fails `fail_times` times first, and may emit a follow-up event."""

import functions_framework
from cloudevents.http import CloudEvent
from probe_events import ProbeFollowed, ProbeHappened

from shared.adapters.cloud_events import consume
from shared.events.handling import HandlerContext


def record(ctx: HandlerContext[ProbeHappened]) -> None:
    store = ctx.platform.documents
    attempts = store.get("probe_attempts", ctx.event.id) or {"at": []}
    attempts["at"].append(ctx.platform.clock.now().timestamp())
    store.set("probe_attempts", ctx.event.id, attempts)
    if len(attempts["at"]) <= ctx.data.fail_times:
        raise RuntimeError(f"probe failure {len(attempts['at'])} of {ctx.data.fail_times}")
    log_id = ctx.data.key or "unkeyed"
    log = ctx.tx.get("probe_log", log_id) or {"values": []}
    log["values"].append(ctx.data.value)
    ctx.tx.set("probe_log", log_id, log)
    if ctx.data.follow_up:
        ctx.emit(ProbeFollowed(value=ctx.data.value))


@functions_framework.cloud_event
def probe_record(cloud_event: CloudEvent) -> None:
    consume(cloud_event, record, ProbeHappened, name="probe-record")
