#pragma once
// The audit log's vocabulary. Entries carry ids and action names only — never personal data —
// so erasing a person never requires touching the chain.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/actor.hpp"

namespace linli::audit {

inline constexpr std::int64_t kPlatformChain = 0;  // events that belong to no community

struct EntryDraft {
  std::int64_t community_id = kPlatformChain;
  std::int64_t actor_id = 0;  // 0 = the system (CLI, jobs)
  std::optional<std::int64_t> acting_for_id;
  std::string role;         // the role the actor acted in ("committee", "system", ...)
  std::string action;       // "accounts.login", "accounts.registration.approve", ...
  std::string object_type;  // "user", "session", "api_key", ...
  std::string object_id;
  std::string details = "{}";  // small JSON of non-personal facts (statuses, counts)
};

struct Entry {
  EntryDraft draft;
  std::int64_t seq = 0;
  std::int64_t at = 0;  // epoch seconds UTC
  std::string prev_hash;
  std::string hash;
};

struct Verification {
  bool ok = true;
  std::int64_t checked = 0;
  std::optional<std::int64_t> first_bad_community_id;
  std::optional<std::int64_t> first_bad_seq;
  std::string problem;  // "hash_mismatch", "broken_link", "missing_entries", "head_mismatch"
};

// Builds a draft for `actor` acting in `community_id`; the role recorded is the most specific
// role the actor holds there ("system" for the CLI, "api_key" for organisation keys).
EntryDraft DraftFor(const Actor& actor, std::int64_t community_id, std::string action,
                    std::string object_type, std::string object_id);

// The chain hash of an entry (SHA-256 over a canonical, length-prefixed encoding).
std::string ChainHash(const Entry& entry);

}  // namespace linli::audit
