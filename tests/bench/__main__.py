"""Run the benchmarks: `python -m tests.bench [names...] [--quick]`."""

from __future__ import annotations

import argparse
import importlib
import json
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).parent
OUT = HERE.parents[1] / "bench-results"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("names", nargs="*", help="bench modules to run (default: all)")
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    args = parser.parse_args()
    # as every process that runs the functions sets it (build_platform, `aia`): the
    # in-process months below are timed with the allocator production uses
    from shared.runtime.allocator import keep_freed_memory

    keep_freed_memory()
    available = sorted(p.stem.removeprefix("bench_") for p in HERE.glob("bench_*.py"))
    chosen = args.names or available
    OUT.mkdir(exist_ok=True)
    for name in chosen:
        if name not in available:
            print(f"unknown benchmark {name}; available: {', '.join(available)}")
            return 2
        module = importlib.import_module(f"tests.bench.bench_{name}")
        load_before = _load()
        started = time.perf_counter()
        result = module.run(quick=args.quick)
        record = {
            "benchmark": name,
            "at": datetime.now(UTC).isoformat(),
            "quick": args.quick,
            "machine": {"python": sys.version.split()[0], "cpus": _cpus(), **_uname()},
            # other work on a shared machine slows every figure: read them with the load
            "load_average_before": load_before,
            "load_average_after": _load(),
            "wall_seconds": round(time.perf_counter() - started, 3),
            "results": result,
        }
        path = OUT / f"{name}.json"
        path.write_text(json.dumps(record, indent=2))
        print(f"{name}: wrote {path}")
        print(json.dumps(result, indent=2))
    return 0


def _cpus() -> int:
    import os

    return os.cpu_count() or 1


def _load() -> list[float]:
    import os

    return [round(x, 2) for x in os.getloadavg()]


def _uname() -> dict[str, str]:
    u = platform.uname()
    return {"system": u.system, "machine": u.machine}


if __name__ == "__main__":
    sys.exit(main())
