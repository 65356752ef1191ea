#include "audit/service.hpp"

#include "audit/repo.hpp"

namespace linli::audit {

Status AuditService::Append(storage::Session& session, const EntryDraft& draft) const {
  LINLI_TRY(repo::Append(session, draft, clock_.NowEpochS()));
  return Ok();
}

Status AuditService::CanRead(const Actor& actor, std::int64_t community_id) const {
  if (actor.system) return Ok();
  if (actor.IsAnonymous()) return UnauthenticatedError();
  if (actor.HasAnyRole(community_id, {Role::kCommittee, Role::kAdmin, Role::kAuditor})) {
    return Ok();
  }
  return Error{Errc::kNotFound, "not_found", "no such community"};
}

Result<Page<Entry>> AuditService::List(const Actor& actor, std::int64_t community_id,
                                       const PageRequest& page) const {
  LINLI_TRY(CanRead(actor, community_id));
  return store_.ReadValue(
      [&](storage::Session& session) { return repo::List(session, community_id, page); });
}

Result<Verification> AuditService::Verify(const Actor& actor, std::int64_t community_id) const {
  LINLI_TRY(CanRead(actor, community_id));
  return store_.ReadValue(
      [&](storage::Session& session) { return repo::Verify(session, community_id); });
}

Result<Verification> AuditService::VerifyAll() const {
  return store_.ReadValue(
      [&](storage::Session& session) { return repo::Verify(session, std::nullopt); });
}

}  // namespace linli::audit
