#include "core/crypto.hpp"

#include <stdexcept>
#include <vector>

#include <sodium.h>

namespace linli {

void SecureRandom::Fill(std::span<std::uint8_t> out) {
  randombytes_buf(out.data(), out.size());
}

namespace crypto {
namespace {
// OWASP password storage cheat sheet: argon2id, 19 MiB, 2 iterations, 1 lane.
constexpr unsigned long long kArgonOpsLimit = 2;
constexpr std::size_t kArgonMemLimitBytes = 19ULL * 1024 * 1024;
}  // namespace

void InitCrypto() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

std::string Sha256Hex(std::string_view data) {
  std::uint8_t digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  return HexEncode(digest);
}

std::string HexEncode(std::span<const std::uint8_t> bytes) {
  std::string out(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes.data(), bytes.size());
  out.pop_back();
  return out;
}

std::string RandomToken(Random& random, std::size_t bytes) {
  std::vector<std::uint8_t> raw(bytes);
  random.Fill(raw);
  const auto variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_encoded_len(bytes, variant), '\0');
  sodium_bin2base64(out.data(), out.size(), raw.data(), raw.size(), variant);
  out.resize(std::char_traits<char>::length(out.c_str()));
  return out;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

Result<std::string> HashPassword(std::string_view password) {
  std::string out(crypto_pwhash_STRBYTES, '\0');
  if (crypto_pwhash_str(out.data(), password.data(), password.size(), kArgonOpsLimit,
                        kArgonMemLimitBytes) != 0) {
    return Error{Errc::kUnavailable, "hashing_unavailable", "password hashing ran out of memory"};
  }
  out.resize(std::char_traits<char>::length(out.c_str()));
  return out;
}

bool VerifyPassword(std::string_view encoded_hash, std::string_view password) {
  const std::string hash(encoded_hash);  // libsodium wants a NUL-terminated string
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

}  // namespace crypto
}  // namespace linli
