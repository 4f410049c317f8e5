"""Simulation: household-ticks per second at 1k, 10k, 100k and 1M households, peak
memory and stored bytes per household, state load+save time (in memory and through
the SQL store), a per-tick breakdown, cold import, and 50 simulations of 1,000
households advancing one tick each through the local runtime.

Issue 17's speed bar ("Speed stays", ADR 0041), measured in the same run on the same
machine: Mesa's household model (tests/bench/mesa_households.py, run by Mesa in its own
cached virtualenv, .cache/mesa-venv, created here when missing: never a dependency of
the project) against ours through `aia simulate` end to end (10,000 households x 600
months, start-up and writing included), target >= 50x; a 1M-household month in process
(<= 200 ms); state bytes per household (<= 200); with the machine's load.

Timings are the median of several ticks after a warm-up (and the best one, less
disturbed by other processes on a shared machine)."""

from __future__ import annotations

import csv
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
MESA_VENV = ROOT / ".cache" / "mesa-venv"
# the newest Mesa for Python 3.11 (3.4 and later need 3.12); pinned so runs compare
MESA = "mesa==3.3.1"
MESA_MODEL = Path(__file__).with_name("mesa_households.py")


def _tick_speed(households: int, ticks: int, in_place: bool = True) -> dict[str, Any]:
    """Milliseconds a month. `in_place` as every production loop advances (a run's ticks,
    an impact run, `aia simulate`: model.advance); without it, each month copies the
    household arrays first."""
    from shared.simulation.model import advance, rng_for
    from shared.simulation.params import SimulationParams
    from shared.simulation.state import initial_state

    params = SimulationParams(households=households, seed=1)
    state = initial_state(params)
    for _ in range(3):
        state, _ = advance(state, params, rng_for(1, state.tick), in_place=in_place)
    times = []
    for _ in range(ticks):
        started = time.perf_counter()
        state, _ = advance(state, params, rng_for(1, state.tick), in_place=in_place)
        times.append(time.perf_counter() - started)
    median, best = statistics.median(times), min(times)
    return {
        "in_place": in_place,
        "ticks_timed": ticks,
        "ms_per_tick_median": round(median * 1000, 3),
        "ms_per_tick_best": round(best * 1000, 3),
        "household_ticks_per_second_median": round(households / median),
        "household_ticks_per_second_best": round(households / best),
    }


def _memory(households: int) -> dict[str, Any]:
    from shared.simulation.layout import dump_state
    from shared.simulation.model import advance, rng_for
    from shared.simulation.params import SimulationParams
    from shared.simulation.state import initial_state

    params = SimulationParams(households=households, seed=1)
    state = initial_state(params)
    state, _ = advance(state, params, rng_for(1, state.tick))
    gc.collect()
    state_bytes = len(dump_state(state))
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    tracemalloc.reset_peak()
    new_state, _ = advance(state, params, rng_for(1, state.tick))
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    del new_state
    return {
        "state_bytes_per_household": round(state_bytes / households, 1),
        # what a tick allocates at its peak: the new state plus the month's temporaries
        "tick_peak_bytes_per_household": round(peak / households, 1),
        # the input state (held by the caller) plus that peak
        "peak_bytes_per_household": round((peak + state_bytes) / households, 1),
    }


def _round_trip(households: int, repeats: int) -> dict[str, Any]:
    from shared.adapters.sql.database import SqlAlchemyDatabase
    from shared.adapters.sql.migrate import migrate
    from shared.adapters.sql.simulation_store import SqlSimulationStore
    from shared.simulation.layout import dump_state, load_state
    from shared.simulation.model import advance, rng_for
    from shared.simulation.params import SimulationParams
    from shared.simulation.state import initial_state

    params = SimulationParams(households=households, seed=1)
    state = initial_state(params)
    state, _ = advance(state, params, rng_for(1, state.tick))
    blob = dump_state(state)
    dumps, loads = [], []
    for _ in range(repeats):
        started = time.perf_counter()
        blob = dump_state(state)
        dumps.append(time.perf_counter() - started)
        started = time.perf_counter()
        load_state(blob)
        loads.append(time.perf_counter() - started)
    with tempfile.TemporaryDirectory() as tmp:
        database = SqlAlchemyDatabase(f"sqlite:///{tmp}/bench.sqlite3")
        migrate(database.engine)
        store = SqlSimulationStore(database.engine)
        now = datetime.now(UTC)
        store.create(_record("bench", params, state.tick, now), _first_tick("bench", params))
        saves, reads = [], []
        tick = state.tick
        for _ in range(repeats):
            started = time.perf_counter()
            store.save_advance("bench", tick, blob, tick + 1, [], "e", {}, now)
            saves.append(time.perf_counter() - started)
            tick += 1
            started = time.perf_counter()
            stored = store.load("bench")
            load_state(stored.state if stored else b"")
            reads.append(time.perf_counter() - started)
        database.dispose()
    return {
        "stored_bytes_per_household": round(len(blob) / households, 1),
        "serialise_ms": round(statistics.median(dumps) * 1000, 3),
        "deserialise_ms": round(statistics.median(loads) * 1000, 3),
        "sqlite_save_ms": round(statistics.median(saves) * 1000, 3),
        "sqlite_load_ms": round(statistics.median(reads) * 1000, 3),
    }


def _record(
    simulation_id: str, params: Any, tick: int, now: datetime, horizon: int | None = None
) -> Any:
    from shared.simulation.store import SimulationRecord

    return SimulationRecord(
        simulation_id=simulation_id,
        owner_id="bench",
        status="queued",
        params=params,
        horizon=horizon,
        tick=tick,
        latest={},
        charged_minor=0,
        agent_id=None,
        household_months=None,
        created_at=now,
        updated_at=now,
    )


def _first_tick(simulation_id: str, params: Any) -> Any:
    from shared.events.envelope import new_event
    from shared.simulation.events import SimulationTickRequested

    return new_event(SimulationTickRequested(simulation_id=simulation_id, tick=0, params=params))


def _runtime_fan_out(simulations: int, households: int) -> dict[str, Any]:
    from shared.adapters.local.clock import ManualClock
    from shared.bootstrap import install_features
    from shared.events.envelope import new_event
    from shared.runtime.local import LocalRuntime
    from shared.settings import Settings
    from shared.simulation.events import SimulationTickRequested
    from shared.simulation.layout import dump_state
    from shared.simulation.params import SimulationParams
    from shared.simulation.state import initial_state

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), scheduler_enabled=False)
        runtime = LocalRuntime(settings, ROOT, clock=ManualClock())
        store = runtime.features.simulations
        now = runtime.platform.clock.now()
        for index in range(simulations):
            params = SimulationParams(households=households, seed=index)
            sid = f"bench-{index}"
            store.create(_record(sid, params, 0, now, horizon=1), _first_tick(sid, params))
            store.save_initial_state(sid, dump_state(initial_state(params)))
        started = time.perf_counter()
        for index in range(simulations):
            runtime.bus.publish(
                new_event(SimulationTickRequested(simulation_id=f"bench-{index}", tick=0, ticks=1))
            )
        delivered = runtime.dispatcher.drain()
        elapsed = time.perf_counter() - started
        advanced = sum(1 for i in range(simulations) if store.tick_of(f"bench-{i}") == 1)
        runtime.stop()
        install_features(None)
    return {
        "simulations": simulations,
        "households_each": households,
        "advanced": advanced,
        "deliveries": delivered,  # one tick each
        "seconds_total": round(elapsed, 3),
        "ms_per_simulation": round(elapsed / simulations * 1000, 2),
    }


def _breakdown(households: int) -> dict[str, Any]:
    from shared.simulation.layout import dump_state, load_state
    from shared.simulation.model import advance, rng_for
    from shared.simulation.params import SimulationParams
    from shared.simulation.state import initial_state

    params = SimulationParams(households=households, seed=1)
    state = initial_state(params)
    state, _ = advance(state, params, rng_for(1, state.tick))
    blob = bytes(dump_state(state))
    loads, computes, saves = [], [], []
    for _ in range(5):
        started = time.perf_counter()
        loaded = load_state(blob)
        loads.append(time.perf_counter() - started)
        started = time.perf_counter()
        new_state, _ = advance(loaded, params, rng_for(1, loaded.tick))
        computes.append(time.perf_counter() - started)
        started = time.perf_counter()
        blob = bytes(dump_state(new_state))
        saves.append(time.perf_counter() - started)
    return {
        "households": households,
        "load_ms": round(statistics.median(loads) * 1000, 3),
        "compute_ms": round(statistics.median(computes) * 1000, 3),
        "save_ms": round(statistics.median(saves) * 1000, 3),
    }


def _month_steps(households: int, months: int) -> dict[str, Any]:
    """Milliseconds a month in each step of `advance` (the functions model.py calls, timed
    by wrapping its names; the steps' total is a little above a bare month's), after a
    warm-up: where a month's time goes, for the speed bar's budget."""
    import shared.simulation.measurement as measurement
    import shared.simulation.model as model
    from shared.simulation.params import SimulationParams
    from shared.simulation.state import initial_state

    spent: dict[str, float] = {}

    def timed(name: str, step: Any) -> Any:
        def run(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return step(*args, **kwargs)
            finally:
                spent[name] = spent.get(name, 0.0) + time.perf_counter() - started

        return run

    # the steps, and within `measure` the functions it calls (the Ginis, the guard)
    steps = [
        (module, name, label + name, value)
        for module, label in ((model, ""), (measurement, "measure: "))
        for name, value in vars(module).items()
        if callable(value)
        and getattr(value, "__module__", "").startswith("shared.simulation.")
        and getattr(value, "__module__", "") != module.__name__
    ]
    params = SimulationParams(households=households, seed=1)
    state = initial_state(params)
    try:
        for module, name, label, step in steps:
            setattr(module, name, timed(label, step))
        for _ in range(5):
            state, _ = model.advance(state, params, model.rng_for(1, state.tick), in_place=True)
        spent.clear()
        started = time.perf_counter()
        for _ in range(months):
            state, _ = model.advance(state, params, model.rng_for(1, state.tick), in_place=True)
        total = time.perf_counter() - started
    finally:
        for module, name, _, step in steps:
            setattr(module, name, step)
    by_cost = sorted(spent.items(), key=lambda item: -item[1])
    return {
        "households": households,
        "months": months,
        "ms_per_month": round(total / months * 1000, 3),
        "steps_ms_per_month": {name: round(s / months * 1000, 3) for name, s in by_cost if s},
    }


def _cold_import() -> dict[str, Any]:
    code = (
        "import time; t = time.perf_counter(); import shared.simulation.handlers, "
        "shared.simulation.model; print(time.perf_counter() - t); import sys; "
        "print(int('mesa' in sys.modules), int('pandas' in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    return {
        "seconds": round(float(out[0]), 3),
        "imports_mesa": out[1] == "1",
        "imports_pandas": out[2] == "1",
    }


def _mesa_python() -> Path:
    """Mesa's interpreter, its virtualenv created (and Mesa installed from PyPI) when
    missing; kept in .cache so later runs start at once."""
    python = MESA_VENV / "bin" / "python"
    probe = [str(python), "-c", f"import mesa; assert mesa.__version__ == '{MESA.split('==')[1]}'"]
    if python.exists() and subprocess.run(probe, capture_output=True).returncode == 0:
        return python
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(MESA_VENV)], check=True)
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", MESA],
        check=True,
    )
    return python


def _mesa(households: int, ticks: int, model: str) -> dict[str, Any]:
    out = subprocess.run(
        [str(_mesa_python()), str(MESA_MODEL), str(households), str(ticks), model],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def _cli_end_to_end(households: int, months: int) -> dict[str, Any]:
    """`aia simulate` as a user runs it: a new process, start-up, the run, metrics.csv,
    the charts and the summary; timed from outside. Its CSV must read back as plain
    numbers (issue 17 found `np.float64(...)` in five columns once)."""
    with tempfile.TemporaryDirectory() as tmp:
        command = [sys.executable, "-m", "shared.cli", "simulate", "--households", str(households)]
        command += ["--ticks", str(months), "--seed", "1", "--out", tmp]
        started = time.perf_counter()
        subprocess.run(command, cwd=ROOT, capture_output=True, check=True)
        elapsed = time.perf_counter() - started
        with open(Path(tmp) / "metrics.csv", newline="") as handle:
            header, *rows = list(csv.reader(handle))
        summary = json.loads((Path(tmp) / "summary.json").read_text())
    plain = all(_is_number(field) or field == "" for row in rows for field in row)
    return {
        "households": households,
        "months": months,
        "seconds_end_to_end": round(elapsed, 2),
        "seconds_in_the_model": summary["seconds"],
        "seconds_writing": summary["seconds_writing"],  # metrics.csv and the charts
        # interpreter and imports, the initial state, the summary, exit
        "seconds_start_up_and_rest": round(
            elapsed - summary["seconds"] - summary["seconds_writing"], 2
        ),
        "household_ticks_per_second": round(households * months / elapsed),
        "csv_rows": len(rows),
        "csv_columns": len(header),
        "csv_plain_numbers": plain,
    }


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _month_cost(sizes: tuple[int, ...], months: int) -> dict[str, Any]:
    """A month's cost split into what every month pays whatever its size (Python, numpy's
    call overhead, the firms' and sectors' small arrays) and what each household adds: a
    least-squares line through the median month at each size (`_tick_speed`). The
    per-household part is the floor no cut of overhead goes below (ADR 0054)."""
    median = {n: _tick_speed(n, months)["ms_per_tick_median"] for n in sizes}
    slope, intercept = statistics.linear_regression(list(median), list(median.values()))
    return {
        "ms_per_month_median": {f"{n:,}": ms for n, ms in median.items()},
        "fixed_ms_per_month": round(intercept, 3),
        "us_per_household_month": round(slope * 1000, 4),
    }


def _fifty_x_bound(
    matched: dict[str, Any], ours: dict[str, Any], cost: dict[str, Any]
) -> dict[str, Any]:
    """What 50x Mesa asks of `aia simulate`, against what its parts cost: the whole run
    must fit in `seconds_allowed`; the months' per-household work alone (no fixed cost
    at all), with today's start-up and writing, takes `seconds_at_zero_overhead`."""
    work = ours["households"] * ours["months"]
    allowed = work / (50 * matched["household_ticks_per_second"])
    months_floor = cost["us_per_household_month"] * 1e-6 * work
    rest = ours["seconds_writing"] + ours["seconds_start_up_and_rest"]
    return {
        "seconds_allowed": round(allowed, 3),
        "seconds_households_work_alone": round(months_floor, 3),
        "seconds_start_up_and_writing": round(rest, 3),
        "seconds_at_zero_overhead": round(months_floor + rest, 3),
        "reachable_by_cutting_overhead": months_floor + rest <= allowed,
    }


def _speed_bar(quick: bool) -> dict[str, Any]:
    """Issue 17's "Speed stays" figures, from a fresh run at the end of the bench."""
    load_before = os.getloadavg()
    # matched: our households' monthly steps today written for Mesa (the comparison);
    # early: the same as of ADR 0041, before the markets and credit of issue 17 (kept
    # so figures compare across sessions); minimal: income, consumption and savings
    # alone (a lower bound on Mesa's cost)
    matched = _mesa(10_000, 10 if quick else 30, "matched")
    early = _mesa(10_000, 10 if quick else 30, "early")
    minimal = _mesa(10_000, 20 if quick else 100, "minimal")
    ours = _cli_end_to_end(10_000, 120 if quick else 600)
    ratio = ours["household_ticks_per_second"] / matched["household_ticks_per_second"]
    ratio_early = ours["household_ticks_per_second"] / early["household_ticks_per_second"]
    ratio_minimal = ours["household_ticks_per_second"] / minimal["household_ticks_per_second"]
    cost = _month_cost(
        (1_000, 10_000) if quick else (1_000, 3_000, 10_000, 30_000), 20 if quick else 100
    )
    month = _tick_speed(1_000_000, 2 if quick else 7)
    copying = _tick_speed(1_000_000, 2 if quick else 5, in_place=False)
    state = _memory(100_000 if quick else 1_000_000)["state_bytes_per_household"]
    return {
        "mesa_10k_matched": matched,
        "mesa_10k_early": early,
        "mesa_10k_minimal": minimal,
        "aia_simulate_10k": ours,
        "vs_mesa": round(ratio, 1),
        "vs_mesa_early": round(ratio_early, 1),
        "vs_mesa_minimal": round(ratio_minimal, 1),
        "month_cost": cost,
        "fifty_x_bound": _fifty_x_bound(matched, ours, cost),
        "month_1m_ms_median": month["ms_per_tick_median"],
        "month_1m_ms_best": month["ms_per_tick_best"],
        # the same month when the input state is kept (each month copies its arrays)
        "month_1m_ms_median_copying": copying["ms_per_tick_median"],
        "state_bytes_per_household": state,
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "targets_met": {
            "at_least_50x_mesa": ratio >= 50,
            "1M_month_at_most_200ms": month["ms_per_tick_median"] <= 200,
            "state_at_most_200B_per_household": state <= 200,
            "csv_plain_numbers": ours["csv_plain_numbers"],
        },
    }


def run(quick: bool = False) -> dict[str, Any]:
    sizes = {1_000: 200, 10_000: 100, 100_000: 20, 1_000_000: 5}
    if quick:
        sizes = {1_000: 30, 10_000: 20, 100_000: 5}
    speed = {f"{n:,}": _tick_speed(n, ticks) for n, ticks in sizes.items()}
    ten_k = speed["10,000"]["household_ticks_per_second_median"]
    results: dict[str, Any] = {
        "tick_speed": speed,
        "memory": {f"{n:,}": _memory(n) for n in ([100_000] if quick else [100_000, 1_000_000])},
        "state_round_trip": {
            f"{n:,}": _round_trip(n, 3 if quick else 5)
            for n in ([100_000] if quick else [100_000, 1_000_000])
        },
        "tick_breakdown": _breakdown(100_000),
        "month_steps": _month_steps(10_000, 30 if quick else 100),
        "cold_import": _cold_import(),
        "runtime_50_simulations": _runtime_fan_out(50, 1_000),
    }
    targets = {
        "100k_tick_under_20ms": speed["100,000"]["ms_per_tick_median"] < 20,
        "10k_at_least_5M_per_s": ten_k >= 5e6,
        "memory_at_most_600B_per_household": all(
            m["peak_bytes_per_household"] <= 600 for m in results["memory"].values()
        ),
        "stored_at_most_200B_per_household": all(
            r["stored_bytes_per_household"] <= 200 for r in results["state_round_trip"].values()
        ),
        "50_simulations_under_1s": results["runtime_50_simulations"]["seconds_total"] < 1.0,
    }
    if "1,000,000" in speed:
        targets["1M_tick_under_200ms"] = speed["1,000,000"]["ms_per_tick_median"] < 200
    results["targets_met"] = targets
    # last, fresh: issue 17's bar, with Mesa measured now on this machine
    results["speed_bar"] = _speed_bar(quick)
    return results
