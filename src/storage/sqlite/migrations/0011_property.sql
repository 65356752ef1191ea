-- property: visitor passes (pre-registration, gate verification, every use recorded), fee bills
-- and their payment records, announcements and alert broadcasts with their audiences.
-- Visitors are stored minimally: a display label ("王先生") and, optionally, a phone sealed with
-- the data key ring (XChaCha20-Poly1305, src/core/sealed.hpp).
CREATE TABLE visitor_passes (
  id INTEGER PRIMARY KEY,
  community_id BIGINT NOT NULL REFERENCES communities(id),
  household_id BIGINT REFERENCES households(id),
  building_id BIGINT REFERENCES buildings(id),
  created_by BIGINT NOT NULL REFERENCES users(id),
  visitor_label TEXT NOT NULL,
  visitor_phone_sealed BLOB,
  purpose TEXT NOT NULL,
  mode TEXT NOT NULL CHECK (mode IN ('single_use', 'window')),
  max_uses BIGINT NOT NULL CHECK (max_uses >= 1),
  uses BIGINT NOT NULL DEFAULT 0 CHECK (uses >= 0),
  valid_from BIGINT NOT NULL,
  valid_until BIGINT NOT NULL,
  code TEXT NOT NULL,
  revoked_at BIGINT,
  created_at BIGINT NOT NULL,
  CHECK (uses <= max_uses),
  CHECK (mode <> 'single_use' OR max_uses = 1),
  CHECK (valid_until > valid_from),
  UNIQUE (community_id, id),
  UNIQUE (community_id, code)
);
CREATE INDEX visitor_passes_by_creator ON visitor_passes (created_by, id);
CREATE INDEX visitor_passes_by_window ON visitor_passes (community_id, valid_from, id);

-- One row per gate verification of a known pass, allowed or denied.
CREATE TABLE visitor_pass_uses (
  id INTEGER PRIMARY KEY,
  community_id BIGINT NOT NULL REFERENCES communities(id),
  pass_id BIGINT NOT NULL,
  at BIGINT NOT NULL,
  allowed BIGINT NOT NULL CHECK (allowed IN (0, 1)),
  reason TEXT NOT NULL,
  gate TEXT NOT NULL,
  api_key_id BIGINT,
  verified_by BIGINT,
  UNIQUE (community_id, id)
);
CREATE INDEX visitor_pass_uses_by_pass ON visitor_pass_uses (community_id, pass_id, id);

CREATE TABLE bills (
  id INTEGER PRIMARY KEY,
  community_id BIGINT NOT NULL REFERENCES communities(id),
  household_id BIGINT NOT NULL REFERENCES households(id),
  building_id BIGINT NOT NULL REFERENCES buildings(id),
  kind TEXT NOT NULL CHECK (kind IN ('property_fee', 'parking', 'other')),
  period TEXT NOT NULL,
  title TEXT NOT NULL,
  amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
  paid_fen BIGINT NOT NULL DEFAULT 0 CHECK (paid_fen >= 0),
  due_date TEXT NOT NULL,
  issued_by BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  voided_at BIGINT,
  CHECK (paid_fen <= amount_fen),
  UNIQUE (community_id, id),
  UNIQUE (community_id, household_id, kind, period)
);
CREATE INDEX bills_by_household ON bills (community_id, household_id, id);
CREATE INDEX bills_open_by_due ON bills (community_id, due_date, building_id);

CREATE TABLE bill_payments (
  id INTEGER PRIMARY KEY,
  community_id BIGINT NOT NULL REFERENCES communities(id),
  bill_id BIGINT NOT NULL,
  amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
  provider TEXT NOT NULL,
  method TEXT NOT NULL,
  reference TEXT NOT NULL,
  idempotency_key TEXT,
  recorded_by BIGINT NOT NULL,
  paid_at BIGINT NOT NULL,
  UNIQUE (community_id, id),
  UNIQUE (community_id, idempotency_key)
);
CREATE INDEX bill_payments_by_bill ON bill_payments (community_id, bill_id, id);

-- Announcements (kind notice) and alert broadcasts (kind alert). An alert is also delivered to
-- the inbox of everyone in its audience, in batches: fanout_after is the last user id done.
CREATE TABLE announcements (
  id INTEGER PRIMARY KEY,
  community_id BIGINT NOT NULL REFERENCES communities(id),
  kind TEXT NOT NULL CHECK (kind IN ('notice', 'alert')),
  category TEXT NOT NULL,
  severity TEXT CHECK (severity IN ('info', 'warning', 'critical')),
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  audience TEXT NOT NULL CHECK (audience IN ('community', 'buildings', 'grids')),
  pinned BIGINT NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)),
  published_by BIGINT,
  published_by_api_key BIGINT,
  created_at BIGINT NOT NULL,
  expires_at BIGINT,
  withdrawn_at BIGINT,
  fanout_after BIGINT NOT NULL DEFAULT 0,
  fanout_done BIGINT NOT NULL DEFAULT 1 CHECK (fanout_done IN (0, 1)),
  recipients BIGINT NOT NULL DEFAULT 0,
  CHECK ((kind = 'alert') = (severity IS NOT NULL)),
  UNIQUE (community_id, id)
);
CREATE INDEX announcements_by_community ON announcements (community_id, pinned, id);
CREATE INDEX announcements_fanout ON announcements (fanout_done, id);

-- The buildings or grids an announcement is for (none when the audience is the community).
CREATE TABLE announcement_targets (
  community_id BIGINT NOT NULL REFERENCES communities(id),
  announcement_id BIGINT NOT NULL,
  target_id BIGINT NOT NULL,
  PRIMARY KEY (community_id, announcement_id, target_id)
);
