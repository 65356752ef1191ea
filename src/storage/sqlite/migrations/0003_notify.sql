-- notify: the in-app inbox.
CREATE TABLE notifications (
  id INTEGER PRIMARY KEY,
  community_id BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  data TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  read_at BIGINT
);
CREATE INDEX notifications_by_user ON notifications (user_id, id);
-- jobs: leases so that a scheduled job runs on one process at a time, on either backend.
CREATE TABLE job_leases (
  name TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  last_run_at BIGINT
);
