#pragma once
// Thin, misuse-resistant wrappers over libsodium. Call InitCrypto() once at startup.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/random.hpp"

namespace linli::crypto {

// Initialises libsodium; throws at startup if it cannot (the process cannot run safely).
void InitCrypto();

// Lower-case hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);

// `bytes` random bytes as unpadded base64url (token for cookies, URLs, API keys).
std::string RandomToken(Random& random, std::size_t bytes);

std::string HexEncode(std::span<const std::uint8_t> bytes);

// Compares secrets in time independent of where they differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// argon2id with OWASP parameters (t=2, m=19 MiB, p=1); returns the encoded PHC string.
// Costs ~20 MiB and tens of milliseconds: callers cap concurrency (see PasswordHasher).
Result<std::string> HashPassword(std::string_view password);
bool VerifyPassword(std::string_view encoded_hash, std::string_view password);

}  // namespace linli::crypto
