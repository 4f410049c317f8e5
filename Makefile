# Two commands for a newcomer: `make run` and `make test`. Both install what they need.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
# the web app's front-end packages, from npm at build time (docs/decisions/0023-web-stack.md)
WEB_ASSETS := shared/web/static/vendor/htmx.min.js
# executes workflows/ locally; tests/workflows/test_emulator_hooks.py holds it to this pin
WORKFLOWS_EMULATOR := workflows-emulator==1.10.0

.PHONY: install run run-cloud test emulators tools lint typecheck unit bench clean

$(INSTALLED): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,local]'
	@# --no-deps: the emulator's fastapi pin would downgrade starlette; what its library
	@# needs is the `local` extra above (not in the production image)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps '$(WORKFLOWS_EMULATOR)'
	@touch $@

$(WEB_ASSETS): web/package.json web/package-lock.json scripts/build-web.sh
	bash scripts/build-web.sh

install: $(INSTALLED) $(WEB_ASSETS)

## Start the whole platform on http://127.0.0.1:$${PORT:-8080} with embedded backends.
run: export AIA_ADMIN_EMAIL ?= admin@013a.tech
run: export AIA_ADMIN_PASSWORD ?= aia-local-operator-2026
run: install
	$(BIN)/aia serve

## The production topology on this machine: one functions-framework process per function,
## the Google Cloud stand-ins, PostgreSQL and Redis, AIA_BACKEND=gcp (docs/decisions/0035).
run-cloud: export AIA_ADMIN_EMAIL ?= admin@013a.tech
run-cloud: export AIA_ADMIN_PASSWORD ?= aia-local-operator-2026
run-cloud: install emulators
	$(BIN)/python -m scripts.topology

## Install the local stand-ins for Google Cloud services used by the contract tests.
emulators: install
	bash scripts/install-emulators.sh

## Install the infra tools (checkov, python-hcl2, promtool, k6) used by tests/infra, and
## Debian's chromium + chromium-driver for the browser tests (tests/web).
tools: install
	bash scripts/install-tools.sh

## Lint, type-check and run the whole test suite. The stand-ins and the tools install side
## by side (each mostly waits on the network; their files do not overlap), each one's output
## printed whole when it ends.
test: install
	$(MAKE) --no-print-directory -j2 --output-sync=target emulators tools
	$(BIN)/nox --no-venv -s lint typecheck tests

lint typecheck bench: install
	$(BIN)/nox --no-venv -s $@

clean:
	rm -rf $(VENV) .emulators .nox .aia-data .pytest_cache .mypy_cache .ruff_cache
