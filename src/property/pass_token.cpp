#include "property/pass_token.hpp"

#include <array>
#include <limits>

#include <sodium.h>

#include "core/limits.hpp"

namespace linli::property {
namespace {

constexpr std::uint8_t kClaimsFormat = 1;
// Associated data of every token: a sealed value from another place never opens as a pass.
constexpr std::string_view kTokenContext = "linli.property.visitor_pass.v1";

void PutBig(std::string& out, std::uint64_t value, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

std::uint64_t GetBig(std::string_view in, std::size_t at, int bytes) {
  std::uint64_t value = 0;
  for (int i = 0; i < bytes; ++i) {
    value = (value << 8) | static_cast<std::uint8_t>(in[at + static_cast<std::size_t>(i)]);
  }
  return value;
}

}  // namespace

PassClaims ClaimsOf(const VisitorPass& pass) {
  return PassClaims{pass.id, pass.community_id, pass.valid_from, pass.valid_until, pass.mode};
}

std::string EncodeClaims(const PassClaims& claims) {
  std::string out;
  out.reserve(kPassClaimsBytes);
  out.push_back(static_cast<char>(kClaimsFormat));
  PutBig(out, static_cast<std::uint64_t>(claims.pass_id), 8);
  PutBig(out, static_cast<std::uint64_t>(claims.community_id), 4);
  PutBig(out, static_cast<std::uint64_t>(claims.valid_from), 4);
  PutBig(out, static_cast<std::uint64_t>(claims.valid_until), 4);
  out.push_back(claims.mode == PassMode::kWindow ? 1 : 0);
  return out;
}

std::optional<PassClaims> DecodeClaims(std::string_view bytes) {
  if (bytes.size() != kPassClaimsBytes || static_cast<std::uint8_t>(bytes[0]) != kClaimsFormat) {
    return std::nullopt;
  }
  PassClaims claims;
  const std::uint64_t id = GetBig(bytes, 1, 8);
  if (id == 0 || id > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    return std::nullopt;
  }
  claims.pass_id = static_cast<std::int64_t>(id);
  claims.community_id = static_cast<std::int64_t>(GetBig(bytes, 9, 4));
  claims.valid_from = static_cast<std::int64_t>(GetBig(bytes, 13, 4));
  claims.valid_until = static_cast<std::int64_t>(GetBig(bytes, 17, 4));
  const auto mode = static_cast<std::uint8_t>(bytes[21]);
  if (claims.community_id == 0 || claims.valid_until <= claims.valid_from || mode > 1) {
    return std::nullopt;
  }
  claims.mode = mode == 1 ? PassMode::kWindow : PassMode::kSingleUse;
  return claims;
}

std::optional<std::string> TokenBytes(std::string_view token) {
  if (!token.starts_with(kPassTokenPrefix) || token.size() > limits::kPassTokenBytesMax) {
    return std::nullopt;
  }
  const std::string_view body = token.substr(kPassTokenPrefix.size());
  if (body.empty()) return std::nullopt;
  std::string out(body.size(), '\0');  // base64 never decodes to more bytes than characters
  std::size_t length = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), body.data(),
                        body.size(), nullptr, &length, &end,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      end != body.data() + body.size()) {
    return std::nullopt;
  }
  out.resize(length);
  return out;
}

Result<std::string> IssueToken(const crypto::KeyRing& keys, const PassClaims& claims,
                               Random& random) {
  LINLI_ASSIGN_OR_RETURN(auto sealed, keys.Seal(EncodeClaims(claims), kTokenContext, random));
  const auto variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string text(sodium_base64_encoded_len(sealed.size(), variant), '\0');
  sodium_bin2base64(text.data(), text.size(), reinterpret_cast<const unsigned char*>(sealed.data()),
                    sealed.size(), variant);
  text.resize(std::char_traits<char>::length(text.c_str()));
  return std::string(kPassTokenPrefix) + text;
}

std::optional<PassClaims> ReadToken(const crypto::KeyRing& keys, std::string_view token) {
  auto bytes = TokenBytes(token);
  if (!bytes) return std::nullopt;
  auto opened = keys.Open(*bytes, kTokenContext);
  if (!opened) return std::nullopt;
  return DecodeClaims(*opened);
}

std::string NewPassCode(Random& random) {
  // Rejection sampling keeps the digits uniform: 250 = 25 * 10 is the largest multiple below 256.
  std::string code;
  while (code.size() < kPassCodeDigits) {
    std::array<std::uint8_t, 16> bytes{};
    random.Fill(bytes);
    for (const auto byte : bytes) {
      if (byte < 250 && code.size() < kPassCodeDigits)
        code.push_back(static_cast<char>('0' + byte % 10));
    }
  }
  return code;
}

std::optional<std::string> NormalisePassCode(std::string_view typed) {
  if (typed.size() > 32) return std::nullopt;
  std::string code;
  for (const char c : typed) {
    if (c == ' ' || c == '-') continue;
    if (c < '0' || c > '9') return std::nullopt;
    code.push_back(c);
  }
  if (code.size() != kPassCodeDigits) return std::nullopt;
  return code;
}

}  // namespace linli::property
