#pragma once
// Randomness is injected: production uses the OS CSPRNG (libsodium), tests a seeded generator.
#include <cstdint>
#include <mutex>
#include <random>
#include <span>

namespace linli {

class Random {
 public:
  virtual ~Random() = default;
  // Fills `out` with random bytes. Thread-safe.
  virtual void Fill(std::span<std::uint8_t> out) = 0;
};

// Cryptographically secure (libsodium randombytes_buf).
class SecureRandom final : public Random {
 public:
  void Fill(std::span<std::uint8_t> out) override;
};

// Deterministic, for tests and simulations only: never for secrets in production.
class SeededRandom final : public Random {
 public:
  explicit SeededRandom(std::uint64_t seed) : engine_(seed) {}
  void Fill(std::span<std::uint8_t> out) override {
    std::lock_guard lock(mutex_);
    for (auto& byte : out) byte = static_cast<std::uint8_t>(engine_());
  }

 private:
  std::mutex mutex_;
  std::mt19937_64 engine_;
};

}  // namespace linli
