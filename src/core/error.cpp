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

}  // namespace linli
