-- booking: per-card booking settings (weekly windows, buffers, capacity, prices), blackouts,
-- bookings and loans, the slot units they occupy, the waitlist, idempotency keys and
-- calendar feed tokens. On SQLite the single writer serialises every booking, so the service's
-- overlap check is the whole guarantee; PostgreSQL adds an exclusion constraint.
CREATE TABLE booking_settings (
  community_id BIGINT NOT NULL,
  card_id BIGINT NOT NULL,
  capacity BIGINT CHECK (capacity IS NULL OR capacity > 0),
  requires_approval BIGINT NOT NULL,
  buffer_s BIGINT NOT NULL CHECK (buffer_s >= 0),
  min_duration_s BIGINT NOT NULL,
  max_duration_s BIGINT NOT NULL,
  cancel_cutoff_s BIGINT NOT NULL,
  no_show_grace_s BIGINT NOT NULL,
  reminder_lead_s BIGINT NOT NULL,
  price_fen_per_hour BIGINT NOT NULL CHECK (price_fen_per_hour >= 0),
  points BIGINT NOT NULL CHECK (points >= 0),
  deposit_points BIGINT NOT NULL CHECK (deposit_points >= 0),
  windows TEXT NOT NULL,
  max_span_s BIGINT NOT NULL,
  version BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (community_id, card_id)
);

CREATE TABLE booking_blackouts (
  id INTEGER PRIMARY KEY,
  community_id BIGINT NOT NULL,
  card_id BIGINT NOT NULL,
  start_s BIGINT NOT NULL,
  end_s BIGINT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('blackout', 'maintenance')),
  note TEXT NOT NULL,
  CHECK (end_s > start_s)
);
CREATE INDEX booking_blackouts_by_card ON booking_blackouts (community_id, card_id, start_s);

CREATE TABLE bookings (
  id INTEGER PRIMARY KEY,
  community_id BIGINT NOT NULL,
  card_id BIGINT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('booking', 'loan')),
  status TEXT NOT NULL CHECK (status IN ('held', 'requested', 'confirmed', 'checked_in',
    'completed', 'cancelled', 'declined', 'no_show', 'expired')),
  booker_user_id BIGINT NOT NULL,
  provider_user_id BIGINT,
  start_s BIGINT NOT NULL,
  end_s BIGINT NOT NULL,
  unit BIGINT NOT NULL,
  price_fen BIGINT NOT NULL,
  points BIGINT NOT NULL,
  deposit_points BIGINT NOT NULL,
  price_hold_id BIGINT,
  deposit_hold_id BIGINT,
  note TEXT NOT NULL,
  reason TEXT NOT NULL,
  condition_notes TEXT NOT NULL,
  check_in_code TEXT NOT NULL,
  late BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  confirmed_at BIGINT,
  checked_in_at BIGINT,
  finished_at BIGINT,
  hold_expires_at BIGINT,
  reminded_at BIGINT,
  overdue_at BIGINT,
  version BIGINT NOT NULL,
  CHECK (end_s > start_s),
  UNIQUE (community_id, check_in_code)
);
CREATE INDEX bookings_by_card ON bookings (community_id, card_id, start_s);
CREATE INDEX bookings_by_booker ON bookings (booker_user_id, id);
CREATE INDEX bookings_by_provider ON bookings (provider_user_id, id);
CREATE INDEX bookings_by_status ON bookings (status, start_s);

-- One row per occupied slot unit while the booking holds it; deleted when released.
CREATE TABLE booking_slots (
  booking_id BIGINT PRIMARY KEY,
  community_id BIGINT NOT NULL,
  card_id BIGINT NOT NULL,
  unit BIGINT NOT NULL,
  start_s BIGINT NOT NULL,
  end_s BIGINT NOT NULL,
  CHECK (end_s > start_s)
);
CREATE INDEX booking_slots_by_card ON booking_slots (community_id, card_id, start_s, end_s, unit);

CREATE TABLE booking_waitlist (
  id INTEGER PRIMARY KEY,
  community_id BIGINT NOT NULL,
  card_id BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  start_s BIGINT NOT NULL,
  end_s BIGINT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('waiting', 'offered', 'accepted', 'expired', 'left')),
  booking_id BIGINT,
  created_at BIGINT NOT NULL
);
CREATE INDEX booking_waitlist_by_card ON booking_waitlist (community_id, card_id, status, id);
CREATE INDEX booking_waitlist_by_user ON booking_waitlist (user_id, id);

CREATE TABLE booking_idempotency (
  community_id BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  idem_key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  booking_id BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (community_id, user_id, idem_key)
);

-- Calendar feed tokens: only the SHA-256 of the secret is stored.
CREATE TABLE booking_feed_tokens (
  user_id BIGINT PRIMARY KEY,
  community_id BIGINT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL
);
