-- ledger: the points bank 积分银行 and time bank 时间银行 as a double-entry ledger (one ledger per
-- community and currency). Balances live on the account rows and are changed only in the same
-- transaction as the immutable transfer rows that explain them; `linli verify-ledger` recomputes
-- them. Holds are pending transfers whose mutable state lives in ledger_holds, never on the
-- transfer rows. The CHECKs are a backstop for the service's own limit checks.
CREATE TABLE ledger_accounts (
  id INTEGER PRIMARY KEY,
  community_id BIGINT NOT NULL REFERENCES communities(id),
  currency TEXT NOT NULL CHECK (currency IN ('points', 'minutes')),
  owner_kind TEXT NOT NULL
    CHECK (owner_kind IN ('resident', 'household', 'merchant', 'organisation', 'pool')),
  owner_id BIGINT NOT NULL,
  pool TEXT NOT NULL,
  no_overdraft BIGINT NOT NULL CHECK (no_overdraft IN (0, 1)),
  credit_limit BIGINT CHECK (credit_limit >= 0),
  upper_limit BIGINT CHECK (upper_limit >= 0),
  vulnerable BIGINT NOT NULL DEFAULT 0 CHECK (vulnerable IN (0, 1)),
  debits_posted BIGINT NOT NULL DEFAULT 0 CHECK (debits_posted >= 0),
  credits_posted BIGINT NOT NULL DEFAULT 0 CHECK (credits_posted >= 0),
  debits_pending BIGINT NOT NULL DEFAULT 0 CHECK (debits_pending >= 0),
  credits_pending BIGINT NOT NULL DEFAULT 0 CHECK (credits_pending >= 0),
  created_at BIGINT NOT NULL,
  UNIQUE (community_id, currency, owner_kind, owner_id, pool),
  CHECK (no_overdraft = 0 OR
         debits_posted + debits_pending <= credits_posted + COALESCE(credit_limit, 0)),
  CHECK (upper_limit IS NULL OR credits_posted + credits_pending - debits_posted <= upper_limit)
);
CREATE INDEX ledger_accounts_by_owner ON ledger_accounts (owner_kind, owner_id);

-- One row per write request (a transfer, a linked chain, a hold action): the idempotency record.
-- A request that failed a business rule keeps its error so that a retry returns it again.
CREATE TABLE ledger_requests (
  id INTEGER PRIMARY KEY,
  community_id BIGINT NOT NULL REFERENCES communities(id),
  idem_key TEXT,
  request_hash TEXT NOT NULL,
  actor_user_id BIGINT NOT NULL,
  actor_api_key_id BIGINT,
  error_reason TEXT,
  error_detail TEXT,
  created_at BIGINT NOT NULL,
  UNIQUE (community_id, idem_key)
);

CREATE TABLE ledger_transfers (
  id INTEGER PRIMARY KEY,
  community_id BIGINT NOT NULL REFERENCES communities(id),
  currency TEXT NOT NULL CHECK (currency IN ('points', 'minutes')),
  request_id BIGINT NOT NULL REFERENCES ledger_requests(id),
  debit_account_id BIGINT NOT NULL REFERENCES ledger_accounts(id),
  credit_account_id BIGINT NOT NULL REFERENCES ledger_accounts(id),
  amount BIGINT NOT NULL CHECK (amount > 0),
  kind TEXT NOT NULL
    CHECK (kind IN ('posted', 'pending', 'post_pending', 'void_pending', 'expire_pending')),
  pending_id BIGINT REFERENCES ledger_transfers(id),
  reverses_id BIGINT REFERENCES ledger_transfers(id),
  timeout_at BIGINT,
  code TEXT NOT NULL,
  memo TEXT NOT NULL,
  value_fen BIGINT,
  actor_user_id BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  CHECK (debit_account_id <> credit_account_id),
  CHECK ((kind IN ('post_pending', 'void_pending', 'expire_pending')) = (pending_id IS NOT NULL))
);
CREATE INDEX ledger_transfers_by_debit ON ledger_transfers (debit_account_id, id);
CREATE INDEX ledger_transfers_by_credit ON ledger_transfers (credit_account_id, id);
CREATE INDEX ledger_transfers_by_request ON ledger_transfers (request_id, id);
-- A correction reverses a transfer at most once.
CREATE UNIQUE INDEX ledger_transfers_reversal ON ledger_transfers (reverses_id);
-- A hold is resolved (posted, voided or expired) at most once.
CREATE UNIQUE INDEX ledger_transfers_resolution ON ledger_transfers (pending_id);

CREATE TABLE ledger_holds (
  transfer_id BIGINT PRIMARY KEY REFERENCES ledger_transfers(id),
  community_id BIGINT NOT NULL REFERENCES communities(id),
  debit_account_id BIGINT NOT NULL,
  credit_account_id BIGINT NOT NULL,
  amount BIGINT NOT NULL CHECK (amount > 0),
  state TEXT NOT NULL CHECK (state IN ('pending', 'posted', 'voided', 'expired')),
  timeout_at BIGINT,
  resolved_by BIGINT REFERENCES ledger_transfers(id),
  CHECK ((state = 'pending') = (resolved_by IS NULL))
);
CREATE INDEX ledger_holds_due ON ledger_holds (state, timeout_at);

-- Rule sets are versioned per community: a change inserts a new version, old ones stay.
CREATE TABLE ledger_rule_sets (
  community_id BIGINT NOT NULL REFERENCES communities(id),
  version BIGINT NOT NULL CHECK (version > 0),
  body TEXT NOT NULL,
  actor_user_id BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (community_id, version)
);

-- Transfers are immutable: corrections are reversing transfers, never edits or deletes.
CREATE TRIGGER ledger_transfers_no_update BEFORE UPDATE ON ledger_transfers
BEGIN SELECT RAISE(ABORT, 'ledger_transfers is append-only'); END;
CREATE TRIGGER ledger_transfers_no_delete BEFORE DELETE ON ledger_transfers
BEGIN SELECT RAISE(ABORT, 'ledger_transfers is append-only'); END;
