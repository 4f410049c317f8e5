#!/usr/bin/env bash
# Copy the screenshots the README shows from what the browser tests wrote (build/screenshots,
# by `make test` or `pytest tests/web`) into docs/screenshots, where they are committed.
# Run it after a browser test run when a page's look changed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FROM="$ROOT/build/screenshots"
TO="$ROOT/docs/screenshots"
PICKED=(
  simulations-compare-1280 simulations-new-1280 home-390 wallet-transfer-confirm-390
  venture-market-1280 knowledge-pathway-390 governance-proposal-1280 console-overview-1280
)
mkdir -p "$TO"
for name in "${PICKED[@]}"; do
  [[ -f "$FROM/$name.png" ]] || { echo "pick-screenshots: $FROM/$name.png is missing: run pytest tests/web" >&2; exit 1; }
  cp "$FROM/$name.png" "$TO/$name.png"
done
echo "pick-screenshots: ${#PICKED[@]} screenshots in docs/screenshots"
