// Request bodies: JSON parsing plus the strict field reader every route uses.
#include <cstdint>
#include <string>

#include "http/json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  linli::http::Request request;
  request.body.assign(reinterpret_cast<const char*>(data), size);
  auto object = linli::http::ParseJsonObject(request);
  if (!object) return 0;
  using linli::http::Need;
  linli::http::FieldReader fields(*object);
  (void)fields.String("login", Need::kRequired, 64, 3);
  (void)fields.String("display_name", Need::kOptional, 128);
  (void)fields.Int("community_id", Need::kOptional, 1, INT64_MAX);
  (void)fields.Bool("elder_mode", Need::kOptional);
  (void)fields.Strings("scopes", Need::kOptional, 16, 64);
  (void)fields.Finish();
  return 0;
}
