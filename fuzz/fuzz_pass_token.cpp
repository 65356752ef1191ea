// Visitor pass credentials as a gate presents them: QR tokens ("LP1.<base64url>", opened under
// a fixed ring), raw claims bytes, and keypad codes. Decoding must never crash, and whatever
// decodes must re-encode to the same bytes (one encoding per pass).
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/crypto.hpp"
#include "core/sealed.hpp"
#include "property/pass_token.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const linli::crypto::KeyRing kRing = [] {
    linli::crypto::InitCrypto();
    return linli::crypto::KeyRing::Parse("1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=").value();
  }();
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (auto claims = linli::property::ReadToken(kRing, input)) {
    if (claims->pass_id <= 0 || claims->valid_until <= claims->valid_from) std::abort();
  }
  if (auto claims = linli::property::DecodeClaims(input)) {
    if (linli::property::EncodeClaims(*claims) != input) std::abort();
  }
  (void)linli::property::TokenBytes(input);
  if (auto code = linli::property::NormalisePassCode(input)) {
    if (code->size() != linli::property::kPassCodeDigits) std::abort();
  }
  return 0;
}
