#!/usr/bin/env bash
# Build the web app's front-end assets (docs/decisions/0023-web-stack.md): install the npm
# packages pinned in web/package-lock.json and copy the files pages load into
# shared/web/static/vendor/ (gitignored), from where the platform itself serves them (no CDN).
# axe-core (a devDependency) stays in web/node_modules: only the browser tests inject it.
#
# Needs node and npm: Debian's are installed with apt-get when missing.
# Idempotent: skips npm when the lock file is older than node_modules.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WEB="$ROOT/web"
VENDOR="$ROOT/shared/web/static/vendor"
say() { printf 'build-web: %s\n' "$*"; }

if ! command -v npm >/dev/null; then
  command -v apt-get >/dev/null || { echo "build-web: npm is required" >&2; exit 1; }
  say "npm is missing: Debian's nodejs and npm (apt-get install)"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi

if [[ ! -d "$WEB/node_modules" || "$WEB/package-lock.json" -nt "$WEB/node_modules" ]]; then
  say "npm ci (web/package-lock.json)"
  npm ci --prefix "$WEB" --no-audit --no-fund --loglevel=error
  touch "$WEB/node_modules"
fi

mkdir -p "$VENDOR"
cp "$WEB/node_modules/htmx.org/dist/htmx.min.js" "$VENDOR/htmx.min.js"
# charts (docs/decisions/0029-charts-in-the-browser.md): loaded only by pages that draw one
cp "$WEB/node_modules/uplot/dist/uPlot.iife.min.js" "$VENDOR/uPlot.iife.min.js"
cp "$WEB/node_modules/uplot/dist/uPlot.min.css" "$VENDOR/uPlot.min.css"
say "vendored: $(cd "$VENDOR" && ls | tr '\n' ' ')"
