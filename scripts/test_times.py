"""Time per test group from pytest's JUnit XML (`make test` writes .nox/junit.xml):

    .venv/bin/python scripts/test_times.py [.nox/junit.xml]

A group is the first folder under tests/ (or the file, for tests at the top). With
parallel workers the sum is CPU-ish time spent in tests, more than the wall clock."""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path


def main() -> int:
    path = Path(sys.argv[1] if len(sys.argv) > 1 else ".nox/junit.xml")
    root = ET.parse(path).getroot()  # noqa: S314 - our own test report
    seconds: dict[str, float] = defaultdict(float)
    count: dict[str, int] = defaultdict(int)
    for case in root.iter("testcase"):
        parts = case.get("classname", "").split(".")
        group = parts[1] if len(parts) > 2 and parts[0] == "tests" else ".".join(parts[:2])
        seconds[group] += float(case.get("time", 0))
        count[group] += 1
    total = sum(seconds.values())
    for group, spent in sorted(seconds.items(), key=lambda kv: -kv[1]):
        print(f"{group:32} {count[group]:5} tests {spent:8.1f} s")
    print(f"{'total':32} {sum(count.values()):5} tests {total:8.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
