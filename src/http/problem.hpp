#pragma once
// RFC 9457 problem details: the one place that maps Errc to an HTTP status.
#include "core/error.hpp"
#include "http/message.hpp"

namespace linli::http {

int StatusFor(Errc code);

// application/problem+json {type,title,status,detail,reason,errors[],request_id}.
Response ProblemResponse(const Error& error, std::string_view request_id);
// For the few statuses that have no Errc (405 method not allowed, 431 header too large).
Response ProblemResponse(int status, const Error& error, std::string_view request_id);

}  // namespace linli::http
