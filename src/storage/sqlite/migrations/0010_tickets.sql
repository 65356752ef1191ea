-- tickets: requests and repair tickets (诉求与报修) with tracking codes, the three-colour SLA
-- clocks, their history (steps), photos, routing rules, per-community settings and the
-- working-day calendar overrides. Times are epoch seconds UTC; calendar days are days since
-- 1970-01-01 in the community's time zone.
CREATE TABLE tickets (
  id INTEGER PRIMARY KEY,
  community_id BIGINT NOT NULL REFERENCES communities(id),
  code TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL
    CHECK (type IN ('consult', 'help', 'complaint', 'report', 'suggestion', 'repair')),
  category TEXT NOT NULL,
  colour TEXT NOT NULL CHECK (colour IN ('red', 'yellow', 'blue')),
  colour_rank BIGINT NOT NULL CHECK (colour_rank BETWEEN 0 AND 2),
  status TEXT NOT NULL CHECK (status IN ('submitted', 'accepted', 'in_progress',
    'waiting_on_resident', 'resolved', 'closed', 'merged')),
  is_open BIGINT NOT NULL CHECK (is_open IN (0, 1)),
  channel TEXT NOT NULL CHECK (channel IN ('app', 'assisted', 'phone', 'open311')),
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  building_id BIGINT REFERENCES buildings(id),
  unit_label TEXT NOT NULL,
  lat REAL,
  lon REAL,
  address TEXT NOT NULL,
  reporter_user_id BIGINT REFERENCES users(id),
  entered_by_user_id BIGINT REFERENCES users(id),
  api_key_id BIGINT,
  contact_sealed BLOB,
  assignee_kind TEXT NOT NULL
    CHECK (assignee_kind IN ('property', 'grid_worker', 'merchant', 'department')),
  assignee_user_id BIGINT REFERENCES users(id),
  department TEXT NOT NULL,
  response_due_s BIGINT,
  response_warn_at_s BIGINT,
  response_remaining_s BIGINT,
  response_met_at_s BIGINT,
  response_warned BIGINT NOT NULL,
  response_breached BIGINT NOT NULL,
  resolution_due_s BIGINT,
  resolution_warn_at_s BIGINT,
  resolution_remaining_s BIGINT,
  resolution_met_at_s BIGINT,
  resolution_warned BIGINT NOT NULL,
  resolution_breached BIGINT NOT NULL,
  escalated BIGINT NOT NULL,
  paused_at_s BIGINT,
  resolved_at_s BIGINT,
  closed_at_s BIGINT,
  merged_into_id BIGINT,
  rating BIGINT CHECK (rating BETWEEN 1 AND 5),
  rating_comment TEXT NOT NULL,
  follow_up TEXT NOT NULL,
  reopen_count BIGINT NOT NULL,
  queue_due_s BIGINT NOT NULL,
  next_sla_event_s BIGINT,
  version BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  CHECK ((lat IS NULL) = (lon IS NULL)),
  UNIQUE (community_id, id)
);
-- The staff work queues: open tickets by colour, then deadline (first page of 20).
CREATE INDEX tickets_queue_team ON tickets
  (community_id, assignee_kind, colour_rank, queue_due_s, id) WHERE is_open = 1;
CREATE INDEX tickets_queue_user ON tickets
  (community_id, assignee_user_id, colour_rank, queue_due_s, id) WHERE is_open = 1;
CREATE INDEX tickets_queue_all ON tickets
  (community_id, colour_rank, queue_due_s, id) WHERE is_open = 1;
CREATE INDEX tickets_by_reporter ON tickets (reporter_user_id, id);
CREATE INDEX tickets_sla_due ON tickets (next_sla_event_s) WHERE next_sla_event_s IS NOT NULL;

CREATE TABLE ticket_steps (
  id INTEGER PRIMARY KEY,
  community_id BIGINT NOT NULL,
  ticket_id BIGINT NOT NULL,
  at BIGINT NOT NULL,
  kind TEXT NOT NULL,
  from_status TEXT,
  to_status TEXT,
  actor_role TEXT NOT NULL,
  actor_user_id BIGINT NOT NULL,
  note TEXT NOT NULL,
  is_public BIGINT NOT NULL CHECK (is_public IN (0, 1)),
  FOREIGN KEY (community_id, ticket_id) REFERENCES tickets (community_id, id)
);
CREATE INDEX ticket_steps_by_ticket ON ticket_steps (community_id, ticket_id, id);

CREATE TABLE ticket_photos (
  id INTEGER PRIMARY KEY,
  community_id BIGINT NOT NULL,
  ticket_id BIGINT NOT NULL,
  media_type TEXT NOT NULL CHECK (media_type IN ('image/jpeg', 'image/png', 'image/webp')),
  bytes BLOB NOT NULL,
  size_bytes BIGINT NOT NULL,
  sha256 TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  FOREIGN KEY (community_id, ticket_id) REFERENCES tickets (community_id, id)
);
CREATE INDEX ticket_photos_by_ticket ON ticket_photos (community_id, ticket_id, id);

CREATE TABLE ticket_rules (
  id INTEGER PRIMARY KEY,
  community_id BIGINT NOT NULL REFERENCES communities(id),
  category TEXT NOT NULL,
  building_id BIGINT REFERENCES buildings(id),
  grid_id BIGINT REFERENCES grids(id),
  assignee_kind TEXT NOT NULL
    CHECK (assignee_kind IN ('property', 'grid_worker', 'merchant', 'department')),
  assignee_user_id BIGINT REFERENCES users(id),
  department TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (community_id, id)
);
CREATE INDEX ticket_rules_by_community ON ticket_rules (community_id, id);

CREATE TABLE ticket_settings (
  community_id BIGINT PRIMARY KEY REFERENCES communities(id),
  reopen_days BIGINT NOT NULL CHECK (reopen_days BETWEEN 0 AND 90),
  supervisor_user_id BIGINT REFERENCES users(id),
  updated_at BIGINT NOT NULL
);

-- A year a community's admins edited: from then on its days come only from
-- ticket_calendar_days, not from the shipped national arrangement.
CREATE TABLE ticket_calendar_years (
  community_id BIGINT NOT NULL REFERENCES communities(id),
  year BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (community_id, year)
);
CREATE TABLE ticket_calendar_days (
  community_id BIGINT NOT NULL,
  day BIGINT NOT NULL,
  year BIGINT NOT NULL,
  working BIGINT NOT NULL CHECK (working IN (0, 1)),
  note TEXT NOT NULL,
  PRIMARY KEY (community_id, day),
  FOREIGN KEY (community_id, year) REFERENCES ticket_calendar_years (community_id, year)
);
