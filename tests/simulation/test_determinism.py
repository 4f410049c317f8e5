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


def _run(state: State, months: int, in_place: bool = False) -> tuple[State, list[TickMetrics]]:
    records = []
    for _ in range(months):
        state, metrics = advance(state, PARAMS, rng_for(PARAMS.seed, state.tick), in_place=in_place)
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


def test_advancing_in_place_gives_the_same_months_and_reuses_the_arrays() -> None:
    """`in_place` only saves copies: the same states and metrics, from a built state and
    from a loaded one (read-only views, which it must copy rather than write to)."""
    straight, expected = _run(initial_state(PARAMS), 30)
    state, head = _run(initial_state(PARAMS), 12, in_place=True)
    loaded = load_state(bytes(dump_state(state)))
    assert not loaded.households.deposits.flags.writeable
    after, tail = _run(loaded, 18, in_place=True)
    assert _bits(head + tail) == _bits(expected)
    assert bytes(dump_state(after)) == bytes(dump_state(straight))
    # the given-up state's writeable arrays are the new state's, not copies
    given_up = after
    following, _ = advance(given_up, PARAMS, rng_for(PARAMS.seed, after.tick), in_place=True)
    assert following.households.deposits is given_up.households.deposits
    assert np.shares_memory(following.households.suppliers, given_up.households.suppliers)
