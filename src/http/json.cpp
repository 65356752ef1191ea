#include "http/json.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <iterator>

#include <fmt/format.h>

#include "core/limits.hpp"
#include "http/problem.hpp"

namespace linli::http {

Result<boost::json::object> ParseJsonObject(const Request& request) {
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(request.body, ec);
  if (ec) {
    return Error{Errc::kInvalidArgument, "malformed_json", "request body is not valid JSON"};
  }
  if (!value.is_object()) {
    return Error{Errc::kInvalidArgument, "expected_object", "request body must be a JSON object"};
  }
  return std::move(value.as_object());
}

Response Json(int status, const boost::json::value& body) {
  Response response;
  response.status = status;
  response.body = boost::json::serialize(body);
  return response;
}

Response JsonText(int status, std::string body) {
  Response response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

JsonWriter& JsonWriter::Open(char bracket) {
  BeforeValue();
  out_.push_back(bracket);
  first_ = true;
  return *this;
}

JsonWriter& JsonWriter::Close(char bracket) {
  out_.push_back(bracket);
  first_ = false;  // the container just closed is a value of its parent
  after_key_ = false;
  return *this;
}

void JsonWriter::BeforeValue() {
  if (after_key_) {
    after_key_ = false;
  } else if (!first_) {
    out_.push_back(',');
  }
  first_ = false;
}

JsonWriter& JsonWriter::Key(std::string_view key) {
  BeforeValue();
  Escaped(key);
  out_.push_back(':');
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::String(std::string_view value) {
  BeforeValue();
  Escaped(value);
  return *this;
}

JsonWriter& JsonWriter::Int(std::int64_t value) {
  BeforeValue();
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out_.append(digits, end);
  return *this;
}

JsonWriter& JsonWriter::Fixed(double value, int decimals) {
  BeforeValue();
  fmt::format_to(std::back_inserter(out_), "{:.{}f}", std::isfinite(value) ? value : 0.0, decimals);
  return *this;
}

JsonWriter& JsonWriter::Bool(bool value) {
  BeforeValue();
  out_ += value ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::Null() {
  BeforeValue();
  out_ += "null";
  return *this;
}

void JsonWriter::Escaped(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out_.push_back('"');
  std::size_t clean_from = 0;  // runs of bytes that need no escape are appended at once
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte >= 0x20 && byte != '"' && byte != '\\') continue;
    out_.append(text.data() + clean_from, i - clean_from);
    clean_from = i + 1;
    switch (byte) {
      case '"': out_ += "\\\""; break;
      case '\\': out_ += "\\\\"; break;
      case '\b': out_ += "\\b"; break;
      case '\f': out_ += "\\f"; break;
      case '\n': out_ += "\\n"; break;
      case '\r': out_ += "\\r"; break;
      case '\t': out_ += "\\t"; break;
      default:
        out_ += "\\u00";
        out_.push_back(kHex[byte >> 4]);
        out_.push_back(kHex[byte & 0xf]);
    }
  }
  out_.append(text.data() + clean_from, text.size() - clean_from);
  out_.push_back('"');
}

Response NoContent() {
  Response response;
  response.status = 204;
  response.content_type.clear();
  return response;
}

Response Problem(const Request& request, const Error& error) {
  return ProblemResponse(error, request.request_id);
}

const boost::json::value* FieldReader::Find(std::string_view key, Need need) {
  read_.emplace_back(key);
  const auto* value = object_.if_contains(key);
  if (value == nullptr || value->is_null()) {
    if (need == Need::kRequired) Fail(key, "required");
    return nullptr;
  }
  return value;
}

void FieldReader::Fail(std::string_view key, std::string_view reason) {
  errors_.push_back(FieldError{std::string(key), std::string(reason)});
}

namespace {
std::string_view Trim(std::string_view text) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

bool HasControlCharacters(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 && c != '\n' && c != '\t';
  });
}
}  // namespace

std::optional<std::string> FieldReader::String(std::string_view key, Need need,
                                               std::size_t max_bytes, std::size_t min_bytes) {
  const auto* value = Find(key, need);
  if (value == nullptr) return std::nullopt;
  if (!value->is_string()) {
    Fail(key, "expected_string");
    return std::nullopt;
  }
  const std::string_view text = Trim(value->as_string());
  if (text.size() < min_bytes) {
    Fail(key, text.empty() ? "required" : "too_short");
    return std::nullopt;
  }
  if (text.size() > max_bytes) {
    Fail(key, "too_long");
    return std::nullopt;
  }
  if (HasControlCharacters(text)) {
    Fail(key, "control_characters");
    return std::nullopt;
  }
  return std::string(text);
}

std::optional<std::int64_t> FieldReader::Int(std::string_view key, Need need, std::int64_t min,
                                             std::int64_t max) {
  const auto* value = Find(key, need);
  if (value == nullptr) return std::nullopt;
  std::int64_t number = 0;
  if (value->is_int64()) {
    number = value->as_int64();
  } else if (value->is_uint64() && value->as_uint64() <= INT64_MAX) {
    number = static_cast<std::int64_t>(value->as_uint64());
  } else {
    Fail(key, "expected_integer");
    return std::nullopt;
  }
  if (number < min || number > max) {
    Fail(key, "out_of_range");
    return std::nullopt;
  }
  return number;
}

std::optional<bool> FieldReader::Bool(std::string_view key, Need need) {
  const auto* value = Find(key, need);
  if (value == nullptr) return std::nullopt;
  if (!value->is_bool()) {
    Fail(key, "expected_boolean");
    return std::nullopt;
  }
  return value->as_bool();
}

std::optional<double> FieldReader::Number(std::string_view key, Need need, double min, double max) {
  const auto* value = Find(key, need);
  if (value == nullptr) return std::nullopt;
  if (!value->is_number()) {
    Fail(key, "expected_number");
    return std::nullopt;
  }
  const double number = value->to_number<double>();
  if (number < min || number > max) {
    Fail(key, "out_of_range");
    return std::nullopt;
  }
  return number;
}

std::optional<std::vector<std::string>> FieldReader::Strings(std::string_view key, Need need,
                                                             std::size_t max_items,
                                                             std::size_t max_bytes) {
  const auto* value = Find(key, need);
  if (value == nullptr) return std::nullopt;
  if (!value->is_array() || value->as_array().size() > max_items) {
    Fail(key, value->is_array() ? "too_many_items" : "expected_array");
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (const auto& item : value->as_array()) {
    if (!item.is_string() || item.as_string().size() > max_bytes ||
        HasControlCharacters(item.as_string())) {
      Fail(key, "invalid_item");
      return std::nullopt;
    }
    out.emplace_back(item.as_string());
  }
  return out;
}

Status FieldReader::Finish() {
  for (const auto& [key, value] : object_) {
    if (std::find(read_.begin(), read_.end(), std::string_view(key)) == read_.end()) {
      Fail(key, "unknown_field");
    }
  }
  if (errors_.empty()) return Ok();
  std::string detail = "invalid request fields:";
  for (const auto& error : errors_) detail += " " + error.field + " (" + error.reason + ")";
  return Error{Errc::kInvalidArgument, "invalid_field", detail, errors_};
}

namespace {
std::optional<std::int64_t> ParsePositive(std::string_view text) {
  std::int64_t number = 0;
  const auto* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, number);
  if (ec != std::errc{} || ptr != end || number <= 0) return std::nullopt;
  return number;
}
}  // namespace

const Actor& ActorOf(const Request& request) {
  static const Actor kAnonymous{};
  return request.actor ? *request.actor : kAnonymous;
}

Result<std::int64_t> PathId(const Request& request, std::string_view name) {
  auto id = ParsePositive(request.PathParam(name));
  if (!id) return Error{Errc::kNotFound, "not_found", "no such record"};
  return *id;
}

Result<PageRequest> ParsePage(const Request& request) {
  PageRequest page;
  page.limit = limits::kPageSizeDefault;
  if (auto limit = request.Query("limit")) {
    auto parsed = ParsePositive(*limit);
    if (!parsed || *parsed > limits::kPageSizeMax) {
      return Error{Errc::kInvalidArgument,
                   "invalid_field",
                   "limit must be 1..100",
                   {{"limit", "out_of_range"}}};
    }
    page.limit = static_cast<int>(*parsed);
  }
  if (auto cursor = request.Query("cursor"); cursor && !cursor->empty()) {
    auto parsed = ParsePositive(cursor->starts_with("c") ? cursor->substr(1) : "");
    if (!parsed) {
      return Error{
          Errc::kInvalidArgument, "invalid_field", "cursor is not valid", {{"cursor", "invalid"}}};
    }
    page.after = *parsed;
  }
  return page;
}

std::string EncodeCursor(std::int64_t key) {
  return "c" + std::to_string(key);
}

boost::json::value CursorJson(const std::optional<std::int64_t>& next) {
  if (!next) return nullptr;
  return boost::json::value(EncodeCursor(*next));
}

}  // namespace linli::http
