#pragma once
// QR codes as SVG (libqrencode for the modules; the SVG is ours): check-in codes, visitor passes,
// pay-at-merchant codes. The SVG scales with its viewBox and carries a 4-module quiet zone.
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace linli {

// An SVG document encoding `text` (byte mode, error correction level M) with `title` as its
// accessible name. 400 invalid_field ("text", "too_long") when `text` does not fit a QR code.
Result<std::string> QrSvg(std::string_view text, std::string_view title);

}  // namespace linli
