"""`aia simulate`: run a simulation in-process, with a progress bar on stderr, and
write its monthly metrics (CSV), charts (SVG) and a summary (JSON) to a directory.
`aia compare DIR DIR`: two or more such directories side by side.

A mistake in the input is one line on stderr naming what is wrong (exit status 2),
never a traceback or a validation dump."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any, TextIO

from pydantic import ValidationError

from shared.charts import Series, compact, line_chart, percent
from shared.simulation.comparison import DEFAULT_METRICS, MAX_RUNS, Run, compare
from shared.simulation.guards import EconomyDiverged
from shared.simulation.indicators import METRIC_INFO, TickMetrics
from shared.simulation.metric_charts import metric_chart
from shared.simulation.metrics_csv import read_metrics_csv, write_metrics_csv
from shared.simulation.model import advance, rng_for
from shared.simulation.model_version import FIRST_MODEL_VERSION, MODEL_VERSION
from shared.simulation.params import SimulationParams
from shared.simulation.state import initial_state

USAGE_ERROR = 2
DIVERGED = 1  # the run failed, not the input
COLUMN = 20  # characters per column of the comparison table


def add_simulate_parser(sub: Any) -> None:
    parser = sub.add_parser(
        "simulate",
        help="run a household economy in-process",
        description="Run a household economy in-process and write metrics.csv, "
        "charts/*.svg and summary.json to --out.",
    )
    parser.add_argument(
        "--households",
        type=int,
        default=10_000,
        help="household slots, 100 to 2,000,000 (default 10,000)",
    )
    parser.add_argument("--ticks", type=int, default=240, help="months to simulate (default 240)")
    parser.add_argument(
        "--seed", type=int, default=0, help="random seed: same seed, same run (default 0)"
    )
    parser.add_argument(
        "--out", default="simulation-out", help="directory for the results (default simulation-out)"
    )
    parser.add_argument(
        "--policy", default="{}", help='policy as JSON, e.g. \'{"fiscal": {"basic_income": 0.1}}\''
    )
    parser.add_argument(
        "--save-state", action="store_true", help="also write the final state (state.aiasim)"
    )
    parser.set_defaults(func=simulate)

    compare_parser = sub.add_parser(
        "compare",
        help="compare the results of two or more `aia simulate` runs",
        description="Align the runs' months and print each summary figure's difference "
        "from the first run (the baseline).",
    )
    compare_parser.add_argument(
        "dirs",
        nargs="+",
        metavar="DIR",
        help=f"an `aia simulate --out` directory (2 to {MAX_RUNS})",
    )
    compare_parser.add_argument(
        "--metrics",
        default=",".join(DEFAULT_METRICS),
        help="comma-separated metrics to compare (default: the headline figures)",
    )
    compare_parser.add_argument(
        "--out", default=None, help="also write comparison.json and one chart per metric here"
    )
    compare_parser.set_defaults(func=compare_dirs)


def _fail(command: str, message: str) -> int:
    print(f"aia {command}: {message}", file=sys.stderr)
    return USAGE_ERROR


def parse_policy(text: str, params: SimulationParams) -> SimulationParams:
    """`--policy` applied to `params`; ValueError with one line naming the field at fault."""
    try:
        changes = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"--policy is not JSON: {exc.msg} at character {exc.pos}") from None
    if not isinstance(changes, dict):
        raise ValueError('--policy must be a JSON object, e.g. {"fiscal": {"basic_income": 0.1}}')
    try:
        return params.with_policy_changes(changes)
    except ValidationError as exc:
        raise ValueError(f"--policy {_first_error(exc)}") from None


def _first_error(exc: ValidationError) -> str:
    errors = exc.errors(include_url=False)
    first = errors[0]
    field = ".".join(str(p) for p in first["loc"])
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{field}: {first['msg']}{more}"


def simulate(args: argparse.Namespace) -> int:
    try:
        params = SimulationParams(households=args.households, seed=args.seed)
    except ValidationError as exc:
        return _fail("simulate", f"--{_first_error(exc)}")
    try:
        params = parse_policy(args.policy, params)
    except ValueError as exc:
        return _fail("simulate", str(exc))
    if args.ticks < 1:
        return _fail("simulate", "--ticks must be at least 1")
    out = Path(args.out)
    try:
        (out / "charts").mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return _fail("simulate", f"cannot write to {out}: {exc.strerror}")
    try:
        records, state, seconds = run(params, args.ticks, progress=sys.stderr)
    except EconomyDiverged as exc:
        print(f"\naia simulate: {exc}; nothing written", file=sys.stderr)
        return DIVERGED
    writing = time.perf_counter()
    rows = [record.as_dict() for record in records]
    with (out / "metrics.csv").open("w", newline="") as handle:
        write_metrics_csv(rows, handle)
    for metric in METRIC_INFO:
        svg = metric_chart(metric, rows, params.households, params.seed)
        (out / "charts" / f"{metric}.svg").write_text(svg)
    if args.save_state:
        from shared.simulation.layout import dump_state

        (out / "state.aiasim").write_bytes(dump_state(state))
    summary = {
        "model_version": MODEL_VERSION,
        "parameters": params.model_dump(mode="json"),
        "ticks": args.ticks,
        "seconds": round(seconds, 3),
        # the CSV and the charts (and the state): with start-up, what a run costs besides
        # its months (tests/bench reads them apart)
        "seconds_writing": round(time.perf_counter() - writing, 3),
        "household_ticks_per_second": round(params.households * args.ticks / max(seconds, 1e-9)),
        "last": rows[-1],
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
        state, metrics = advance(state, params, rng_for(params.seed, state.tick), in_place=True)
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


def compare_dirs(args: argparse.Namespace) -> int:
    if not 2 <= len(args.dirs) <= MAX_RUNS:
        return _fail("compare", f"give 2 to {MAX_RUNS} directories, not {len(args.dirs)}")
    metrics = [m.strip() for m in args.metrics.split(",") if m.strip()]
    runs = []
    for directory in args.dirs:
        try:
            runs.append(read_run(Path(directory)))
        except (OSError, ValueError) as exc:
            return _fail("compare", str(exc))
    try:
        comparison = compare(runs, metrics)
    except ValueError as exc:
        return _fail("compare", f"--metrics: {exc}")
    print(comparison_table(comparison))
    if args.out:
        write_comparison(Path(args.out), comparison)
        print(f"wrote {args.out}/comparison.json and {len(metrics)} charts", file=sys.stderr)
    return 0


def read_run(directory: Path) -> Run:
    """A run from the directory `aia simulate --out` wrote."""
    csv_path, summary_path = directory / "metrics.csv", directory / "summary.json"
    for path in (csv_path, summary_path):
        if not path.is_file():
            raise ValueError(f"{directory} is not an `aia simulate` output: no {path.name}")
    try:
        with csv_path.open(newline="") as handle:
            records = read_metrics_csv(handle)
        summary = json.loads(summary_path.read_text())
        parameters = summary["parameters"]
        households, seed = int(parameters["households"]), int(parameters["seed"])
        # written before model versions were kept: model 1
        model = int(summary.get("model_version", FIRST_MODEL_VERSION))
    except (KeyError, TypeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{summary_path}: unreadable ({exc})") from None
    except ValueError as exc:
        raise ValueError(f"{csv_path}: {exc}") from None
    return Run(str(directory), households, seed, records, model)


def comparison_table(comparison: dict[str, Any]) -> str:
    """Each metric's last shared month per run, and the difference from the baseline."""
    runs, differences = comparison["runs"], comparison["differences"]
    ticks = comparison["ticks"]
    headings = [_short(r["id"]) for r in runs] + [
        "diff " + _short(d["id"], 13) for d in differences
    ]
    lines = [
        f"baseline {comparison['baseline']}; {len(ticks)} months compared"
        + (f" (last month {ticks[-1]})" if ticks else ""),
        *([comparison["note"]] if comparison.get("note") else []),
        "metric".ljust(22) + "".join(f"{h:>{COLUMN}}" for h in headings),
    ]
    for metric in comparison["series"]:
        info = METRIC_INFO.get(metric)
        shown = percent if info is not None and info.percent else compact
        cells = [r["last"][metric] for r in runs] + [d["last"][metric] for d in differences]
        lines.append(metric.ljust(22) + "".join(f"{_cell(v, shown):>{COLUMN}}" for v in cells))
    return "\n".join(lines)


def write_comparison(out: Path, comparison: dict[str, Any]) -> None:
    (out / "charts").mkdir(parents=True, exist_ok=True)
    (out / "comparison.json").write_text(json.dumps(comparison, indent=2))
    years = [tick / 12 for tick in comparison["ticks"]]
    for metric, by_run in comparison["series"].items():
        info = METRIC_INFO.get(metric)
        series = [
            Series(
                _short(run, 40),
                [(x, float(v)) for x, v in zip(years, values, strict=True) if v is not None],
            )
            for run, values in by_run.items()
        ]
        svg = line_chart(
            info.title if info else metric,
            series,
            x_title="Simulated years",
            y_title=info.unit if info else "",
            y_format=percent if info is not None and info.percent else compact,
            no_data_text="no data yet",
        )
        (out / "charts" / f"{metric}.svg").write_text(svg)


def _short(text: str, width: int = COLUMN - 2) -> str:
    return text if len(text) <= width else "…" + text[-(width - 1) :]


def _cell(value: float | None, shown: Any) -> str:
    return "-" if value is None else str(shown(value))
