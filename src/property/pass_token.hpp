#pragma once
// Visitor pass tokens: what the QR code and the share link carry. A token is the pass's claims
// sealed with the data key ring (XChaCha20-Poly1305, core/sealed.hpp): authenticated, so it
// cannot be forged or altered without a key, and opaque, so it shows nothing — not even the
// pass id — to whoever photographs it. The ring names the sealing key in every token, so keys
// rotate without invalidating passes already handed out (the old key still opens them).
//
// Text form: "LP1." followed by unpadded base64url of the sealed claims (about 90 characters,
// URL-safe, fits a version 5 QR code at level M). Claims (big-endian, 22 bytes):
//   byte 0      claims format (1)
//   bytes 1-8   pass id
//   bytes 9-12  community id
//   bytes 13-16 valid_from (epoch seconds, unsigned 32-bit)
//   bytes 17-20 valid_until
//   byte 21     mode (0 single_use, 1 window)
// The gate re-checks everything against the stored pass (window, revocation, use count); the
// claims only locate it and bind the token to one community.
//
// Keypad codes are the other way in: 8 random digits, unique within the community.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/random.hpp"
#include "core/sealed.hpp"
#include "property/model.hpp"

namespace linli::property {

inline constexpr std::string_view kPassTokenPrefix = "LP1.";
inline constexpr std::size_t kPassClaimsBytes = 22;
inline constexpr std::size_t kPassCodeDigits = 8;

struct PassClaims {
  std::int64_t pass_id = 0;
  std::int64_t community_id = 0;
  std::int64_t valid_from = 0;
  std::int64_t valid_until = 0;
  PassMode mode = PassMode::kSingleUse;

  bool operator==(const PassClaims&) const = default;
};

// The claims of a pass. Times must fit 32 unsigned bits (until 2106); ids must be positive.
PassClaims ClaimsOf(const VisitorPass& pass);

// Pure codecs (fuzzed): the claims bytes, and the token text without its cryptography.
std::string EncodeClaims(const PassClaims& claims);
std::optional<PassClaims> DecodeClaims(std::string_view bytes);
// "LP1.<base64url>" → the sealed bytes; nullopt for anything else (bounded length).
std::optional<std::string> TokenBytes(std::string_view token);

// Seals the claims under the ring's current key. Errors only for an empty ring (internal).
Result<std::string> IssueToken(const crypto::KeyRing& keys, const PassClaims& claims,
                               Random& random);
// The claims of an authentic token; nullopt for anything malformed, tampered with or sealed
// under a key the ring does not have (the gate answers pass_invalid).
std::optional<PassClaims> ReadToken(const crypto::KeyRing& keys, std::string_view token);

// A fresh keypad code of kPassCodeDigits digits.
std::string NewPassCode(Random& random);
// A code as typed at a keypad: spaces and dashes dropped; nullopt unless exactly 8 digits.
std::optional<std::string> NormalisePassCode(std::string_view typed);

}  // namespace linli::property
