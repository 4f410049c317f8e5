#!/usr/bin/env bash
# Install the local stand-ins for Google Cloud services into .emulators/ (gitignored):
#
#   .emulators/venv       the stand-ins' own Python venv (kept apart from .venv: cloudbox
#                         pins and patches are not the project's), holding
#                           cloudbox 0.2.3              Pub/Sub (gRPC+REST), Secret Manager
#                           gcloud-tasks-emulator 0.6.2 Cloud Tasks
#   .emulators/firestore  npm @firestore-emulator/server 0.3.15 (Firestore, gRPC)
#   .emulators/stamps     one file per stand-in installed completely
#
# Needs only python3 (3.11+, with venv), node 20 and npm; reaches PyPI and the npm
# registry. Idempotent: a stand-in whose stamp exists is skipped. `--force` reinstalls.
# Launchers and the tests that start them: tests/emulators/, tests/contract/.
# Why each step looks the way it does: docs/decisions/0003-gcp-stand-ins.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="$ROOT/.emulators"
VENV="$DIR/venv"
STAMPS="$DIR/stamps"
PYTHON3="${PYTHON3:-python3}"

CLOUDBOX_VERSION=0.2.3
TASKS_VERSION=0.6.2
FIRESTORE_VERSION=0.3.15

started=$SECONDS
say() { printf 'install-emulators: %s\n' "$*"; }
die() { printf 'install-emulators: %s\n' "$*" >&2; exit 1; }

command -v "$PYTHON3" >/dev/null || die "python3 is required"
command -v node >/dev/null || die "node (20) is required for the Firestore stand-in"
command -v npm >/dev/null || die "npm is required for the Firestore stand-in"
"$PYTHON3" -c 'import sys, venv; sys.exit(sys.version_info < (3, 11))' \
  || die "python3 must be 3.11 or newer, with the venv module"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
[[ "$node_major" -ge 18 ]] || die "node $node_major is too old: the Firestore stand-in needs 18+"

if [[ "${1:-}" == "--force" ]]; then
  say "--force: removing $DIR"
  rm -rf "$DIR"
fi
mkdir -p "$STAMPS"

# Versions the contract tests were run with (cloudbox's own requirements are open-ended).
cat >"$DIR/constraints.txt" <<'EOF'
cloudbox==0.2.3
gcloud-tasks-emulator==0.6.2
annotated-types==0.8.0
anyio==4.16.0
croniter==7.0.0
duckdb==2.0.1
fastapi==0.165.0
google-api-core==2.44.0
google-auth==2.63.0
google-cloud-pubsub==2.44.0
google-cloud-tasks==2.26.0
googleapis-common-protos==1.76.0
grpc-google-iam-v1==0.14.6
grpcio==1.85.3
grpcio-status==1.85.3
httpx==0.28.1
proto-plus==1.29.0
protobuf==7.36.2
pydantic==2.14.4
pydantic_core==2.50.5
python-multipart==0.0.34
PyYAML==6.0.4
starlette==1.10.0
uvicorn==0.54.0
EOF

if [[ ! -x "$VENV/bin/python" ]]; then
  say "creating $VENV"
  "$PYTHON3" -m venv "$VENV"
fi
pip() { "$VENV/bin/python" -m pip --disable-pip-version-check -qq "$@" -c "$DIR/constraints.txt"; }

# --- cloudbox: Pub/Sub + Secret Manager -------------------------------------------------
stamp="$STAMPS/cloudbox-$CLOUDBOX_VERSION"
if [[ ! -f "$stamp" ]]; then
  say "cloudbox $CLOUDBOX_VERSION (PyPI)"
  # It declares Requires-Python >= 3.14 but runs on 3.11 once its annotations are
  # postponed (PEP 563): annotations like `list[str]` inside a class that defines a
  # method named `list` are evaluated at definition time on 3.11 and fail.
  pip install --ignore-requires-python "cloudbox==$CLOUDBOX_VERSION"
  "$VENV/bin/python" - <<'EOF'
import pathlib
import cloudbox

marker = "from __future__ import annotations  # added by scripts/install-emulators.sh (PEP 563)\n"
patched = 0
for path in sorted(pathlib.Path(cloudbox.__file__).parent.rglob("*.py")):
    source = path.read_text()
    if not source.strip() or "from __future__ import annotations" in source:
        continue
    if "from __future__" in source:
        raise SystemExit(f"{path}: has another __future__ import; patch it by hand")
    path.write_text(marker + source)  # before the docstring is allowed; nothing else is
    patched += 1
print(f"install-emulators: cloudbox: postponed annotations in {patched} modules")
EOF
  "$VENV/bin/python" -c 'import cloudbox.main as m; m._build_configs()' \
    || die "cloudbox does not import after the PEP 563 patch"
  touch "$stamp"
fi

# --- gcloud-tasks-emulator: Cloud Tasks ----------------------------------------------------
stamp="$STAMPS/gcloud-tasks-emulator-$TASKS_VERSION"
if [[ ! -f "$stamp" ]]; then
  say "gcloud-tasks-emulator $TASKS_VERSION (PyPI)"
  # Its protobuf<5 pin is wrong: it runs with protobuf 7, so its dependencies go in by hand.
  pip install "google-cloud-tasks>=2.17,<3" "grpcio>=1.29" "pyyaml>=5.3.1"
  pip install --no-deps "gcloud-tasks-emulator==$TASKS_VERSION"
  "$VENV/bin/python" -c 'import gcloud_tasks_emulator.server' \
    || die "gcloud-tasks-emulator does not import"
  touch "$stamp"
fi

# --- @firestore-emulator/server: Firestore -------------------------------------------------
stamp="$STAMPS/firestore-emulator-server-$FIRESTORE_VERSION"
if [[ ! -f "$stamp" ]]; then
  say "@firestore-emulator/server $FIRESTORE_VERSION (npm)"
  mkdir -p "$DIR/firestore"
  [[ -f "$DIR/firestore/package.json" ]] \
    || printf '{"name": "aia-firestore-stand-in", "private": true}\n' >"$DIR/firestore/package.json"
  npm install --prefix "$DIR/firestore" --save-exact --no-audit --no-fund --loglevel=error \
    "@firestore-emulator/server@$FIRESTORE_VERSION"
  (cd "$DIR/firestore" && node -e 'require("@firestore-emulator/server")') \
    || die "@firestore-emulator/server does not load"
  touch "$stamp"
fi

say "ready in $((SECONDS - started)) s: $(ls "$STAMPS" | tr '\n' ' ')"

# === workflows-emulator: Cloud Workflows YAML (appended by the Workflows port) ==============
# Unlike the stand-ins above it runs in-process (shared/adapters/local/workflow_engine.py), so
# it goes into the project's own .venv, with --no-deps: its fastapi<0.112 pin would downgrade
# starlette, and its library needs only pyproject.toml's `local` extra (addict, typeguard,
# google-re2, jsonschema, requests, google-auth, pyyaml). The same pin as the Makefile's (a
# test holds them equal). See docs/decisions/0006-workflows-local-execution.md.
WORKFLOWS_EMULATOR_VERSION=1.10.0
MAIN_PY="$ROOT/.venv/bin/python"
if [[ -x "$MAIN_PY" ]] && ! "$MAIN_PY" - <<EOF_CHECK 2>/dev/null
import importlib.metadata as m, sys
sys.exit(m.version("workflows-emulator") != "$WORKFLOWS_EMULATOR_VERSION")
EOF_CHECK
then
  say "workflows-emulator $WORKFLOWS_EMULATOR_VERSION (PyPI, into .venv, --no-deps)"
  "$MAIN_PY" -m pip install --disable-pip-version-check -qq --no-deps \
    "workflows-emulator==$WORKFLOWS_EMULATOR_VERSION"
  "$MAIN_PY" -c 'import workflows_emulator.main' \
    || die "workflows-emulator does not import: is pyproject.toml's local extra installed?"
fi
