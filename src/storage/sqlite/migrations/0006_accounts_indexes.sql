-- accounts: every authenticated request lists the user's memberships; a covering index in
-- (user_id, community_id, role) order serves that query without a sort.
DROP INDEX memberships_by_user;
CREATE INDEX memberships_by_user ON memberships (user_id, community_id, role);
