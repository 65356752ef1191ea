#include "core/sealed.hpp"

#include <filesystem>
#include <fstream>
#include <random>
#include <sys/stat.h>
#include <vector>

#include <gtest/gtest.h>

#include "core/crypto.hpp"

namespace linli::crypto {
namespace {

// Fixed test keys (32 bytes each, standard base64).
constexpr const char* kKey1 = "1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
constexpr const char* kKey2 = "2:ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=";

class SealedTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { InitCrypto(); }

  static KeyRing Ring(const std::string& spec) {
    auto ring = KeyRing::Parse(spec);
    EXPECT_TRUE(ring.has_value()) << (ring ? "" : ring.error().detail);
    return ring ? std::move(*ring) : KeyRing{};
  }

  SeededRandom random_{7};
  const std::string context_ = SealContext("household_members", 42, "phone");
};

TEST_F(SealedTest, ParsesARingAndSealsUnderTheHighestId) {
  auto ring = Ring(std::string(kKey2) + " , " + kKey1);
  EXPECT_EQ(ring.current_id(), 2u);
  EXPECT_TRUE(ring.Has(1));
  EXPECT_TRUE(ring.Has(2));
  auto sealed = ring.Seal("13800000000", context_, random_).value();
  EXPECT_EQ(SealedKeyId(sealed), 2u);
  EXPECT_EQ(ring.Open(sealed, context_).value(), "13800000000");
}

TEST_F(SealedTest, FileSyntaxAllowsCommentsWithCommasAndOneEntryPerLine) {
  auto ring = Ring(std::string("# keys, newest last\n") + kKey1 + "\n\n" + kKey2 + "\n");
  EXPECT_EQ(ring.current_id(), 2u);
}

TEST_F(SealedTest, RejectsBadSpecsWithoutEchoingKeyMaterial) {
  const std::vector<std::string> specs{"",
                                       "  ,  ",
                                       "nokey",
                                       "0:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
                                       "x:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
                                       "1:c2hvcnQ=",
                                       "1:not base64!!",
                                       std::string(kKey1) + "," + kKey1};
  for (const auto& spec : specs) {
    auto ring = KeyRing::Parse(spec);
    ASSERT_FALSE(ring.has_value()) << spec;
    EXPECT_EQ(ring.error().reason, "invalid_data_keys") << spec;
    EXPECT_EQ(ring.error().detail.find("AAECAwQF"), std::string::npos) << ring.error().detail;
  }
}

TEST_F(SealedTest, SealingTwiceGivesDifferentCiphertexts) {
  auto ring = Ring(kKey1);
  auto a = ring.Seal("same", context_, random_).value();
  auto b = ring.Seal("same", context_, random_).value();
  EXPECT_NE(a, b);  // fresh nonce each time
  EXPECT_EQ(a.find("same"), std::string::npos);
}

TEST_F(SealedTest, EveryFlippedByteIsDetected) {
  auto ring = Ring(kKey1);
  const auto sealed = ring.Seal("310115195203124527", context_, random_).value();
  for (std::size_t i = 0; i < sealed.size(); ++i) {
    std::string tampered = sealed;
    tampered[i] = static_cast<char>(tampered[i] ^ 0x01);
    auto opened = ring.Open(tampered, context_);
    ASSERT_FALSE(opened.has_value()) << "byte " << i;
    // A flipped key id byte names a key the ring lacks; anything else fails authentication.
    EXPECT_TRUE(opened.error().reason == "sealed_value_invalid" ||
                opened.error().reason == "unknown_data_key")
        << opened.error().reason;
    EXPECT_EQ(opened.error().code, Errc::kInternal);
  }
  EXPECT_FALSE(ring.Open(sealed.substr(0, sealed.size() - 1), context_).has_value());
  EXPECT_FALSE(ring.Open("", context_).has_value());
}

TEST_F(SealedTest, AValueOpensOnlyInTheRowAndFieldItWasSealedFor) {
  auto ring = Ring(kKey1);
  const auto sealed = ring.Seal("13800000000", context_, random_).value();
  for (const auto& wrong : {SealContext("household_members", 43, "phone"),
                            SealContext("household_members", 42, "id_number"),
                            SealContext("household_history", 42, "phone"),
                            // Length prefixes: shifting bytes between parts is a different context.
                            SealContext("household_members4", 2, "phone")}) {
    auto opened = ring.Open(sealed, wrong);
    ASSERT_FALSE(opened.has_value());
    EXPECT_EQ(opened.error().reason, "sealed_value_invalid");
  }
}

TEST_F(SealedTest, TheKeyIdIsAuthenticatedToo) {
  auto both = Ring(std::string(kKey1) + "," + kKey2);
  auto sealed = both.Seal("secret", context_, random_).value();
  ASSERT_EQ(SealedKeyId(sealed), 2u);
  sealed[4] = 1;  // claim key 1, which the ring has
  auto opened = both.Open(sealed, context_);
  ASSERT_FALSE(opened.has_value());
  EXPECT_EQ(opened.error().reason, "sealed_value_invalid");
}

TEST_F(SealedTest, AnUnknownKeyIdIsReportedAsSuch) {
  auto old_ring = Ring(kKey1);
  auto new_ring = Ring(kKey2);
  const auto sealed = old_ring.Seal("secret", context_, random_).value();
  auto opened = new_ring.Open(sealed, context_);
  ASSERT_FALSE(opened.has_value());
  EXPECT_EQ(opened.error().reason, "unknown_data_key");
}

TEST_F(SealedTest, RotationOpensOldValuesAndSealsNewOnesUnderTheNewKey) {
  auto old_ring = Ring(kKey1);
  auto rotated = Ring(std::string(kKey1) + "," + kKey2);
  const auto old_sealed = old_ring.Seal("心脏病", context_, random_).value();
  const auto plain = rotated.Open(old_sealed, context_).value();
  EXPECT_EQ(plain, "心脏病");
  const auto resealed = rotated.Seal(plain, context_, random_).value();
  EXPECT_EQ(SealedKeyId(resealed), 2u);
  // Once everything is re-sealed the old key can go.
  EXPECT_EQ(Ring(kKey2).Open(resealed, context_).value(), "心脏病");
}

TEST_F(SealedTest, AnEmptyRingCannotSeal) {
  KeyRing empty;
  auto sealed = empty.Seal("x", context_, random_);
  ASSERT_FALSE(sealed.has_value());
  EXPECT_EQ(sealed.error().reason, "unknown_data_key");
}

TEST_F(SealedTest, GeneratedEntriesParse) {
  auto ring = Ring(KeyRing::GenerateEntry(9, random_));
  EXPECT_EQ(ring.current_id(), 9u);
}

TEST_F(SealedTest, KeyFileIsCreatedPrivateAndReusedAndRefusedWhenShared) {
  std::random_device device;
  const auto dir = std::filesystem::temp_directory_path() /
                   ("linli-sealed-" + std::to_string(device()) + std::to_string(device()));
  std::filesystem::create_directories(dir);
  struct Cleanup {
    std::filesystem::path dir;
    ~Cleanup() {
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
    }
  } cleanup{dir};
  const std::string path = (dir / "linli-data.key").string();
  auto first = LoadOrCreateKeyFile(path, random_);
  ASSERT_TRUE(first.has_value()) << first.error().detail;
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600);
  const auto sealed = first->Seal("13800000000", context_, random_).value();
  auto again = LoadOrCreateKeyFile(path, random_);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->Open(sealed, context_).value(), "13800000000");

  // Adding a line rotates: the new key seals, the old one still opens.
  std::ofstream(path, std::ios::app) << KeyRing::GenerateEntry(2, random_) << "\n";
  auto rotated = LoadOrCreateKeyFile(path, random_);
  ASSERT_TRUE(rotated.has_value());
  EXPECT_EQ(rotated->current_id(), 2u);
  EXPECT_EQ(rotated->Open(sealed, context_).value(), "13800000000");

  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  auto shared = LoadOrCreateKeyFile(path, random_);
  ASSERT_FALSE(shared.has_value());
  EXPECT_EQ(shared.error().reason, "insecure_key_file");
}

}  // namespace
}  // namespace linli::crypto
