-- households: 一户一档 records hanging off the accounts hierarchy (households table), members,
-- consent records, participation/feedback history, guides per grid, and sealed values.
-- Sensitive values (phone, ID number, health notes, every field of a member under 14) live only
-- in household_sealed, encrypted with XChaCha20-Poly1305 (src/core/sealed.hpp).
CREATE TABLE household_records (
  household_id BIGINT PRIMARY KEY REFERENCES households(id),
  community_id BIGINT NOT NULL REFERENCES communities(id),
  guide_user_id BIGINT REFERENCES users(id),
  willingness TEXT NOT NULL DEFAULT 'unknown'
    CHECK (willingness IN ('unknown', 'yes', 'maybe', 'no')),
  needs TEXT NOT NULL DEFAULT '[]',
  notes TEXT NOT NULL DEFAULT '',
  version BIGINT NOT NULL,
  updated_by BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX household_records_by_guide ON household_records (community_id, guide_user_id);
CREATE TABLE household_members (
  id INTEGER PRIMARY KEY,
  community_id BIGINT NOT NULL REFERENCES communities(id),
  household_id BIGINT NOT NULL REFERENCES households(id),
  user_id BIGINT REFERENCES users(id),
  sealed_profile BIGINT NOT NULL DEFAULT 0 CHECK (sealed_profile IN (0, 1)),
  name TEXT NOT NULL DEFAULT '',
  relation TEXT NOT NULL DEFAULT '',
  birth_date TEXT,
  skills TEXT NOT NULL DEFAULT '[]',
  needs TEXT NOT NULL DEFAULT '[]',
  willingness TEXT NOT NULL DEFAULT 'unknown'
    CHECK (willingness IN ('unknown', 'yes', 'maybe', 'no')),
  version BIGINT NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  erased_at BIGINT
);
CREATE INDEX household_members_by_household ON household_members (community_id, household_id, id);
CREATE INDEX household_members_by_user ON household_members (user_id);
CREATE TABLE household_sealed (
  community_id BIGINT NOT NULL,
  owner_table TEXT NOT NULL,
  owner_id BIGINT NOT NULL,
  field TEXT NOT NULL,
  key_id BIGINT NOT NULL,
  ciphertext BLOB NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (community_id, owner_table, owner_id, field)
);
CREATE INDEX household_sealed_by_key ON household_sealed (key_id);
CREATE TABLE household_consents (
  id INTEGER PRIMARY KEY,
  community_id BIGINT NOT NULL REFERENCES communities(id),
  household_id BIGINT NOT NULL REFERENCES households(id),
  member_id BIGINT NOT NULL REFERENCES household_members(id),
  kind TEXT NOT NULL CHECK (kind IN ('health', 'guardian')),
  granted BIGINT NOT NULL CHECK (granted IN (0, 1)),
  method TEXT NOT NULL CHECK (method IN ('in_person', 'paper', 'online')),
  guardian_member_id BIGINT REFERENCES household_members(id),
  recorded_by BIGINT NOT NULL,
  recorded_at BIGINT NOT NULL
);
CREATE INDEX household_consents_by_member ON household_consents (member_id, kind, id);
CREATE TABLE household_history (
  id INTEGER PRIMARY KEY,
  community_id BIGINT NOT NULL REFERENCES communities(id),
  household_id BIGINT NOT NULL REFERENCES households(id),
  member_id BIGINT REFERENCES household_members(id),
  occurred_on TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('participation', 'feedback', 'visit', 'service')),
  note TEXT NOT NULL DEFAULT '',
  sealed_note BIGINT NOT NULL DEFAULT 0 CHECK (sealed_note IN (0, 1)),
  recorded_by BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX household_history_by_household ON household_history (community_id, household_id, id);
CREATE INDEX household_history_by_member ON household_history (member_id);
CREATE TABLE household_grid_guides (
  community_id BIGINT NOT NULL REFERENCES communities(id),
  grid_id BIGINT NOT NULL REFERENCES grids(id),
  user_id BIGINT NOT NULL REFERENCES users(id),
  assigned_by BIGINT NOT NULL,
  assigned_at BIGINT NOT NULL,
  PRIMARY KEY (community_id, grid_id, user_id)
);
CREATE INDEX household_grid_guides_by_user ON household_grid_guides (community_id, user_id);
