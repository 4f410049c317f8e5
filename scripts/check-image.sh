#!/usr/bin/env bash
# Check a built image before it is pushed (cloudbuild.yaml step image-test, and the build
# phase of scripts/deploy-production.sh): its installed package has the web pages' assets.
#   scripts/check-image.sh IMAGE
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
IMAGE="${1:?usage: check-image.sh IMAGE}"
# from / the package imported is the installed one, not the source copy in /app
docker run -i --rm --workdir / --entrypoint python "$IMAGE" - <"$ROOT/scripts/check-image-assets.py"
