#include "core/sealed.hpp"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

#include <sodium.h>

namespace linli::crypto {
namespace {

constexpr std::size_t kHeaderBytes = 1 + 4;
constexpr std::size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t kTagBytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;
constexpr std::size_t kKeyFileBytesMax = 64 * 1024;  // a ring of ~1000 keys; more is not a ring
static_assert(kDataKeyBytes == crypto_aead_xchacha20poly1305_ietf_KEYBYTES);

Error Invalid() {
  return Error{Errc::kInternal, "sealed_value_invalid",
               "a sealed value is malformed, was tampered with, or belongs elsewhere"};
}

Error BadSpec(std::string detail) {
  return Error{Errc::kInvalidArgument, "invalid_data_keys", std::move(detail)};
}

const unsigned char* Bytes(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

std::string Header(std::uint32_t key_id) {
  std::string header(kHeaderBytes, '\0');
  header[0] = static_cast<char>(kSealedFormatVersion);
  for (int i = 0; i < 4; ++i) {
    header[1 + i] = static_cast<char>((key_id >> (8 * (3 - i))) & 0xff);
  }
  return header;
}

std::string_view TrimSpace(std::string_view text) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

}  // namespace

KeyRing::~KeyRing() {
  for (auto& [id, key] : keys_) sodium_memzero(key.data(), key.size());
}

Result<KeyRing> KeyRing::Parse(std::string_view spec) {
  // Whole-line comments first (they may contain commas), then comma-separated entries.
  std::vector<std::string_view> entries;
  while (!spec.empty()) {
    const auto end = spec.find('\n');
    const std::string_view line = TrimSpace(spec.substr(0, end));
    spec = end == std::string_view::npos ? std::string_view{} : spec.substr(end + 1);
    if (line.starts_with('#')) continue;
    std::string_view rest = line;
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      entries.push_back(TrimSpace(rest.substr(0, comma)));
      rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    }
  }
  KeyRing ring;
  std::size_t entry_number = 0;
  for (const std::string_view entry : entries) {
    if (entry.empty()) continue;
    ++entry_number;
    // Entry numbers, never key material, go into errors: they end up on terminals and in logs.
    const auto colon = entry.find(':');
    if (colon == std::string_view::npos) {
      return BadSpec("data key entry " + std::to_string(entry_number) + " is not id:base64key");
    }
    const std::string_view id_text = TrimSpace(entry.substr(0, colon));
    std::string key_text(TrimSpace(entry.substr(colon + 1)));
    std::uint32_t id = 0;
    auto [ptr, ec] = std::from_chars(id_text.data(), id_text.data() + id_text.size(), id);
    if (ec != std::errc{} || ptr != id_text.data() + id_text.size() || id == 0) {
      return BadSpec("data key entry " + std::to_string(entry_number) +
                     ": the id must be an integer 1..4294967295");
    }
    Key key{};
    std::size_t decoded = 0;
    const bool decoded_ok =
        sodium_base642bin(key.data(), key.size(), key_text.data(), key_text.size(), nullptr,
                          &decoded, nullptr, sodium_base64_VARIANT_ORIGINAL) == 0 &&
        decoded == kDataKeyBytes;
    sodium_memzero(key_text.data(), key_text.size());
    if (!decoded_ok) {
      sodium_memzero(key.data(), key.size());
      return BadSpec("data key " + std::to_string(id) + " is not 32 bytes of standard base64");
    }
    if (!ring.keys_.emplace(id, key).second) {
      sodium_memzero(key.data(), key.size());
      return BadSpec("data key id " + std::to_string(id) + " appears twice");
    }
    sodium_memzero(key.data(), key.size());
  }
  if (ring.keys_.empty()) return BadSpec("no data keys given");
  return ring;
}

std::string KeyRing::GenerateEntry(std::uint32_t id, Random& random) {
  Key key{};
  random.Fill(key);
  const auto variant = sodium_base64_VARIANT_ORIGINAL;
  std::string encoded(sodium_base64_encoded_len(key.size(), variant), '\0');
  sodium_bin2base64(encoded.data(), encoded.size(), key.data(), key.size(), variant);
  encoded.resize(std::char_traits<char>::length(encoded.c_str()));
  sodium_memzero(key.data(), key.size());
  return std::to_string(id) + ":" + encoded;
}

std::uint32_t KeyRing::current_id() const {
  return keys_.empty() ? 0 : keys_.rbegin()->first;
}

Result<std::string> KeyRing::Seal(std::string_view plaintext, std::string_view context,
                                  Random& random) const {
  if (keys_.empty()) {
    return Error{Errc::kInternal, "unknown_data_key", "no data key is configured"};
  }
  const auto& [key_id, key] = *keys_.rbegin();
  const std::string associated = Header(key_id) + std::string(context);
  std::string out = Header(key_id);
  out.resize(kHeaderBytes + kNonceBytes + plaintext.size() + kTagBytes);
  auto* nonce = reinterpret_cast<unsigned char*>(out.data() + kHeaderBytes);
  random.Fill(std::span<std::uint8_t>(nonce, kNonceBytes));
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      reinterpret_cast<unsigned char*>(out.data() + kHeaderBytes + kNonceBytes), &written,
      Bytes(plaintext), plaintext.size(), Bytes(associated), associated.size(), nullptr, nonce,
      key.data());
  out.resize(kHeaderBytes + kNonceBytes + written);
  return out;
}

Result<std::string> KeyRing::Open(std::string_view sealed, std::string_view context) const {
  auto key_id = SealedKeyId(sealed);
  if (!key_id) return Invalid();
  auto key = keys_.find(*key_id);
  if (key == keys_.end()) {
    return Error{
        Errc::kInternal, "unknown_data_key",
        "a sealed value names data key " + std::to_string(*key_id) + ", which is not configured"};
  }
  const std::string associated = std::string(sealed.substr(0, kHeaderBytes)) + std::string(context);
  const std::string_view nonce = sealed.substr(kHeaderBytes, kNonceBytes);
  const std::string_view cipher = sealed.substr(kHeaderBytes + kNonceBytes);
  std::string plain(cipher.size() - kTagBytes, '\0');
  unsigned long long written = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(reinterpret_cast<unsigned char*>(plain.data()),
                                                 &written, nullptr, Bytes(cipher), cipher.size(),
                                                 Bytes(associated), associated.size(), Bytes(nonce),
                                                 key->second.data()) != 0) {
    return Invalid();
  }
  plain.resize(written);
  return plain;
}

std::string SealContext(std::string_view table, std::int64_t row_id, std::string_view field) {
  // Length-prefixed, so no two different triples give the same bytes.
  const std::string row = std::to_string(row_id);
  std::string out = "linli.sealed.v1|";
  for (std::string_view part : {table, std::string_view(row), field}) {
    out += std::to_string(part.size());
    out += ':';
    out += part;
    out += '|';
  }
  return out;
}

std::optional<std::uint32_t> SealedKeyId(std::string_view sealed) {
  if (sealed.size() < kHeaderBytes + kNonceBytes + kTagBytes) return std::nullopt;
  if (static_cast<std::uint8_t>(sealed[0]) != kSealedFormatVersion) return std::nullopt;
  std::uint32_t id = 0;
  for (int i = 0; i < 4; ++i) id = (id << 8) | static_cast<std::uint8_t>(sealed[1 + i]);
  if (id == 0) return std::nullopt;
  return id;
}

Result<KeyRing> LoadOrCreateKeyFile(const std::string& path, Random& random) {
  const auto unreadable = [&path](const std::string& why) {
    return Error{Errc::kInvalidArgument, "key_file_unreadable", path + ": " + why};
  };
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) {
    const std::string content =
        "# linli data keys: id:base64key, highest id seals; keep older ids until rotated.\n" +
        KeyRing::GenerateEntry(1, random) + "\n";
    const bool ok =
        ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()) &&
        ::fsync(fd) == 0;
    ::close(fd);
    if (!ok) {
      ::unlink(path.c_str());
      return unreadable("could not write a new key file");
    }
  } else if (errno != EEXIST) {
    return unreadable(std::strerror(errno));
  }
  fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return unreadable(std::strerror(errno));
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    ::close(fd);
    return unreadable(std::strerror(errno));
  }
  if ((info.st_mode & 077) != 0) {
    ::close(fd);
    return Error{Errc::kInvalidArgument, "insecure_key_file",
                 path + " is readable by group or others; chmod 600 it"};
  }
  std::vector<char> buffer(kKeyFileBytesMax + 1);
  std::size_t size = 0;
  while (size < buffer.size()) {
    const ssize_t got = ::read(fd, buffer.data() + size, buffer.size() - size);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    size += static_cast<std::size_t>(got);
  }
  ::close(fd);
  if (size > kKeyFileBytesMax) return unreadable("larger than 64 KiB");
  auto ring = KeyRing::Parse(std::string_view(buffer.data(), size));
  sodium_memzero(buffer.data(), buffer.size());
  if (!ring) return unreadable(ring.error().detail);
  return ring;
}

}  // namespace linli::crypto
