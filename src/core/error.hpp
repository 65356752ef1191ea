#pragma once
// One error vocabulary for every module: expected outcomes are values, not exceptions.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <boost/system/result.hpp>

namespace linli {

// Stable: numeric values are logged and names appear in API responses.
// Never renumber; append only.
enum class Errc : std::uint8_t {
  kInvalidArgument = 1,     // 400  malformed input
  kUnauthenticated = 2,     // 401
  kPermissionDenied = 3,    // 403
  kNotFound = 4,            // 404  also "exists but not yours"
  kConflict = 5,            // 409  state conflict; retry the whole read-modify-write
  kFailedPrecondition = 6,  // 422  well-formed but not acceptable now
  kResourceExhausted = 7,   // 429
  kUnavailable = 8,         // 503  retry the same call later
  kInternal = 9,            // 500  a bug: also logged at error level
  kPayloadTooLarge = 10,    // 413
  kUnsupportedMedia = 11,   // 415
};

// A field-level problem inside an invalid request (RFC 9457 "errors" member).
struct FieldError {
  std::string field;
  std::string reason;
};

struct Error {
  Errc code = Errc::kInternal;
  std::string reason;  // stable snake_case key listed in docs/errors.md
  std::string detail;  // human text, safe to show to the client (never personal data)
  std::vector<FieldError> errors = {};
};

template <class T>
using Result = boost::system::result<T, Error>;
using Status = Result<void>;

inline Status Ok() {
  return {};
}

// Found by ADL when Result<T>::value() is called on an error: a programmer error.
[[noreturn]] void throw_exception_from_error(const Error& error, const boost::source_location& loc);

// Name of an Errc as used in logs ("not_found").
const char* ErrcName(Errc code);

// The errors every module returns, built one way (reasons as in docs/errors.md).
// 404 not_found: also "exists but not yours".
Error NotFoundError();
// 401 unauthenticated.
Error UnauthenticatedError();
// 400 invalid_field with one field error (`field` as the API names it, `field_reason` e.g.
// "required", "too_long", "out_of_range").
Error InvalidFieldError(std::string field, std::string field_reason, std::string detail = {});
// 403 with `reason` (e.g. "forbidden", "insufficient_scope").
Error ForbiddenError(std::string reason, std::string detail);
// 409 with `reason` (e.g. "illegal_transition", "version_mismatch", "slot_taken").
Error ConflictError(std::string reason, std::string detail);
// 422 with `reason` (e.g. "insufficient_funds").
Error PreconditionError(std::string reason, std::string detail);

}  // namespace linli

// Propagates an error from an expression yielding Result<T>/Status.
#define LINLI_TRY(expr) LINLI_TRY_IMPL_(expr, LINLI_CONCAT_(linli_try_, __COUNTER__))
#define LINLI_TRY_IMPL_(expr, name)   \
  do {                                \
    if (auto name = (expr); !name) {  \
      return std::move(name).error(); \
    }                                 \
  } while (false)

// Assigns the value of a Result<T> or propagates its error.
#define LINLI_ASSIGN_OR_RETURN(lhs, expr) \
  LINLI_ASSIGN_OR_RETURN_IMPL_(lhs, expr, LINLI_CONCAT_(linli_result_, __COUNTER__))
#define LINLI_ASSIGN_OR_RETURN_IMPL_(lhs, expr, name) \
  auto name = (expr);                                 \
  if (!name) {                                        \
    return std::move(name).error();                   \
  }                                                   \
  lhs = std::move(*name)
#define LINLI_CONCAT_INNER_(a, b) a##b
#define LINLI_CONCAT_(a, b) LINLI_CONCAT_INNER_(a, b)
