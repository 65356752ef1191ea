#!/usr/bin/env bash
# Runs every test layer: unit, storage contract on SQLite and PostgreSQL, API, browser and
# fuzz replay (all registered in ctest). Starts a throwaway PostgreSQL and always stops it.
set -euo pipefail
cd "$(dirname "$0")/.."

pg_dir="$PWD/build/pg-test"
export LINLI_TEST_PG_DSN
LINLI_TEST_PG_DSN=$(scripts/pg-test-cluster.sh start "$pg_dir")
trap 'scripts/pg-test-cluster.sh stop "$pg_dir" >/dev/null 2>&1 || true' EXIT

mkdir -p test-artifacts
ctest --preset debug "$@"
