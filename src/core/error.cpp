#include "core/error.hpp"

#include <stdexcept>

namespace linli {

void throw_exception_from_error(const Error& error, const boost::source_location& /*loc*/) {
  throw std::logic_error("unchecked Result holds error: " + error.reason + ": " + error.detail);
}

const char* ErrcName(Errc code) {
  switch (code) {
    case Errc::kInvalidArgument: return "invalid_argument";
    case Errc::kUnauthenticated: return "unauthenticated";
    case Errc::kPermissionDenied: return "permission_denied";
    case Errc::kNotFound: return "not_found";
    case Errc::kConflict: return "conflict";
    case Errc::kFailedPrecondition: return "failed_precondition";
    case Errc::kResourceExhausted: return "resource_exhausted";
    case Errc::kUnavailable: return "unavailable";
    case Errc::kInternal: return "internal";
    case Errc::kPayloadTooLarge: return "payload_too_large";
    case Errc::kUnsupportedMedia: return "unsupported_media_type";
  }
  return "internal";
}

Error NotFoundError() {
  return Error{Errc::kNotFound, "not_found", "no such record"};
}

Error UnauthenticatedError() {
  return Error{Errc::kUnauthenticated, "unauthenticated", "sign in first"};
}

Error InvalidFieldError(std::string field, std::string field_reason, std::string detail) {
  if (detail.empty()) detail = field + ": " + field_reason;
  return Error{Errc::kInvalidArgument,
               "invalid_field",
               std::move(detail),
               {FieldError{std::move(field), std::move(field_reason)}}};
}

Error ForbiddenError(std::string reason, std::string detail) {
  return Error{Errc::kPermissionDenied, std::move(reason), std::move(detail)};
}

Error ConflictError(std::string reason, std::string detail) {
  return Error{Errc::kConflict, std::move(reason), std::move(detail)};
}

Error PreconditionError(std::string reason, std::string detail) {
  return Error{Errc::kFailedPrecondition, std::move(reason), std::move(detail)};
}

}  // namespace linli
