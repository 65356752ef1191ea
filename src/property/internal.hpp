#pragma once
// Helpers shared by the property service's translation units (not a public header).
#include <cstdint>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "audit/service.hpp"
#include "core/actor.hpp"
#include "core/error.hpp"

namespace linli::property::internal {

inline Status RequireSignedIn(const Actor& actor) {
  if (actor.IsAnonymous()) return UnauthenticatedError();
  return Ok();
}

// Organisation keys act only within their scopes; users and the system are not scoped.
inline Status RequireScope(const Actor& actor, std::string_view scope) {
  LINLI_TRY(RequireSignedIn(actor));
  if (actor.api_key_id && !actor.HasScope(scope)) {
    return ForbiddenError("insufficient_scope",
                          fmt::format("this API key lacks the {} scope", scope));
  }
  return Ok();
}

// In assisted mode a grid worker acts for a resident, whose passes and bills these are.
inline std::int64_t EffectiveUser(const Actor& actor) {
  return actor.acting_for.value_or(actor.user_id);
}

// Property staff and admins run passes at the gate desk, bills and payments.
inline bool IsPropertyStaff(const Actor& actor, std::int64_t community_id) {
  return actor.system || (!actor.api_key_id &&
                          actor.HasAnyRole(community_id, {Role::kPropertyStaff, Role::kAdmin}));
}

inline audit::EntryDraft Draft(const Actor& actor, std::int64_t community_id, std::string action,
                               std::string object_type, std::int64_t object_id,
                               std::string details) {
  auto draft = audit::DraftFor(actor, community_id, std::move(action), std::move(object_type),
                               std::to_string(object_id));
  draft.details = std::move(details);
  return draft;
}

// Text fields: required ones must be non-empty; every one within its byte limit and free of
// control characters (line breaks only where `multiline`; they end up in CSV cells, notifications
// and gate displays).
inline Status CheckText(std::string_view field, std::string_view text, std::size_t max_bytes,
                        bool required, bool multiline = false) {
  if (required && text.empty()) return InvalidFieldError(std::string(field), "required");
  if (text.size() > max_bytes) return InvalidFieldError(std::string(field), "too_long");
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte == 0x7f || (byte < 0x20 && !(multiline && c == '\n')))
      return InvalidFieldError(std::string(field), "invalid");
  }
  return Ok();
}

}  // namespace linli::property::internal
