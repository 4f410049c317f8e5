"""Same seed and parameters, bit-identical metrics; also when a run stops after any
tick and resumes from its stored state."""

from __future__ import annotations

import numpy as np

from shared.simulation.indicators import TickMetrics
from shared.simulation.layout import dump_state, load_state
from shared.simulation.model import advance, rng_for
from shared.simulation.params import SimulationParams
from shared.simulation.state import State, initial_state

PARAMS = SimulationParams(households=3000, seed=11)


def _run(state: State, months: int) -> tuple[State, list[TickMetrics]]:
    records = []
    for _ in range(months):
        state, metrics = advance(state, PARAMS, rng_for(PARAMS.seed, state.tick))
        records.append(metrics)
    return state, records


def _bits(records: list[TickMetrics]) -> list[bytes]:
    return [np.array(list(r.as_dict().values()), dtype=np.float64).tobytes() for r in records]


def test_same_seed_and_parameters_give_bit_identical_metrics() -> None:
    _, first = _run(initial_state(PARAMS), 60)
    _, second = _run(initial_state(PARAMS), 60)
    assert _bits(first) == _bits(second)
    _, other = _run(initial_state(PARAMS.model_copy(update={"seed": 12})), 60)
    assert _bits(other) != _bits(first)


def test_stopping_after_any_tick_and_resuming_from_stored_state_changes_nothing() -> None:
    total = 40
    _, straight = _run(initial_state(PARAMS), total)
    for stop in (1, 7, 12, 13, 25, 39):
        state, head = _run(initial_state(PARAMS), stop)
        resumed = load_state(bytes(dump_state(state)))
        _, tail = _run(resumed, total - stop)
        assert _bits(head + tail) == _bits(straight), f"stopped after tick {stop}"


def test_advance_does_not_modify_its_input() -> None:
    state, _ = _run(initial_state(PARAMS), 3)
    before = bytes(dump_state(state))
    advance(state, PARAMS, rng_for(PARAMS.seed, state.tick))
    assert bytes(dump_state(state)) == before
