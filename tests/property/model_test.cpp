// Pure parts of property services: the gate rule, pass tokens and codes, request parsing.
#include "property/model.hpp"

#include <set>

#include <gtest/gtest.h>

#include "core/crypto.hpp"
#include "core/limits.hpp"
#include "property/pass_token.hpp"
#include "property/routes.hpp"

namespace linli::property {
namespace {

namespace json = boost::json;

VisitorPass Pass() {
  VisitorPass pass;
  pass.id = 42;
  pass.community_id = 7;
  pass.valid_from = 1000;
  pass.valid_until = 2000;
  pass.mode = PassMode::kWindow;
  pass.max_uses = 2;
  return pass;
}

crypto::KeyRing Ring(std::uint64_t seed) {
  SeededRandom random(seed);
  return crypto::KeyRing::Parse(crypto::KeyRing::GenerateEntry(1, random)).value();
}

TEST(GateRule, RevocationThenWindowThenUses) {
  VisitorPass pass = Pass();
  EXPECT_EQ(Decide(pass, 999), GateReason::kPassNotYetValid);
  EXPECT_EQ(Decide(pass, 1000), GateReason::kOk);
  EXPECT_EQ(Decide(pass, 1999), GateReason::kOk);
  EXPECT_EQ(Decide(pass, 2000), GateReason::kPassExpired);
  pass.uses = 2;
  EXPECT_EQ(Decide(pass, 1500), GateReason::kPassUsedUp);
  EXPECT_EQ(Decide(pass, 2500), GateReason::kPassExpired);
  pass.revoked_at = 1200;
  EXPECT_EQ(Decide(pass, 1500), GateReason::kPassRevoked);
  EXPECT_EQ(PassStatus(pass, 1500), "revoked");
  EXPECT_EQ(PassStatus(Pass(), 500), "upcoming");
  EXPECT_EQ(Name(GateReason::kPassUsedUp), "pass_used_up");
}

TEST(PassClaims, RoundTripAndStrictDecoding) {
  const PassClaims claims = ClaimsOf(Pass());
  const std::string bytes = EncodeClaims(claims);
  ASSERT_EQ(bytes.size(), kPassClaimsBytes);
  EXPECT_EQ(DecodeClaims(bytes), claims);
  EXPECT_FALSE(DecodeClaims(bytes.substr(1)));
  EXPECT_FALSE(DecodeClaims(bytes + "x"));
  std::string bad = bytes;
  bad[0] = 2;  // unknown format
  EXPECT_FALSE(DecodeClaims(bad));
  bad = bytes;
  bad[21] = 7;  // unknown mode
  EXPECT_FALSE(DecodeClaims(bad));
  PassClaims zero = claims;
  zero.pass_id = 0;
  EXPECT_FALSE(DecodeClaims(EncodeClaims(zero)));
  PassClaims backwards = claims;
  backwards.valid_until = backwards.valid_from;
  EXPECT_FALSE(DecodeClaims(EncodeClaims(backwards)));
}

TEST(PassToken, OnlyAuthenticTokensOpen) {
  crypto::InitCrypto();
  const auto keys = Ring(1);
  SeededRandom random(3);
  const PassClaims claims = ClaimsOf(Pass());
  const std::string token = IssueToken(keys, claims, random).value();
  EXPECT_TRUE(token.starts_with("LP1."));
  EXPECT_LE(token.size(), 100u);
  EXPECT_EQ(token.find_first_not_of(
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.", 0),
            std::string::npos);
  EXPECT_EQ(ReadToken(keys, token), claims);
  // Two tokens for the same pass differ (fresh nonce) and both open.
  const std::string again = IssueToken(keys, claims, random).value();
  EXPECT_NE(again, token);
  EXPECT_EQ(ReadToken(keys, again), claims);
  EXPECT_FALSE(ReadToken(Ring(2), token));
  for (std::size_t i = 4; i < token.size(); ++i) {
    std::string flipped = token;
    flipped[i] = flipped[i] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(ReadToken(keys, flipped)) << "position " << i;
  }
  EXPECT_FALSE(ReadToken(keys, token.substr(0, token.size() - 1)));
  EXPECT_FALSE(ReadToken(keys, "LP2." + token.substr(4)));
  EXPECT_FALSE(ReadToken(keys, ""));
  EXPECT_FALSE(ReadToken(keys, "LP1."));
  EXPECT_FALSE(TokenBytes("LP1.a=="));
  EXPECT_FALSE(TokenBytes("LP1.ab+/"));
  EXPECT_FALSE(TokenBytes("LP1." + std::string(limits::kPassTokenBytesMax, 'A')));
}

TEST(PassCode, EightUniformDigitsAndForgivingInput) {
  SeededRandom random(9);
  std::set<std::string> codes;
  std::array<int, 10> digit_counts{};
  for (int i = 0; i < 2000; ++i) {
    const std::string code = NewPassCode(random);
    ASSERT_EQ(code.size(), kPassCodeDigits);
    for (char c : code) digit_counts[static_cast<std::size_t>(c - '0')] += 1;
    codes.insert(code);
  }
  EXPECT_GT(codes.size(), 1990u);
  for (int count : digit_counts) EXPECT_NEAR(count, 1600, 200);
  EXPECT_EQ(NormalisePassCode("1234 5678"), "12345678");
  EXPECT_EQ(NormalisePassCode("1234-5678"), "12345678");
  EXPECT_FALSE(NormalisePassCode("1234567"));
  EXPECT_FALSE(NormalisePassCode("123456789"));
  EXPECT_FALSE(NormalisePassCode("1234567a"));
  EXPECT_FALSE(NormalisePassCode(""));
}

TEST(PropertyParsing, PassRequests) {
  auto parsed = ParsePassRequest(json::parse(R"({"visitor_label":" 王先生 ","mode":"window",
      "max_uses":3,"valid_from":1790000000,"valid_until":1790003600})")
                                     .as_object())
                    .value();
  EXPECT_EQ(parsed.second.visitor_label, "王先生");
  EXPECT_EQ(parsed.second.mode, PassMode::kWindow);
  EXPECT_EQ(parsed.second.max_uses, 3);
  EXPECT_EQ(parsed.first.community_id, 0);
  auto bad = ParsePassRequest(
      json::parse(R"({"visitor_label":"x","mode":"forever","valid_from":1,"extra":1})")
          .as_object());
  ASSERT_FALSE(bad);
  std::set<std::string> fields;
  for (const auto& error : bad.error().errors) fields.insert(error.field + ":" + error.reason);
  EXPECT_EQ(fields, (std::set<std::string>{"mode:unsupported", "valid_until:required",
                                           "extra:unknown_field"}));
}

TEST(PropertyParsing, GateInputNeedsExactlyOneCredential) {
  EXPECT_TRUE(ParseGateInput(json::parse(R"({"code":"12345678","gate":"东门"})").as_object()));
  EXPECT_EQ(ParseGateInput(json::object{}).error().errors.at(0).field, "token");
  EXPECT_EQ(ParseGateInput(json::parse(R"({"code":"1","token":"LP1.x"})").as_object())
                .error()
                .errors.at(0)
                .reason,
            "not_allowed");
}

TEST(PropertyParsing, AnnouncementsAndBatches) {
  auto parsed = ParseAnnouncementInput(
                    json::parse(R"({"kind":"alert","severity":"warning","category":"weather",
      "title":"台风","body":"关好门窗","audience":"buildings","target_ids":[3,4],"pinned":true})")
                        .as_object())
                    .value();
  EXPECT_EQ(parsed.second.kind, AnnouncementKind::kAlert);
  EXPECT_EQ(parsed.second.target_ids, (std::vector<std::int64_t>{3, 4}));
  auto bad = ParseAnnouncementInput(
      json::parse(R"({"title":"t","body":"b","target_ids":[1,"2"],"category":"gossip"})")
          .as_object());
  ASSERT_FALSE(bad);
  std::set<std::string> fields;
  for (const auto& error : bad.error().errors) fields.insert(error.field + ":" + error.reason);
  EXPECT_EQ(fields, (std::set<std::string>{"target_ids:invalid_item", "category:unsupported"}));
  auto batch = ParseBatchInput(json::parse(R"({"kind":"parking","period":"2026Q4",
      "amount_fen":30000,"due_date":"2026-12-31"})")
                                   .as_object())
                   .value();
  EXPECT_TRUE(batch.second.building_ids.empty());
  EXPECT_FALSE(ParseBillInput(json::parse(R"({"household_id":1,"kind":"water","period":"p",
      "amount_fen":-1,"due_date":"2026-12-31"})")
                                  .as_object()));
  EXPECT_EQ(ParsePaymentInput(json::parse(R"({"amount_fen":100,"method":"cheque"})").as_object())
                .error()
                .errors.at(0)
                .field,
            "method");
}

}  // namespace
}  // namespace linli::property
