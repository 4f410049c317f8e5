"""`aia simulate`: run a simulation in-process, with a progress bar on stderr, and
write its monthly metrics (CSV), charts (SVG) and a summary (JSON) to a directory."""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path
from typing import Any, TextIO

from pydantic import ValidationError

from shared.charts import Series, compact, line_chart, percent
from shared.simulation.indicators import METRIC_FIELDS, METRIC_INFO, TickMetrics
from shared.simulation.layout import dump_state
from shared.simulation.model import advance, rng_for
from shared.simulation.params import SimulationParams
from shared.simulation.state import initial_state


def add_simulate_parser(sub: Any) -> None:
    parser = sub.add_parser("simulate", help="run a household economy in-process")
    parser.add_argument("--households", type=int, default=10_000)
    parser.add_argument("--ticks", type=int, default=240, help="months to simulate")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default="simulation-out", help="directory for the results")
    parser.add_argument(
        "--policy", default="{}", help='policy as JSON, e.g. \'{"fiscal": {"basic_income": 0.1}}\''
    )
    parser.add_argument("--save-state", action="store_true", help="also write the final state")
    parser.set_defaults(func=simulate)


def simulate(args: argparse.Namespace) -> int:
    try:
        params = SimulationParams(households=args.households, seed=args.seed)
        params = params.with_policy_changes(json.loads(args.policy))
    except (ValidationError, ValueError) as exc:
        print(f"aia simulate: invalid parameters: {exc}", file=sys.stderr)
        return 2
    if args.ticks < 1:
        print("aia simulate: --ticks must be at least 1", file=sys.stderr)
        return 2
    out = Path(args.out)
    (out / "charts").mkdir(parents=True, exist_ok=True)
    records, state, seconds = run(params, args.ticks, progress=sys.stderr)
    write_csv(out / "metrics.csv", records)
    for metric, info in METRIC_INFO.items():
        svg = line_chart(
            info.title,
            [Series(info.title, [(r.tick / 12, float(getattr(r, metric))) for r in records])],
            x_title="Simulated years",
            y_title=info.unit,
            y_format=percent if info.percent else compact,
            subtitle=f"{params.households:,} households, seed {params.seed}",
            no_data_text="no data yet",
        )
        (out / "charts" / f"{metric}.svg").write_text(svg)
    if args.save_state:
        (out / "state.aiasim").write_bytes(dump_state(state))
    summary = {
        "parameters": params.model_dump(mode="json"),
        "ticks": args.ticks,
        "seconds": round(seconds, 3),
        "household_ticks_per_second": round(params.households * args.ticks / max(seconds, 1e-9)),
        "last": records[-1].as_dict(),
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=2))
    print(f"wrote {out}/metrics.csv, {len(METRIC_INFO)} charts and summary.json", file=sys.stderr)
    return 0


def run(
    params: SimulationParams, ticks: int, progress: TextIO | None = None
) -> tuple[list[TickMetrics], Any, float]:
    state = initial_state(params)
    records: list[TickMetrics] = []
    started = time.perf_counter()
    shown = 0.0
    for done in range(1, ticks + 1):
        state, metrics = advance(state, params, rng_for(params.seed, state.tick))
        records.append(metrics)
        now = time.perf_counter()
        if progress is not None and (now - shown > 0.1 or done == ticks):
            shown = now
            progress.write(_bar(done, ticks, now - started))
            progress.flush()
    if progress is not None:
        progress.write("\n")
    return records, state, time.perf_counter() - started


def _bar(done: int, total: int, elapsed: float, width: int = 30) -> str:
    filled = int(width * done / total)
    per_tick = elapsed / done
    eta = per_tick * (total - done)
    return (
        f"\rsimulate [{'#' * filled}{'.' * (width - filled)}] {done * 100 // total:3d}% "
        f"month {done}/{total}  {per_tick * 1000:.1f} ms/month  eta {eta:.1f} s "
    )


def write_csv(path: Path, records: list[TickMetrics]) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(METRIC_FIELDS)
        for record in records:
            writer.writerow([repr(value) for value in record.as_dict().values()])
