#!/usr/bin/env bash
# Every asset a page loads answers 200 from BASE (the smoke phase of
# scripts/deploy-production.sh, on each candidate revision that serves the pages): those
# of every page (/sign-in) and those of pages that draw charts (/economy: uPlot, charts.js).
#   scripts/check-page-assets.sh https://api-candidate.013a.tech
set -euo pipefail
BASE="${1:?usage: check-page-assets.sh BASE_URL}"
fetch() { curl --fail --silent --show-error --max-time 20 --retry 3 --retry-delay 5 "$@"; }

assets=""
for page_path in /sign-in /economy; do
  page="$(fetch "$BASE$page_path")" || { echo "check-page-assets: $BASE$page_path failed" >&2; exit 1; }
  found="$(grep -o '"/assets/[^"]*"' <<<"$page" | tr -d '"' | sort -u)"
  [[ -n "$found" ]] || { echo "check-page-assets: $BASE$page_path loads no assets" >&2; exit 1; }
  assets="$(printf '%s\n%s\n' "$assets" "$found" | sed '/^$/d' | sort -u)"
done
for path in $assets; do
  fetch -o /dev/null "$BASE$path" || { echo "check-page-assets: $BASE$path failed" >&2; exit 1; }
done
echo "check-page-assets: $BASE serves" $assets
