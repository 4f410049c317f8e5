"""`python -m scripts.topology` (`make run-cloud`): start the production topology, print
where each function listens, run until Ctrl-C, then stop every process it started."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
from pathlib import Path

from scripts.topology.launcher import Options, start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="run-cloud", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", default=".aia-cloud", help="mail outbox and logs")
    parser.add_argument("--backoff-scale", type=float, default=1.0)
    args = parser.parse_args(argv)
    data_dir = Path(args.data_dir).resolve()
    passed_on = {k: v for k, v in os.environ.items() if k.startswith("AIA_")}  # AIA_ADMIN_*
    options = Options(data_dir=data_dir, backoff_scale=args.backoff_scale, env=passed_on)
    topology = start(options)
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    try:
        up = topology.timings["total_seconds"]
        print(f"run-cloud: up in {up:.1f} s; project {topology.project}")
        print(json.dumps(topology.timings, indent=2))
        for name, process in topology.fleet.processes.items():
            print(f"  {name:28} {process.url}")
        print(f"run-cloud: the API is {topology.url('api')}; logs in {data_dir / 'logs'}")
        print("run-cloud: Ctrl-C stops it")
        stopped.wait()
    except KeyboardInterrupt:
        pass
    finally:
        topology.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
