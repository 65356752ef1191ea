#include "core/qr.hpp"

#include <memory>
#include <qrencode.h>
#include <string>

namespace linli {
namespace {

constexpr int kQuietZone = 4;

std::string EscapeXml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace

Result<std::string> QrSvg(std::string_view text, std::string_view title) {
  const std::string data(text);
  std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
      QRcode_encodeData(static_cast<int>(data.size()),
                        reinterpret_cast<const unsigned char*>(data.data()), 0, QR_ECLEVEL_M),
      &QRcode_free);
  if (!code) return InvalidFieldError("text", "too_long", "too long for a QR code");
  const int width = code->width;
  const int size = width + 2 * kQuietZone;
  std::string svg =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + std::to_string(size) + " " +
      std::to_string(size) + "\" shape-rendering=\"crispEdges\" role=\"img\"><title>" +
      EscapeXml(title) +
      "</title><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path fill=\"#000\" d=\"";
  // One path of unit squares, merged along each row so the document stays small.
  for (int y = 0; y < width; ++y) {
    for (int x = 0; x < width;) {
      if ((code->data[y * width + x] & 1) == 0) {
        ++x;
        continue;
      }
      int run = 1;
      while (x + run < width && (code->data[y * width + x + run] & 1) != 0) ++run;
      svg += "M" + std::to_string(x + kQuietZone) + " " + std::to_string(y + kQuietZone) + "h" +
             std::to_string(run) + "v1h-" + std::to_string(run) + "z";
      x += run;
    }
  }
  svg += "\"/></svg>";
  return svg;
}

}  // namespace linli
