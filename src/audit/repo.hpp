#pragma once
// SQL for the audit chain; portable across SQLite and PostgreSQL.
#include <optional>
#include <vector>

#include "audit/model.hpp"
#include "core/page.hpp"
#include "storage/store.hpp"

namespace linli::audit::repo {

// Appends to the community's chain inside the caller's transaction. Concurrent appends to
// one chain serialise on the audit_head row.
Result<Entry> Append(storage::Session& session, const EntryDraft& draft, std::int64_t now_s);

// Newest first; PageRequest::after is a seq (entries with smaller seq follow).
Result<Page<Entry>> List(storage::Session& session, std::int64_t community_id,
                         const PageRequest& page);

// Walks every chain (or one) and reports the first entry that does not verify.
Result<Verification> Verify(storage::Session& session, std::optional<std::int64_t> community_id);

}  // namespace linli::audit::repo
