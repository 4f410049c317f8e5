"""Policy answers: comparative statics of the household economy over seeds, with
intervals (`python -m tests.simulation.policy_answers`): each policy change against the
default policy, seed by seed (a pair shares its seed, so their difference is the
change's effect, not luck), written to bench-results/policy_answers.json and printed
as the markdown table docs/economy.md shows. tests/simulation/test_policy_answers.py
checks each answer's sign at a size `make test` affords.

Effects are changed minus baseline, per seed; the table gives their mean over the
seeds and a 95 % interval (Student t on the seeds' spread). Rates are means over the
measured months; public debt and the AIA supply are stocks, read over the last 12
months; real GDP is a relative change."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from shared.simulation.params import DEFAULT_BRACKETS, FiscalPolicy, SimulationParams
from shared.simulation.state import MONTHS
from tests.simulation.stylised import Run, simulate

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "bench-results" / "policy_answers.json"
HOUSEHOLDS = 10_000
MEASURED_MONTHS = 480
BURN_IN = 120
SEEDS = (1, 2, 3, 4, 5)
# two-sided 95 % Student t quantiles by degrees of freedom (seeds - 1)
T_975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262}


@dataclass(frozen=True)
class Outcome:
    name: str
    unit: str
    read: Callable[[Run], float]


def _mean(metric: str) -> Callable[[Run], float]:
    return lambda run: float(run.series(metric).mean())


def _last_year(metric: str) -> Callable[[Run], float]:
    return lambda run: float(run.series(metric)[-12:].mean())


def _peak_unemployment(run: Run) -> float:
    """The worst year's unemployment from the change on, burn-in included: the burn-in
    lets the default economy settle, but a changed policy applies from month 0, and a
    slump it causes at first would otherwise not show."""
    u = np.array([r.unemployment_rate for r in run.records])
    return float(u[: u.size // MONTHS * MONTHS].reshape(-1, MONTHS).mean(axis=1).max())


OUTCOMES: tuple[Outcome, ...] = (
    Outcome("unemployment", "pp", _mean("unemployment_rate")),
    Outcome("worst year's unemployment (from month 0)", "pp", _peak_unemployment),
    Outcome("inflation", "pp", _mean("inflation")),
    Outcome("real GDP", "%", _mean("gdp_real")),
    Outcome("income Gini", "points", _mean("gini_income")),
    Outcome("wealth Gini", "points", _mean("gini_wealth")),
    Outcome("public debt / GDP (last year)", "pp", _last_year("public_debt_ratio")),
    Outcome("AIA supply (last year)", "%", _last_year("aia_supply")),
)


@dataclass(frozen=True)
class Change:
    name: str
    policy: dict[str, Any]


def _top_rate(rate: float) -> dict[str, Any]:
    brackets = [b.model_dump() for b in DEFAULT_BRACKETS]
    brackets[-1]["rate"] = rate
    return {"fiscal": {"tax_brackets": brackets}}


# the issue asks for 1.0 (one average wage), the bound since ADR 0040's budget (ADR 0036 had 0.5)
MAX_BASIC_INCOME = float(
    next(m.le for m in FiscalPolicy.model_fields["basic_income"].metadata if hasattr(m, "le"))
)

CHANGES: tuple[Change, ...] = (
    Change("top tax rate 45 % -> 65 %", _top_rate(0.65)),
    Change("basic income 0.2 average wages", {"fiscal": {"basic_income": 0.2}}),
    Change(
        f"basic income {MAX_BASIC_INCOME:g} average wages (the bound)",
        {"fiscal": {"basic_income": MAX_BASIC_INCOME}},
    ),
    Change("inflation target 2 % -> 4 %", {"monetary": {"inflation_target": 0.04}}),
    Change("AIA issuance 4 % -> 10 % a year", {"tokens": {"issuance_rate": 0.10}}),
)


def outcomes(run: Run) -> dict[str, float]:
    return {o.name: o.read(run) for o in OUTCOMES}


def run_case(households: int, months: int, burn_in: int, seed: int, change: str) -> dict[str, Any]:
    """The outcomes of one seed under one policy ("" for the default). A worker's job."""
    params = SimulationParams(households=households, seed=seed)
    if change:
        params = params.with_policy_changes(next(c for c in CHANGES if c.name == change).policy)
    return {
        "seed": seed,
        "change": change,
        "outcomes": outcomes(simulate(households, burn_in + months, seed, burn_in, params)),
    }


def effect(base: dict[str, float], changed: dict[str, float], outcome: Outcome) -> float:
    """Changed minus base in the outcome's unit."""
    a, b = base[outcome.name], changed[outcome.name]
    if outcome.unit == "%":
        return 100 * (b / a - 1)
    return 100 * (b - a)  # pp of a fraction, or Gini points (0.01 = 1 point)


def interval(values: list[float]) -> dict[str, float]:
    x = np.array(values)
    mean = float(x.mean())
    half = (
        T_975.get(x.size - 1, 1.96) * float(x.std(ddof=1)) / np.sqrt(x.size) if x.size > 1 else 0.0
    )
    return {"mean": round(mean, 3), "low": round(mean - half, 3), "high": round(mean + half, 3)}


def policy_answers(
    households: int, months: int, burn_in: int, seeds: tuple[int, ...]
) -> dict[str, Any]:
    load_before = os.getloadavg()
    started = time.perf_counter()
    jobs = [(s, c) for c in ["", *(c.name for c in CHANGES)] for s in seeds]
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        futures = [pool.submit(run_case, households, months, burn_in, s, c) for s, c in jobs]
        cases = [f.result() for f in futures]
    by = {(c["change"], c["seed"]): c["outcomes"] for c in cases}
    answers = []
    for change in CHANGES:
        effects = {
            o.name: {
                "unit": o.unit,
                "per_seed": [round(effect(by["", s], by[change.name, s], o), 4) for s in seeds],
            }
            for o in OUTCOMES
        }
        for e in effects.values():
            e.update(interval(e["per_seed"]))
        answers.append({"change": change.name, "policy": change.policy, "effects": effects})
    baseline = {o.name: interval([by["", s][o.name] for s in seeds]) for o in OUTCOMES}
    return {
        "households": households,
        "measured_months": months,
        "burn_in_months": burn_in,
        "seeds": list(seeds),
        "baseline": baseline,
        "answers": answers,
        "wall_seconds": round(time.perf_counter() - started, 1),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }


def table(result: dict[str, Any]) -> str:
    header = [f"{o.name} ({o.unit})" for o in OUTCOMES]
    lines = ["| change | " + " | ".join(header) + " |", "|---|" + "---|" * len(header)]
    for answer in result["answers"]:
        cells = [
            f"{e['mean']:+.2f} [{e['low']:+.2f}, {e['high']:+.2f}]"
            for e in answer["effects"].values()
        ]
        lines.append(f"| {answer['change']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--households", type=int, default=HOUSEHOLDS)
    parser.add_argument("--months", type=int, default=MEASURED_MONTHS, help="measured months")
    parser.add_argument("--burn-in", type=int, default=BURN_IN)
    parser.add_argument("--seeds", default=",".join(map(str, SEEDS)))
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    seeds = tuple(int(s) for s in args.seeds.split(","))
    result = policy_answers(args.households, args.months, args.burn_in, seeds)
    record = {"benchmark": "policy_answers", "at": datetime.now(UTC).isoformat(), "results": result}
    args.out.parent.mkdir(exist_ok=True)
    args.out.write_text(json.dumps(record, indent=2))
    markdown = table(result)
    args.out.with_suffix(".md").write_text(markdown + "\n")
    print(markdown)
    print(
        f"\nchanged minus default policy, mean over seeds {seeds} [95 % interval]; "
        f"{result['households']:,} households x {result['measured_months']} months after "
        f"{result['burn_in_months']}; load average {result['load_average_before']} -> "
        f"{result['load_average_after']}; {result['wall_seconds']} s; wrote {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
