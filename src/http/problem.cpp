#include "http/problem.hpp"

#include <boost/json.hpp>

namespace linli::http {

int StatusFor(Errc code) {
  switch (code) {  // no default: -Wswitch flags a new Errc
    case Errc::kInvalidArgument: return 400;
    case Errc::kUnauthenticated: return 401;
    case Errc::kPermissionDenied: return 403;
    case Errc::kNotFound: return 404;
    case Errc::kConflict: return 409;
    case Errc::kPayloadTooLarge: return 413;
    case Errc::kUnsupportedMedia: return 415;
    case Errc::kFailedPrecondition: return 422;
    case Errc::kResourceExhausted: return 429;
    case Errc::kInternal: return 500;
    case Errc::kUnavailable: return 503;
  }
  return 500;
}

namespace {
std::string_view TitleFor(int status) {
  switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 431: return "Request Header Fields Too Large";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 503: return "Service Unavailable";
    default: return "Internal Server Error";
  }
}
}  // namespace

Response ProblemResponse(const Error& error, std::string_view request_id) {
  return ProblemResponse(StatusFor(error.code), error, request_id);
}

Response ProblemResponse(int status, const Error& error, std::string_view request_id) {
  boost::json::object body;
  body["type"] = "https://linli.example/problems/" + error.reason;
  body["title"] = TitleFor(status);
  body["status"] = status;
  // Internal errors keep their detail for the log only: it may name tables or SQL.
  body["detail"] = status == 500 ? "internal error; quote the request id" : error.detail;
  body["reason"] = error.reason;
  boost::json::array errors;
  for (const auto& field : error.errors) {
    errors.push_back(boost::json::object{{"field", field.field}, {"reason", field.reason}});
  }
  body["errors"] = std::move(errors);
  body["request_id"] = request_id;
  Response response;
  response.status = status;
  response.content_type = "application/problem+json";
  response.body = boost::json::serialize(body);
  return response;
}

}  // namespace linli::http
