#!/usr/bin/env bash
# Cloud Build's test step: give a bare python:3.11-bookworm container what the CI machine
# has (PostgreSQL with trust auth on 127.0.0.1:5432, Redis on 6379, node and npm for the
# Firestore stand-in, curl and jq for the README's first session), then run exactly what
# CI runs: `make test`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends postgresql redis-server nodejs npm make curl jq >/dev/null

# PostgreSQL: trust on loopback, as on the CI machine (tests/support/postgres.py).
cluster="$(pg_lsclusters --no-header | awk 'NR==1 {print $1" "$2}')"
hba="/etc/postgresql/${cluster% *}/${cluster#* }/pg_hba.conf"
sed -ri 's/^(host\s+all\s+all\s+(127\.0\.0\.1\/32|::1\/128)\s+)\S+/\1trust/' "$hba"
sed -ri 's/^(local\s+all\s+(postgres|all)\s+)\S+/\1trust/' "$hba"
pg_ctlcluster ${cluster} start
for db in test root; do
  psql -h 127.0.0.1 -U postgres -tc "SELECT 1 FROM pg_database WHERE datname='$db'" | grep -q 1 \
    || psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE $db" >/dev/null
done

redis-server --bind 127.0.0.1 --port 6379 --save '' --appendonly no --daemonize yes

make test
