#!/usr/bin/env bash
# Deploy the AIA System to production, step by step or all at once. cloudbuild.yaml runs
# the same phases (one build step each); this script is also the manual fallback when
# Cloud Build is unavailable:
#
#   export GCP_PROJECT_ID=aia-production CLOUDFLARE_ZONE_ID=... CLOUDFLARE_API_TOKEN=...
#   scripts/deploy-production.sh all
#
# Phases (each idempotent; state between them in $RELEASE_DIR):
#   checks      lint, type check, the whole test suite, pip-audit, secret scan
#   build       build the one image, check it has the web assets, push it to Artifact
#               Registry (docker)
#   infra       terraform init, plan and apply (infra/environments/production)
#   migrate     Alembic to head: the `aia-migrate` Cloud Run job (same image, Direct VPC
#               egress, Cloud SQL connection) run with the new image and waited for;
#               the serving revisions keep working on the new schema (docs/decisions/0033)
#   candidates  deploy the image as a new revision of every function with NO traffic,
#               tagged `candidate`; remember which revisions served before
#   smoke       every candidate revision is Ready; public ones answer /health and
#               /openapi.json on https://<function>-candidate.<domain>, refuse /ready and
#               /metrics there (404: the edge keeps them for the platform), api serves
#               the sign-in page and every asset it loads, and, with
#               SMOKE_API_KEY (an admin-scope API key), report every backend ok on
#               /v1/admin/readiness
#   shift       move 100 % of traffic to the candidates
#   watch       scripts/rollback-watch.py: roll back on the strategy's triggers
#   rollback    send all traffic back to the revisions recorded by `candidates`
#   all         every phase above in that order (rollback only if watch fires)
#
# Environment: GCP_PROJECT_ID (required), GCP_REGION (europe-west1), PRIMARY_DOMAIN
# (013a.tech), IMAGE_TAG (git short sha; required outside a checkout), PYTHON_DIGEST and
# NODE_DIGEST (build: the base images' sha256 digests), CLOUDFLARE_ZONE_ID and CLOUDFLARE_API_TOKEN
# (infra), TF_STATE_BUCKET (<project>-tfstate), WATCH_SECONDS (600), RELEASE_DIR (.release),
# SMOKE_API_KEY (optional, smoke), RESTORE_OPERATORS (infra: an HCL list of the IAM
# members who run a restore, e.g. '["group:aia-operators@013a.tech"]'; default none).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

PROJECT="${GCP_PROJECT_ID:?set GCP_PROJECT_ID}"
REGION="${GCP_REGION:-europe-west1}"
DOMAIN="${PRIMARY_DOMAIN:-013a.tech}"
# A release names a commit: no commit, no build (cloudbuild.yaml's require-commit too).
TAG="${IMAGE_TAG:-$(git rev-parse --short=12 HEAD 2>/dev/null)}" || true
[[ -n "$TAG" ]] || { printf 'deploy-production: no commit SHA (set IMAGE_TAG or run in a git checkout)\n' >&2; exit 1; }
IMAGE="${IMAGE:-$REGION-docker.pkg.dev/$PROJECT/aia/aia:$TAG}"
RELEASE_DIR="${RELEASE_DIR:-$ROOT/.release}"
TF_DIR="$ROOT/infra/environments/production"
CANDIDATE_TAG=candidate
mkdir -p "$RELEASE_DIR"

say() { printf 'deploy-production: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

services() {  # name<TAB>public for every function service Terraform created
  gcloud run services list --project "$PROJECT" --region "$REGION" \
    --filter='metadata.labels.system=aia' \
    --format='value(metadata.name,metadata.labels.public)'
}

serving_revision() {  # the revision with the largest traffic share
  gcloud run services describe "$1" --project "$PROJECT" --region "$REGION" --format=json \
    | python3 -c 'import json,sys; t=json.load(sys.stdin)["status"].get("traffic") or [{}]; print(max(t, key=lambda x: x.get("percent", 0)).get("revisionName", ""))'
}

phase_checks() {
  .venv/bin/python -m ruff check .
  .venv/bin/python -m ruff format --check .
  .venv/bin/python -m mypy shared
  make test
  .venv/bin/python -m pip install --quiet pip-audit
  .venv/bin/python -m pip_audit --skip-editable --progress-spinner off
  if command -v gitleaks >/dev/null; then
    gitleaks detect --source . --redact --no-banner
  else
    die "gitleaks is required for the secret scan (Cloud Build runs it from its image)"
  fi
}

# The pushed image by digest (REPO@sha256:...): what Terraform and every deploy use.
image_ref() {
  local ref
  ref="$(cat "$RELEASE_DIR/image" 2>/dev/null || true)"
  [[ "$ref" =~ @sha256:[0-9a-f]{64}$ ]] || die "no image digest in $RELEASE_DIR/image: run the build phase"
  printf '%s\n' "$ref"
}

phase_build() {
  : "${PYTHON_DIGEST:?set PYTHON_DIGEST (sha256:... of the python base image)}" "${NODE_DIGEST:?set NODE_DIGEST}"
  docker build --pull --build-arg "PYTHON_DIGEST=$PYTHON_DIGEST" --build-arg "NODE_DIGEST=$NODE_DIGEST" -t "$IMAGE" .
  bash "$ROOT/scripts/check-image.sh" "$IMAGE"
  docker push "$IMAGE"
  docker inspect --format='{{index .RepoDigests 0}}' "$IMAGE" >"$RELEASE_DIR/image"
  say "pushed $(image_ref)"
}

phase_infra() {
  : "${CLOUDFLARE_ZONE_ID:?set CLOUDFLARE_ZONE_ID}" "${CLOUDFLARE_API_TOKEN:?set CLOUDFLARE_API_TOKEN}"
  terraform -chdir="$TF_DIR" init -input=false -backend-config="bucket=${TF_STATE_BUCKET:-$PROJECT-tfstate}"
  terraform -chdir="$TF_DIR" plan -input=false -out="$RELEASE_DIR/tfplan" \
    -var "project_id=$PROJECT" -var "region=$REGION" -var "primary_domain=$DOMAIN" \
    -var "image=$(image_ref)" -var "cloudflare_zone_id=$CLOUDFLARE_ZONE_ID" \
    -var "restore_operators=${RESTORE_OPERATORS:-[]}"
  terraform -chdir="$TF_DIR" apply -input=false "$RELEASE_DIR/tfplan"
}

phase_migrate() {
  # Before any new revision exists: the candidates' smoke tests need the new schema, and
  # the old revisions serve on it until the shift (migrations only expand; ADR 0033).
  gcloud run jobs update aia-migrate --project "$PROJECT" --region "$REGION" \
    --image "$IMAGE" --quiet
  # --wait: the step fails, and the deploy stops, when the migration does, or when it
  # finds the database before PREVIOUS_RELEASE (the job runs `aia migrate
  # --after-previous-release`; its log says which schema it found and left)
  gcloud run jobs execute aia-migrate --project "$PROJECT" --region "$REGION" --wait --quiet
}

phase_candidates() {
  local name public previous candidate image
  image="$(image_ref)"
  : >"$RELEASE_DIR/release.tsv"
  while IFS=$'\t' read -r name public; do
    [[ -n "$name" ]] || continue
    previous="$(serving_revision "$name")"
    gcloud run services update "$name" --project "$PROJECT" --region "$REGION" \
      --container function --image "$image" --no-traffic --tag "$CANDIDATE_TAG" --quiet
    candidate="$(gcloud run services describe "$name" --project "$PROJECT" --region "$REGION" \
      --format='value(status.latestCreatedRevisionName)')"
    printf '%s\t%s\t%s\t%s\n' "$name" "${public:-false}" "$previous" "$candidate" >>"$RELEASE_DIR/release.tsv"
    say "$name: candidate $candidate (serving: ${previous:-none})"
  done < <(services)
  [[ -s "$RELEASE_DIR/release.tsv" ]] || die "no services labelled system=aia: run the infra phase first"
}

phase_smoke() {
  local name public previous candidate ready base path status
  while IFS=$'\t' read -r name public previous candidate; do
    ready="$(gcloud run revisions describe "$candidate" --project "$PROJECT" --region "$REGION" \
      --format='value(status.conditions[0].status)')"
    [[ "$ready" == "True" ]] || die "$candidate is not Ready"
    if [[ "$public" == "true" ]]; then
      base="https://$name-$CANDIDATE_TAG.$DOMAIN"
      for path in /health /openapi.json; do
        curl --fail --silent --show-error --max-time 20 --retry 5 --retry-delay 6 \
          --retry-all-errors -o /dev/null "$base$path" || die "$base$path failed"
      done
      curl --fail --silent --max-time 20 "$base/health" | grep -q '"status":"ok"' \
        || die "$base/health did not answer status ok"
      # Not for the public: Cloud Armor answers 404 (docs/decisions/0017-public-surface.md).
      for path in /ready /metrics; do
        status="$(curl --silent --max-time 20 -o /dev/null -w '%{http_code}' "$base$path")"
        [[ "$status" == "404" ]] || die "$base$path answered $status through the edge, not 404"
      done
      # the web pages (served by api) and every asset they load, from the image's node stage
      if [[ "$name" == "api" ]]; then
        bash "$ROOT/scripts/check-page-assets.sh" "$base" || die "$base: a page asset failed"
      fi
      if [[ -n "${SMOKE_API_KEY:-}" ]]; then
        curl --fail --silent --max-time 20 -H "X-API-Key: $SMOKE_API_KEY" \
          "$base/v1/admin/readiness" | grep -q '"status": *"ready"' \
          || die "$base/v1/admin/readiness: a backend is not ready"
      fi
    fi
    say "$name: $candidate passed the smoke tests"
  done <"$RELEASE_DIR/release.tsv"
}

phase_shift() {
  local name public previous candidate
  while IFS=$'\t' read -r name public previous candidate; do
    gcloud run services update-traffic "$name" --project "$PROJECT" --region "$REGION" \
      --to-revisions "$candidate=100" --quiet
    say "$name: 100 % on $candidate"
  done <"$RELEASE_DIR/release.tsv"
}

phase_watch() {
  local revisions
  revisions="$(cut -f4 "$RELEASE_DIR/release.tsv" | paste -sd, -)"
  python3 "$ROOT/scripts/rollback-watch.py" --project "$PROJECT" --region "$REGION" \
    --revisions "$revisions" --health-url "https://api.$DOMAIN/health" \
    --watch-seconds "${WATCH_SECONDS:-600}"
}

phase_rollback() {
  local name public previous candidate
  [[ -s "$RELEASE_DIR/release.tsv" ]] || die "no release recorded in $RELEASE_DIR"
  while IFS=$'\t' read -r name public previous candidate; do
    if [[ -z "$previous" ]]; then
      say "$name: first release, nothing to roll back to"
      continue
    fi
    gcloud run services update-traffic "$name" --project "$PROJECT" --region "$REGION" \
      --to-revisions "$previous=100" --quiet
    say "$name: rolled back to $previous"
  done <"$RELEASE_DIR/release.tsv"
}

case "${1:-}" in
  checks | build | infra | migrate | candidates | smoke | shift | watch | rollback) "phase_$1" ;;
  all)
    phase_checks
    phase_build
    phase_infra
    phase_migrate
    phase_candidates
    phase_smoke
    phase_shift
    phase_watch # rolls back and fails on a trigger
    ;;
  *) sed -n '2,28p' "$0" >&2; exit 2 ;;
esac
