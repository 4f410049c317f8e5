"""Benchmarks (`nox -s bench`). Each module here named `bench_*.py` exposes
`run(quick: bool) -> dict`; the runner writes each result to bench-results/<name>.json."""
