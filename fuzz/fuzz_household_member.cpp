// Household register request bodies: member saves (with nested consents), record patches,
// consent changes and history entries, all from one JSON body; plus the If-Match header.
#include <cstdint>
#include <string>

#include "households/routes.hpp"
#include "http/json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  (void)linli::households::ParseIfMatch(std::string_view(text));
  linli::http::Request request;
  request.body = text;
  auto object = linli::http::ParseJsonObject(request);
  if (!object) return 0;
  (void)linli::households::ParseMemberSave(*object, true);
  (void)linli::households::ParseMemberSave(*object, false);
  (void)linli::households::ParseRecordPatch(*object);
  (void)linli::households::ParseConsentChange(*object);
  (void)linli::households::ParseHistoryInput(*object);
  return 0;
}
