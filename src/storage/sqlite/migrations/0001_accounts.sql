-- accounts: the city → street → community → grid → building → household hierarchy, users,
-- roles, sessions, login throttling, organisation API keys.
CREATE TABLE cities (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
);
CREATE TABLE streets (
  id INTEGER PRIMARY KEY,
  city_id BIGINT NOT NULL REFERENCES cities(id),
  name TEXT NOT NULL,
  UNIQUE (city_id, name)
);
CREATE TABLE communities (
  id INTEGER PRIMARY KEY,
  street_id BIGINT NOT NULL REFERENCES streets(id),
  name TEXT NOT NULL,
  timezone TEXT NOT NULL DEFAULT 'Asia/Shanghai',
  invite_code_hash TEXT,
  created_at BIGINT NOT NULL,
  UNIQUE (street_id, name)
);
CREATE TABLE grids (
  id INTEGER PRIMARY KEY,
  community_id BIGINT NOT NULL REFERENCES communities(id),
  name TEXT NOT NULL,
  UNIQUE (community_id, name)
);
CREATE TABLE buildings (
  id INTEGER PRIMARY KEY,
  community_id BIGINT NOT NULL REFERENCES communities(id),
  grid_id BIGINT REFERENCES grids(id),
  name TEXT NOT NULL,
  UNIQUE (community_id, name)
);
CREATE TABLE households (
  id INTEGER PRIMARY KEY,
  community_id BIGINT NOT NULL REFERENCES communities(id),
  building_id BIGINT NOT NULL REFERENCES buildings(id),
  unit_label TEXT NOT NULL,
  UNIQUE (community_id, building_id, unit_label)
);
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  login TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('active', 'pending', 'rejected', 'disabled')),
  locale TEXT NOT NULL DEFAULT 'zh-CN' CHECK (locale IN ('zh-CN', 'en')),
  elder_mode BIGINT NOT NULL DEFAULT 0 CHECK (elder_mode IN (0, 1)),
  current_community_id BIGINT REFERENCES communities(id),
  household_id BIGINT REFERENCES households(id),
  created_at BIGINT NOT NULL
);
CREATE TABLE memberships (
  community_id BIGINT NOT NULL REFERENCES communities(id),
  user_id BIGINT NOT NULL REFERENCES users(id),
  role TEXT NOT NULL,
  granted_at BIGINT NOT NULL,
  PRIMARY KEY (community_id, user_id, role)
);
CREATE INDEX memberships_by_user ON memberships (user_id);
CREATE TABLE registrations (
  community_id BIGINT NOT NULL REFERENCES communities(id),
  user_id BIGINT NOT NULL REFERENCES users(id),
  status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
  created_at BIGINT NOT NULL,
  decided_by BIGINT,
  decided_at BIGINT,
  PRIMARY KEY (community_id, user_id)
);
CREATE TABLE sessions (
  id INTEGER PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  user_id BIGINT NOT NULL REFERENCES users(id),
  csrf_token TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE TABLE login_throttle (
  login_key TEXT PRIMARY KEY,
  window_start BIGINT NOT NULL,
  failures BIGINT NOT NULL
);
CREATE TABLE api_keys (
  id INTEGER PRIMARY KEY,
  community_id BIGINT NOT NULL REFERENCES communities(id),
  name TEXT NOT NULL,
  prefix TEXT NOT NULL,
  secret_hash TEXT NOT NULL UNIQUE,
  scopes TEXT NOT NULL,
  created_by BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT
);
CREATE INDEX api_keys_by_community ON api_keys (community_id, id);
