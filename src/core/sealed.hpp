#pragma once
// Encryption at rest for sensitive fields: XChaCha20-Poly1305 (libsodium IETF AEAD) under a
// key ring. A sealed value names the key that sealed it, so keys can be rotated: the ring has
// one current key for sealing and keeps older keys for opening until everything is re-sealed.
//
// Sealed format (binary, stored as BLOB/bytea):
//   byte 0      format version (1)
//   bytes 1-4   key id, big-endian
//   bytes 5-28  random 24-byte nonce
//   bytes 29-   ciphertext followed by the 16-byte Poly1305 tag
// The associated data is the 5-byte header followed by a context naming where the value lives
// (SealContext: table, row id, field), so a value copied to another row, field or key id does
// not open.
//
// Error reasons (all kInternal: they mean corrupted data or a missing key, never bad input):
//   sealed_value_invalid (malformed, tampered, or opened in the wrong context),
//   unknown_data_key (sealed under a key id the ring does not have),
//   invalid_data_keys (a key spec that cannot be parsed; kInvalidArgument at startup),
//   key_file_unreadable, insecure_key_file (kInvalidArgument at startup).
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/random.hpp"

namespace linli::crypto {

inline constexpr std::size_t kDataKeyBytes = 32;
inline constexpr std::uint8_t kSealedFormatVersion = 1;

class KeyRing {
 public:
  KeyRing() = default;
  ~KeyRing();
  KeyRing(const KeyRing&) = default;
  KeyRing& operator=(const KeyRing&) = default;
  KeyRing(KeyRing&&) = default;
  KeyRing& operator=(KeyRing&&) = default;

  // Parses "id:base64key,id:base64key" (entries separated by commas or whitespace; lines
  // starting with '#' are comments). Ids are 1..4294967295; each key is 32 bytes in standard
  // base64. The highest id is the current key. An empty spec is an error.
  static Result<KeyRing> Parse(std::string_view spec);

  // One spec entry "id:base64key" with a fresh random key.
  static std::string GenerateEntry(std::uint32_t id, Random& random);

  bool empty() const { return keys_.empty(); }
  std::uint32_t current_id() const;
  bool Has(std::uint32_t id) const { return keys_.contains(id); }

  // Seals under the current key. Thread-safe (the ring is immutable after construction).
  Result<std::string> Seal(std::string_view plaintext, std::string_view context,
                           Random& random) const;
  // Opens a value sealed under any key of the ring, in the context it was sealed for.
  Result<std::string> Open(std::string_view sealed, std::string_view context) const;

 private:
  using Key = std::array<unsigned char, kDataKeyBytes>;
  std::map<std::uint32_t, Key> keys_;
};

// The associated data of a sealed field: which table, row and field it belongs to.
std::string SealContext(std::string_view table, std::int64_t row_id, std::string_view field);

// The key id a sealed value names, or nullopt when it is not a sealed value.
std::optional<std::uint32_t> SealedKeyId(std::string_view sealed);

// Reads a key ring from `path` (same syntax as Parse, one entry per line). When the file does
// not exist it is created with one random key and mode 0600 (exclusive create, so two processes
// starting at once agree on one key). A file readable by group or others is refused
// (insecure_key_file): it holds the keys to every sealed value.
Result<KeyRing> LoadOrCreateKeyFile(const std::string& path, Random& random);

}  // namespace linli::crypto
