"""The stored state: raw buffers behind a JSON header, compact, exact, and checked."""

from __future__ import annotations

import numpy as np
import pytest

from shared.simulation.layout import CorruptState, dump_state, load_state, stored_size
from shared.simulation.model import advance, rng_for
from shared.simulation.params import SimulationParams
from shared.simulation.state import initial_state


def _state(households: int = 4000, months: int = 13):  # type: ignore[no-untyped-def]
    params = SimulationParams(households=households, seed=5)
    state = initial_state(params)
    for _ in range(months):
        state, _ = advance(state, params, rng_for(params.seed, state.tick))
    return params, state


def test_round_trip_is_exact_and_small() -> None:
    params, state = _state()
    blob = dump_state(state)
    assert bytes(blob[:7]) == b"AIASIM\x00" and b"pickle" not in bytes(blob[:64])
    assert len(blob) / params.households <= 200
    again = load_state(bytes(blob))
    assert again.tick == state.tick and again.macro == state.macro
    for group in ("households", "firms"):
        for name, array in vars(getattr(state, group)).items():
            loaded = getattr(getattr(again, group), name)
            assert loaded.dtype == array.dtype and loaded.tobytes() == array.tobytes(), name
    assert again.history.tobytes() == state.history.tobytes()


def test_loaded_arrays_are_read_only_views_and_advance_does_not_write_them() -> None:
    params, state = _state(months=2)
    blob = bytes(dump_state(state))
    loaded = load_state(blob)
    assert not loaded.households.deposits.flags.writeable
    advance(loaded, params, rng_for(params.seed, loaded.tick))  # would raise on a write
    assert bytes(dump_state(loaded)) == blob


@pytest.mark.parametrize(
    ("mangle", "message"),
    [
        (lambda b: b"XXXXXXXX" + b[8:], "bad magic"),
        (lambda b: b[:7] + b"\x09" + b[8:], "not supported"),
        (lambda b: b[: len(b) // 2], "past the end"),
        (lambda b: b[:40], "unreadable state header"),
        (lambda b: b[:4], "too short"),
    ],
)
def test_corrupt_blobs_are_refused(mangle, message) -> None:  # type: ignore[no-untyped-def]
    _, state = _state(households=400, months=1)
    with pytest.raises(CorruptState, match=message):
        load_state(mangle(bytes(dump_state(state))))


def test_layout_is_little_endian_raw_buffers() -> None:
    _, state = _state(households=400, months=1)
    blob = dump_state(state)
    import json
    import struct

    _, length = struct.unpack_from("<8sI", blob, 0)
    header = json.loads(bytes(blob[12 : 12 + length]))
    entry = next(a for a in header["arrays"] if a["name"] == "households.deposits")
    start = (12 + length + 63) // 64 * 64 + entry["offset"]
    raw = np.frombuffer(blob, "<f8", count=400, offset=start)
    assert raw.tobytes() == state.households.deposits.tobytes()


@pytest.mark.parametrize(("households", "per_firm"), [(200, 20), (2000, 5), (50_000, 20)])
def test_stored_size_bounds_the_blob_closely(households: int, per_firm: int) -> None:
    params = SimulationParams(
        households=households, seed=1, behaviour={"households_per_firm": per_firm}
    )
    state = initial_state(params)
    for _ in range(3):
        state, _ = advance(state, params, rng_for(params.seed, state.tick))
    size = len(dump_state(state))
    assert size <= stored_size(households, params.firms) <= size + 4096
