-- trust: exchanges other modules report as finished, blind two-sided ratings, credit events
-- (the score is computed from them, docs/trust.md), reports of false listings, disputes with
-- their mediation timeline, and provider verification records (numbers sealed at rest).
CREATE TABLE trust_exchanges (
  id INTEGER PRIMARY KEY,
  community_id BIGINT NOT NULL REFERENCES communities(id),
  source TEXT NOT NULL CHECK (source IN ('booking', 'loan', 'service', 'ticket')),
  source_id BIGINT NOT NULL,
  card_id BIGINT,
  provider_user_id BIGINT NOT NULL REFERENCES users(id),
  consumer_user_id BIGINT NOT NULL REFERENCES users(id),
  outcome TEXT NOT NULL
    CHECK (outcome IN ('completed', 'no_show', 'returned_on_time', 'returned_late')),
  completed_at BIGINT NOT NULL,
  review_ends_at BIGINT NOT NULL,
  published_at BIGINT,
  created_at BIGINT NOT NULL,
  CHECK (provider_user_id <> consumer_user_id),
  UNIQUE (community_id, source, source_id)
);
CREATE INDEX trust_exchanges_by_provider ON trust_exchanges (community_id, provider_user_id);
CREATE INDEX trust_exchanges_by_consumer ON trust_exchanges (community_id, consumer_user_id);
CREATE INDEX trust_exchanges_unpublished ON trust_exchanges (review_ends_at)
  WHERE published_at IS NULL;
CREATE TABLE trust_ratings (
  id INTEGER PRIMARY KEY,
  community_id BIGINT NOT NULL REFERENCES communities(id),
  exchange_id BIGINT NOT NULL REFERENCES trust_exchanges(id),
  rater_user_id BIGINT NOT NULL REFERENCES users(id),
  ratee_user_id BIGINT NOT NULL REFERENCES users(id),
  rater_side TEXT NOT NULL CHECK (rater_side IN ('provider', 'consumer')),
  stars BIGINT CHECK (stars BETWEEN 1 AND 5),
  comment TEXT NOT NULL DEFAULT '',
  rated_at BIGINT,
  published_at BIGINT,
  UNIQUE (community_id, exchange_id, rater_side)
);
CREATE INDEX trust_ratings_by_rater ON trust_ratings (rater_user_id, id);
CREATE INDEX trust_ratings_by_ratee ON trust_ratings (community_id, ratee_user_id, id);
CREATE TABLE trust_credit_events (
  id INTEGER PRIMARY KEY,
  community_id BIGINT NOT NULL REFERENCES communities(id),
  user_id BIGINT NOT NULL REFERENCES users(id),
  kind TEXT NOT NULL CHECK (kind IN ('on_time', 'no_show', 'late_return', 'rating_good',
    'rating_poor', 'dispute_upheld', 'credit_deduction', 'report_upheld')),
  amount BIGINT NOT NULL DEFAULT 0 CHECK (amount >= 0),
  source_type TEXT NOT NULL CHECK (source_type IN ('exchange', 'rating', 'dispute', 'report')),
  source_id BIGINT NOT NULL,
  at BIGINT NOT NULL,
  UNIQUE (community_id, user_id, kind, source_type, source_id)
);
CREATE INDEX trust_credit_events_by_user ON trust_credit_events (community_id, user_id, at);
CREATE TABLE trust_reports (
  id INTEGER PRIMARY KEY,
  community_id BIGINT NOT NULL REFERENCES communities(id),
  card_id BIGINT NOT NULL,
  card_title TEXT NOT NULL DEFAULT '',
  card_owner_user_id BIGINT REFERENCES users(id),
  reporter_user_id BIGINT NOT NULL REFERENCES users(id),
  category TEXT NOT NULL
    CHECK (category IN ('fake', 'misleading', 'unavailable', 'prohibited', 'other')),
  text TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL CHECK (status IN ('open', 'upheld', 'dismissed')),
  decided_by BIGINT,
  decided_at BIGINT,
  decision_reason TEXT NOT NULL DEFAULT '',
  reward_points BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL
);
CREATE INDEX trust_reports_queue ON trust_reports (community_id, status, id);
CREATE INDEX trust_reports_by_reporter ON trust_reports (reporter_user_id, id);
-- One open report per card and reporter.
CREATE UNIQUE INDEX trust_reports_one_open ON trust_reports (community_id, card_id, reporter_user_id)
  WHERE status = 'open';
CREATE TABLE trust_disputes (
  id INTEGER PRIMARY KEY,
  community_id BIGINT NOT NULL REFERENCES communities(id),
  exchange_id BIGINT NOT NULL REFERENCES trust_exchanges(id),
  opened_by BIGINT NOT NULL REFERENCES users(id),
  respondent_user_id BIGINT NOT NULL REFERENCES users(id),
  reason TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'in_mediation', 'resolved')),
  mediator_user_id BIGINT REFERENCES users(id),
  outcome TEXT CHECK (outcome IN ('compensation', 'return', 'credit_deduction', 'dismissed')),
  at_fault_user_id BIGINT REFERENCES users(id),
  points BIGINT NOT NULL DEFAULT 0 CHECK (points >= 0),
  resolution TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  resolved_at BIGINT,
  CHECK ((status = 'resolved') = (outcome IS NOT NULL))
);
CREATE INDEX trust_disputes_queue ON trust_disputes (community_id, status, id);
CREATE INDEX trust_disputes_by_opener ON trust_disputes (opened_by, id);
CREATE INDEX trust_disputes_by_respondent ON trust_disputes (respondent_user_id, id);
-- At most one unresolved dispute per exchange.
CREATE UNIQUE INDEX trust_disputes_one_active ON trust_disputes (community_id, exchange_id)
  WHERE status <> 'resolved';
CREATE TABLE trust_dispute_events (
  id INTEGER PRIMARY KEY,
  community_id BIGINT NOT NULL REFERENCES communities(id),
  dispute_id BIGINT NOT NULL REFERENCES trust_disputes(id),
  actor_user_id BIGINT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('opened', 'taken', 'statement', 'note', 'resolved')),
  text TEXT NOT NULL DEFAULT '',
  internal BIGINT NOT NULL DEFAULT 0 CHECK (internal IN (0, 1)),
  at BIGINT NOT NULL
);
CREATE INDEX trust_dispute_events_by_dispute ON trust_dispute_events (community_id, dispute_id, id);
CREATE TABLE trust_verifications (
  id INTEGER PRIMARY KEY,
  community_id BIGINT NOT NULL REFERENCES communities(id),
  user_id BIGINT NOT NULL REFERENCES users(id),
  kind TEXT NOT NULL
    CHECK (kind IN ('certificate', 'background_check', 'license', 'health_certificate')),
  issuer TEXT NOT NULL,
  number_sealed BLOB,
  valid_until BIGINT,
  note TEXT NOT NULL DEFAULT '',
  recorded_by BIGINT NOT NULL,
  recorded_at BIGINT NOT NULL,
  revoked_at BIGINT,
  revoked_by BIGINT
);
CREATE INDEX trust_verifications_by_user ON trust_verifications (community_id, user_id, id);
