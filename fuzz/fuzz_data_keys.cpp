// Data key specs (config / key file) and sealed values read back from the database: the first
// line is a key ring spec, the rest a sealed value opened under a fixed ring and context.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/crypto.hpp"
#include "core/sealed.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const linli::crypto::KeyRing kRing = [] {
    linli::crypto::InitCrypto();
    return linli::crypto::KeyRing::Parse("1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=").value();
  }();
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto newline = input.find('\n');
  (void)linli::crypto::KeyRing::Parse(input.substr(0, newline));
  if (newline == std::string_view::npos) return 0;
  const std::string_view sealed = input.substr(newline + 1);
  (void)linli::crypto::SealedKeyId(sealed);
  (void)kRing.Open(sealed, linli::crypto::SealContext("household_members", 1, "phone"));
  return 0;
}
