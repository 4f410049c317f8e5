"""The runs of an impact preview, as events: each tick request advances one run (a seed,
with or without the change) from its stored month, saves it under a check-and-set on
that month, and asks for its next months; the run that completes the last months of the
preview computes the figures and announces them, once.

Failures and refunds (a refund only for a failure the platform caused, once):
- the unchanged run leaves the finite numbers: the model failed on the live policy,
  refunded;
- the changed run does: the proposal's own policy breaks the economy; failed, with that
  reason, not refunded (the work was done and its answer is the reason);
- a tick that exhausts its deliveries (`fail_abandoned_impact_run`), or figures that are
  not finite numbers: the platform's failure, refunded.
A failed preview publishes no figures, so no failure hands out a free simulation."""

from __future__ import annotations

import dataclasses
import logging
import uuid
from typing import Any

from pydantic import ValidationError

from shared.events.envelope import Event, new_event
from shared.events.handling import HandlerContext
from shared.events.outbox import publish_staged
from shared.operations.events import DeliveryAbandoned
from shared.ports.impact import ImpactFigure
from shared.simulation.checkpoints import checkpoint_interval
from shared.simulation.events import ImpactPreviewReady, ImpactRunTickRequested
from shared.simulation.guards import EconomyDiverged
from shared.simulation.impact_figures import figures, headlines, monthly_values
from shared.simulation.impact_preview import Completion, PreviewRecord, RunRecord
from shared.simulation.indicators import TickMetrics
from shared.simulation.layout import dump_state, load_state
from shared.simulation.model import advance, rng_for

log = logging.getLogger("aia.simulation")
_READY_IDS = uuid.UUID("0b8a5d4e-38c1-4f4e-9d0c-013a0038a001")


def advance_impact_run(ctx: HandlerContext[ImpactRunTickRequested]) -> None:
    data = ctx.data
    store = ctx.features.impact_previews.store
    preview = store.preview(data.proposal_id)
    if preview is None or preview.status not in ("queued", "running"):
        return  # unknown, or ready or failed already: nothing more to do
    run = store.run(data.proposal_id, data.seed, data.branch)
    if run is None:
        log.warning("tick for an unknown impact run", extra=_ids(data))
        return
    if run.tick != data.tick:
        if run.last_event_id == ctx.event.id:  # saved, then the delivery failed
            _after(ctx, preview, run)
        return
    assert preview.from_tick is not None
    count = min(data.ticks, preview.from_tick + preview.months - run.tick)
    if count <= 0:
        return
    params = preview.params_of(data.branch, data.seed)
    state = load_state(run.state)
    months: list[TickMetrics] = []
    try:
        for _ in range(count):
            state, metrics = advance(state, params, rng_for(params.seed, state.tick), in_place=True)
            months.append(metrics)
    except EconomyDiverged as exc:
        _diverged(ctx, preview, data, str(exc))
        return
    added = monthly_values(months)
    series = {name: [*run.series.get(name, []), *added[name]] for name in added}
    moved = dataclasses.replace(run, tick=state.tick, state=dump_state(state), series=series)
    if not store.save_run(moved, data.tick, ctx.event.id, ctx.platform.clock.now()):
        log.info("another delivery advanced this impact run first", extra=_ids(data))
        return
    _after(ctx, preview, moved)


def _after(
    ctx: HandlerContext[ImpactRunTickRequested], preview: PreviewRecord, run: RunRecord
) -> None:
    """The run's next months, or, at the horizon, the preview's figures if every run
    is there."""
    assert preview.from_tick is not None and preview.params is not None
    if run.tick < preview.from_tick + preview.months:
        ctx.emit(
            ImpactRunTickRequested(
                proposal_id=run.proposal_id,
                seed=run.seed,
                branch=run.branch,
                tick=run.tick,
                ticks=checkpoint_interval(preview.params, preview.months),
            )
        )
        return
    store = ctx.features.impact_previews.store
    now = ctx.platform.clock.now()
    try:
        events = store.complete(preview.proposal_id, _completion(), now)
    except ValueError as exc:
        _fail(ctx, preview.proposal_id, f"the runs gave no usable figures: {exc}", refund=True)
        return
    if events:
        publish_staged(ctx.features.outbox, ctx.platform.events, events)
        log.info("impact preview ready", extra={"proposal_id": preview.proposal_id})


def _completion() -> Completion:
    def build(
        preview: PreviewRecord, runs: list[RunRecord]
    ) -> tuple[list[ImpactFigure], list[Event]]:
        by_seed = {(r.seed, r.branch): r.series for r in runs}
        rows = figures(
            [(by_seed[(seed, "changed")], by_seed[(seed, "unchanged")]) for seed in preview.seeds]
        )
        ready = ImpactPreviewReady(
            proposal_id=str(preview.proposal_id),
            title=preview.title,
            seeds=len(preview.seeds),
            headlines=headlines(rows),
        )
        event = new_event(
            ready,
            source="simulation",
            event_id=str(uuid.uuid5(_READY_IDS, str(preview.proposal_id))),
        )
        return rows, [event]

    return build


def _diverged(
    ctx: HandlerContext[ImpactRunTickRequested],
    preview: PreviewRecord,
    data: ImpactRunTickRequested,
    detail: str,
) -> None:
    if data.branch == "changed":
        reason = (
            f"under the proposed policy the economy leaves the finite numbers (seed "
            f"{data.seed}): {detail}"
        )
        _fail(ctx, preview.proposal_id, reason, refund=False)
    else:
        _fail(ctx, preview.proposal_id, f"the model failed on the live policy: {detail}", True)


def _fail(ctx: HandlerContext[Any], proposal_id: int, reason: str, refund: bool) -> None:
    store = ctx.features.impact_previews.store
    if store.fail(proposal_id, reason, ctx.platform.clock.now(), refund):
        log.error(
            "impact preview failed: %s",
            reason,
            extra={"proposal_id": proposal_id, "refunded": refund},
        )


def fail_abandoned_impact_run(ctx: HandlerContext[DeliveryAbandoned]) -> None:
    """A run's tick that exhausted its deliveries fails its preview, refunded (once)."""
    try:
        request = ImpactRunTickRequested.model_validate_json(ctx.data.data)
    except ValidationError:
        return
    _fail(ctx, request.proposal_id, "a run's months could not be computed", refund=True)


def _ids(data: ImpactRunTickRequested) -> dict[str, object]:
    return {
        "proposal_id": data.proposal_id,
        "seed": data.seed,
        "branch": data.branch,
        "tick": data.tick,
    }
