#!/usr/bin/env bash
# `linli verify-ledger` on a real database: passes on the demo ledgers, and names the first bad
# ledger or account after a balance column is changed behind the ledger's back (fresh copies).
set -euo pipefail
linli=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

"$linli" migrate --db "sqlite:$dir/base.db" >/dev/null
# seed-demo may stop at a later module's demo data; the ledger's part must be there.
"$linli" seed-demo --db "sqlite:$dir/base.db" >/dev/null 2>&1 || true
output=$("$linli" verify-ledger --db "sqlite:$dir/base.db")
grep -q "ledger OK: 2 ledgers balance" <<<"$output" || { echo "FAIL intact: $output"; exit 1; }
echo "ok intact: $output"

expect_broken() {  # name, sql, expected text in the report
  cp "$dir/base.db" "$dir/$1.db"
  sqlite3 "$dir/$1.db" "$2"
  set +e
  output=$("$linli" verify-ledger --db "sqlite:$dir/$1.db")
  status=$?
  set -e
  if [ $status -ne 1 ] || ! grep -q "$3" <<<"$output"; then
    echo "FAIL $1: exit $status, output: $output"
    exit 1
  fi
  echo "ok $1: $output"
}

resident=$(sqlite3 "$dir/base.db" "SELECT id FROM ledger_accounts WHERE owner_kind = 'resident' AND currency = 'points' ORDER BY id LIMIT 1")
issuance=$(sqlite3 "$dir/base.db" "SELECT id FROM ledger_accounts WHERE pool = 'issuance' AND currency = 'points'")
expect_broken unbalanced "UPDATE ledger_accounts SET credits_posted = credits_posted + 5 WHERE id = $resident" \
  "ledger_unbalanced in community 1 points ledger"
expect_broken mismatch "UPDATE ledger_accounts SET credits_posted = credits_posted + 5 WHERE id = $resident;
  UPDATE ledger_accounts SET debits_posted = debits_posted + 5 WHERE id = $issuance" \
  "balance_mismatch in community 1 points ledger (account $issuance"
expect_broken pending "UPDATE ledger_holds SET state = 'voided', resolved_by = transfer_id" \
  "pending_mismatch"
# Transfers themselves cannot be edited or deleted.
if sqlite3 "$dir/base.db" "DELETE FROM ledger_transfers" 2>/dev/null; then
  echo "FAIL: a transfer was deleted"; exit 1
fi
echo "ok append-only"
