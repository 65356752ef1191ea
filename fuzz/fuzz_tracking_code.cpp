// Tracking codes as people type them, and Open311 form bodies. Parsing must never crash;
// whatever parses as a code is canonical, passes its check and survives formatting.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "tickets/routes.hpp"
#include "tickets/tracking_code.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (auto code = linli::tickets::ParseTrackingCode(input)) {
    if (code->size() != linli::tickets::kCodeLength) std::abort();
    if (linli::tickets::ParseTrackingCode(*code) != code) std::abort();
    if (linli::tickets::ParseTrackingCode(linli::tickets::FormatTrackingCode(*code)) != code) {
      std::abort();
    }
  }
  if (auto form = linli::tickets::ParseForm(input)) {
    (void)linli::tickets::ParseOpen311Post(*form);
  }
  (void)linli::tickets::ParseIsoDateTime(input);
  return 0;
}
