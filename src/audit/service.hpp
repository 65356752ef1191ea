#pragma once
// Use cases of the audit log. Other modules append through Append() inside their own write
// transaction, so an action and its audit entry commit (or roll back) together.
#include "audit/model.hpp"
#include "core/clock.hpp"
#include "core/page.hpp"
#include "storage/store.hpp"

namespace linli::audit {

class AuditService {
 public:
  AuditService(storage::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // Appends inside the caller's transaction. Thread-safe.
  Status Append(storage::Session& session, const EntryDraft& draft) const;

  // Committee, admin and auditor of the community; others get not_found.
  Result<Page<Entry>> List(const Actor& actor, std::int64_t community_id,
                           const PageRequest& page) const;
  Result<Verification> Verify(const Actor& actor, std::int64_t community_id) const;

  // Every chain; for `linli verify-audit`.
  Result<Verification> VerifyAll() const;

 private:
  Status CanRead(const Actor& actor, std::int64_t community_id) const;

  storage::Store& store_;
  const Clock& clock_;
};

}  // namespace linli::audit
