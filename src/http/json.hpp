#pragma once
// JSON request parsing and responses for routes. Parsing is strict: unknown fields, wrong
// types and out-of-range values are collected into one invalid_field error with errors[].
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include "core/error.hpp"
#include "core/page.hpp"
#include "http/message.hpp"

namespace linli::http {

// 400 malformed_json / expected_object.
Result<boost::json::object> ParseJsonObject(const Request& request);

Response Json(int status, const boost::json::value& body);
Response NoContent();
// A problem response for `error`, tagged with the request's id.
Response Problem(const Request& request, const Error& error);

// Appends JSON text straight to a string, without building a value tree: for hot responses of
// a fixed shape (GET /me). Output matches boost::json::serialize: `"` `\` and control
// characters escaped, other UTF-8 bytes as they are. The caller balances Begin/End.
class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& BeginObject() { return Open('{'); }
  JsonWriter& EndObject() { return Close('}'); }
  JsonWriter& BeginArray() { return Open('['); }
  JsonWriter& EndArray() { return Close(']'); }
  // The next value belongs to this key (inside an object).
  JsonWriter& Key(std::string_view key);
  JsonWriter& String(std::string_view value);
  JsonWriter& Int(std::int64_t value);
  JsonWriter& Bool(bool value);
  JsonWriter& Null();
  JsonWriter& Fixed(double value, int decimals);  // a finite number, e.g. 1.250
  JsonWriter& OptionalInt(const std::optional<std::int64_t>& value) {
    return value ? Int(*value) : Null();
  }

 private:
  JsonWriter& Open(char bracket);
  JsonWriter& Close(char bracket);
  void BeforeValue();  // a comma unless first in its container or right after a key
  void Escaped(std::string_view text);

  std::string& out_;
  bool first_ = true;  // nothing written yet in the current container
  bool after_key_ = false;
};

// A 200-style response whose body is JSON text made elsewhere (e.g. by JsonWriter).
Response JsonText(int status, std::string body);

enum class Need : std::uint8_t { kRequired, kOptional };

// Reads typed fields from a JSON object and remembers every problem.
class FieldReader {
 public:
  explicit FieldReader(const boost::json::object& object) : object_(object) {}

  // Text is trimmed of surrounding whitespace; byte lengths count UTF-8 bytes.
  std::optional<std::string> String(std::string_view key, Need need, std::size_t max_bytes,
                                    std::size_t min_bytes = 0);
  std::optional<std::int64_t> Int(std::string_view key, Need need, std::int64_t min,
                                  std::int64_t max);
  std::optional<bool> Bool(std::string_view key, Need need);
  // Any JSON number (integer or not) within [min, max]; NaN and infinities cannot occur in JSON.
  std::optional<double> Number(std::string_view key, Need need, double min, double max);
  std::optional<std::vector<std::string>> Strings(std::string_view key, Need need,
                                                  std::size_t max_items, std::size_t max_bytes);
  void Fail(std::string_view key, std::string_view reason);

  // Rejects fields that were never read (unknown fields) and returns the collected errors.
  Status Finish();

 private:
  const boost::json::value* Find(std::string_view key, Need need);

  const boost::json::object& object_;
  std::vector<std::string> read_;
  std::vector<FieldError> errors_;
};

// The request's actor, or an anonymous one (services answer unauthenticated where needed).
const Actor& ActorOf(const Request& request);

// A path parameter that must be a positive id; anything else is "not found".
Result<std::int64_t> PathId(const Request& request, std::string_view name);

// ?limit=&cursor= ; 400 invalid_field for bad values.
Result<PageRequest> ParsePage(const Request& request);
std::string EncodeCursor(std::int64_t key);
// null on the last page.
boost::json::value CursorJson(const std::optional<std::int64_t>& next);

}  // namespace linli::http
