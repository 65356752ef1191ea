#include "core/crypto.hpp"

#include <set>

#include <gtest/gtest.h>

namespace linli::crypto {
namespace {

class CryptoTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { InitCrypto(); }
};

TEST_F(CryptoTest, Sha256MatchesKnownVector) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_F(CryptoTest, PasswordHashVerifiesOnlyTheRightPassword) {
  auto hash = HashPassword("correct horse battery");
  ASSERT_TRUE(hash.has_value());
  EXPECT_TRUE(hash->starts_with("$argon2id$"));
  EXPECT_TRUE(VerifyPassword(*hash, "correct horse battery"));
  EXPECT_FALSE(VerifyPassword(*hash, "correct horse batterY"));
  EXPECT_FALSE(VerifyPassword("not a hash", "correct horse battery"));
}

TEST_F(CryptoTest, TokensAreUrlSafeAndDistinct) {
  SecureRandom random;
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    auto token = RandomToken(random, 32);
    EXPECT_EQ(token.size(), 43u);  // 32 bytes as unpadded base64
    EXPECT_EQ(token.find_first_of("+/="), std::string::npos);
    seen.insert(token);
  }
  EXPECT_EQ(seen.size(), 100u);
}

TEST_F(CryptoTest, SeededRandomIsDeterministic) {
  SeededRandom a(7), b(7);
  EXPECT_EQ(RandomToken(a, 16), RandomToken(b, 16));
}

TEST_F(CryptoTest, ConstantTimeEqualsComparesWholeStrings) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
}

}  // namespace
}  // namespace linli::crypto
