#!/usr/bin/env bash
# Every asset a page loads answers 200 from BASE (the smoke phase of
# scripts/deploy-production.sh, on each candidate revision that serves the pages):
#   scripts/check-page-assets.sh https://api-candidate.013a.tech
set -euo pipefail
BASE="${1:?usage: check-page-assets.sh BASE_URL}"
fetch() { curl --fail --silent --show-error --max-time 20 --retry 3 --retry-delay 5 "$@"; }

page="$(fetch "$BASE/sign-in")" || { echo "check-page-assets: $BASE/sign-in failed" >&2; exit 1; }
assets="$(grep -o '"/assets/[^"]*"' <<<"$page" | tr -d '"' | sort -u)"
[[ -n "$assets" ]] || { echo "check-page-assets: $BASE/sign-in loads no assets" >&2; exit 1; }
for path in $assets; do
  fetch -o /dev/null "$BASE$path" || { echo "check-page-assets: $BASE$path failed" >&2; exit 1; }
done
echo "check-page-assets: $BASE serves" $assets
