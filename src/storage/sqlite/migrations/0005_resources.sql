-- resources: resource cards (资源卡片) with their lifecycle, review decisions, photos, per-
-- community reconfirmation settings, and the change log that keeps every process's in-memory
-- search index current. Lists (tags, facilities, skills) are stored newline-joined: items are
-- validated to hold no control characters.
CREATE TABLE resource_cards (
  id INTEGER PRIMARY KEY,
  community_id BIGINT NOT NULL REFERENCES communities(id),
  owner_user_id BIGINT REFERENCES users(id),
  owner_api_key_id BIGINT,
  owner_type TEXT NOT NULL
    CHECK (owner_type IN ('individual', 'merchant', 'property', 'community', 'organisation')),
  kind TEXT NOT NULL CHECK (kind IN ('space', 'service', 'goods', 'manpower')),
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  tags TEXT NOT NULL,
  capacity BIGINT,
  open_hours TEXT NOT NULL,
  facilities TEXT NOT NULL,
  skill TEXT NOT NULL,
  certificate TEXT NOT NULL,
  item_condition TEXT,
  quantity BIGINT,
  team_size BIGINT,
  skills TEXT NOT NULL,
  rule TEXT NOT NULL CHECK (rule IN ('free', 'price', 'points', 'exchange', 'deposit')),
  price_fen BIGINT NOT NULL CHECK (price_fen >= 0),
  price_unit TEXT NOT NULL,
  points BIGINT NOT NULL CHECK (points >= 0),
  deposit_points BIGINT NOT NULL CHECK (deposit_points >= 0),
  exchange_terms TEXT NOT NULL,
  building_id BIGINT REFERENCES buildings(id),
  lat REAL,
  lon REAL,
  visibility TEXT NOT NULL CHECK (visibility IN ('community', 'street', 'city')),
  availability TEXT NOT NULL
    CHECK (availability IN ('available', 'reserved', 'in_use', 'maintenance')),
  lifecycle TEXT NOT NULL
    CHECK (lifecycle IN ('draft', 'pending_review', 'listed', 'delisted', 'archived')),
  ref TEXT,
  version BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  listed_at BIGINT,
  reconfirm_due_at BIGINT,
  reminded_at BIGINT,
  last_activity_at BIGINT NOT NULL,
  delisted_reason TEXT,
  CHECK (owner_user_id IS NOT NULL OR owner_api_key_id IS NOT NULL),
  CHECK ((lat IS NULL) = (lon IS NULL)),
  UNIQUE (community_id, id),
  UNIQUE (community_id, ref)
);
CREATE INDEX resource_cards_by_lifecycle ON resource_cards (community_id, lifecycle, id);
CREATE INDEX resource_cards_by_owner ON resource_cards (owner_user_id, id);
CREATE INDEX resource_cards_due ON resource_cards (lifecycle, reconfirm_due_at);
CREATE INDEX resource_cards_idle ON resource_cards (lifecycle, last_activity_at);

CREATE TABLE resource_reviews (
  id INTEGER PRIMARY KEY,
  community_id BIGINT NOT NULL,
  resource_id BIGINT NOT NULL,
  reviewer_id BIGINT NOT NULL,
  decision TEXT NOT NULL CHECK (decision IN ('approve', 'reject', 'delist')),
  reason TEXT NOT NULL,
  decided_at BIGINT NOT NULL,
  FOREIGN KEY (community_id, resource_id) REFERENCES resource_cards (community_id, id)
);
CREATE INDEX resource_reviews_by_card ON resource_reviews (community_id, resource_id, id);

CREATE TABLE resource_photos (
  id INTEGER PRIMARY KEY,
  community_id BIGINT NOT NULL,
  resource_id BIGINT NOT NULL,
  media_type TEXT NOT NULL CHECK (media_type IN ('image/jpeg', 'image/png', 'image/webp')),
  bytes BLOB NOT NULL,
  size_bytes BIGINT NOT NULL,
  sha256 TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  FOREIGN KEY (community_id, resource_id) REFERENCES resource_cards (community_id, id)
);
CREATE INDEX resource_photos_by_card ON resource_photos (community_id, resource_id, id);

CREATE TABLE resource_settings (
  community_id BIGINT PRIMARY KEY REFERENCES communities(id),
  reconfirm_days BIGINT NOT NULL CHECK (reconfirm_days > 0),
  reminder_days BIGINT NOT NULL CHECK (reminder_days >= 0),
  idle_days BIGINT NOT NULL CHECK (idle_days > 0),
  updated_at BIGINT NOT NULL
);

-- Appended in the same transaction as every card change; each process polls id > last seen.
-- resource_id 0 asks every process to rebuild its whole index (bulk seeding).
CREATE TABLE resource_changes (
  id INTEGER PRIMARY KEY,
  community_id BIGINT NOT NULL,
  resource_id BIGINT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX resource_changes_by_time ON resource_changes (at);
