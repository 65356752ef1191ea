#!/usr/bin/env bash
# `linli verify-audit` on a real database: passes when intact, and names the first bad entry
# after a flipped byte, a deleted entry and a reordering (each on a fresh copy).
set -euo pipefail
linli=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

"$linli" migrate --db "sqlite:$dir/base.db" >/dev/null
"$linli" seed-demo --db "sqlite:$dir/base.db" >/dev/null
"$linli" verify-audit --db "sqlite:$dir/base.db" | grep -q "audit chain OK"

expect_broken() {  # name, sql, expected text in the report
  cp "$dir/base.db" "$dir/$1.db"
  sqlite3 "$dir/$1.db" "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; $2"
  set +e
  output=$("$linli" verify-audit --db "sqlite:$dir/$1.db")
  status=$?
  set -e
  if [ $status -ne 1 ] || ! grep -q "$3" <<<"$output"; then
    echo "FAIL $1: exit $status, output: $output"
    exit 1
  fi
  echo "ok $1: $output"
}

expect_broken flipped "UPDATE audit_log SET action = action || 'x' WHERE community_id = 1 AND seq = 4" \
  "community 1 entry 4: hash_mismatch"
expect_broken deleted "DELETE FROM audit_log WHERE community_id = 1 AND seq = 5" \
  "community 1 entry 5: missing_entries"
expect_broken reordered "UPDATE audit_log SET seq = -1 WHERE community_id = 1 AND seq = 2;
  UPDATE audit_log SET seq = 2 WHERE community_id = 1 AND seq = 3;
  UPDATE audit_log SET seq = 3 WHERE community_id = 1 AND seq = -1;" \
  "community 1 entry 2: broken_link"
