#include "audit/model.hpp"

#include <fmt/format.h>

#include "core/crypto.hpp"

namespace linli::audit {

EntryDraft DraftFor(const Actor& actor, std::int64_t community_id, std::string action,
                    std::string object_type, std::string object_id) {
  EntryDraft draft;
  draft.community_id = community_id;
  draft.actor_id = actor.user_id;
  draft.acting_for_id = actor.acting_for;
  draft.action = std::move(action);
  draft.object_type = std::move(object_type);
  draft.object_id = std::move(object_id);
  if (actor.system) {
    draft.role = "system";
  } else if (actor.api_key_id) {
    draft.role = "api_key";
  } else {
    draft.role = "user";
    // Most specific first: staff roles say more about why an action was allowed.
    for (Role role :
         {Role::kAdmin, Role::kCommittee, Role::kPropertyStaff, Role::kGridWorker, Role::kAuditor,
          Role::kOrganisation, Role::kMerchant, Role::kVolunteer, Role::kResident}) {
      if (actor.HasRole(community_id, role)) {
        draft.role = std::string(RoleName(role));
        break;
      }
    }
  }
  return draft;
}

std::string ChainHash(const Entry& entry) {
  const auto& d = entry.draft;
  // Length-prefixed fields: no two different entries encode to the same bytes.
  std::string canonical;
  const auto add = [&canonical](std::string_view field) {
    canonical += fmt::format("{}:{}|", field.size(), field);
  };
  add(std::to_string(d.community_id));
  add(std::to_string(entry.seq));
  add(std::to_string(entry.at));
  add(std::to_string(d.actor_id));
  add(d.acting_for_id ? std::to_string(*d.acting_for_id) : "");
  add(d.role);
  add(d.action);
  add(d.object_type);
  add(d.object_id);
  add(d.details);
  add(entry.prev_hash);
  return crypto::Sha256Hex(canonical);
}

}  // namespace linli::audit
