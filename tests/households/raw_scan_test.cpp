// The demo register seeded into a real SQLite file: no seeded phone number, ID number, health
// note or anything about the child appears in the raw bytes of the database or its WAL.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "accounts/service.hpp"
#include "audit/service.hpp"
#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "households/service.hpp"
#include "support/temp_store.hpp"
#include "world.hpp"

namespace linli::households {
namespace {

constexpr const char* kKey = "1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
// Plaintext the demo stores on purpose (an adult's skill): proves the scan sees real data.
constexpr const char* kVisiblePlaintext = "家电维修";

std::string ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// Every file SQLite keeps for the database: the main file, -wal and -shm.
std::string RawBytes(const std::filesystem::path& dir) {
  std::string all;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().filename().string().starts_with("linli.db")) all += ReadAll(entry.path());
  }
  return all;
}

void ExpectNoSensitivePlaintext(const std::string& bytes, const std::string& where) {
  ASSERT_FALSE(bytes.empty()) << where;
  EXPECT_NE(bytes.find(kVisiblePlaintext), std::string::npos) << where << ": scan sees no data";
  for (const auto& secret : DemoSensitiveValues()) {
    EXPECT_EQ(bytes.find(secret), std::string::npos) << where << " holds plaintext: " << secret;
  }
}

TEST(HouseholdsRawScanTest, TheSqliteFileHoldsNoSeededSensitivePlaintext) {
  crypto::InitCrypto();
  linli::testing::TempDir dir;
  {
    auto store = linli::testing::OpenMigratedSqlite(dir);
    ManualClock clock;
    SeededRandom random{3};
    audit::AuditService audit(*store, clock);
    accounts::AccountsService accounts(*store, audit, clock, random);
    const auto keys = crypto::KeyRing::Parse(kKey).value();
    HouseholdsService service(*store, audit, clock, random, keys);
    std::int64_t community = 0;
    auto seeded = testing::BuildDemo(
        *store, accounts,
        [&](std::int64_t community_id, std::int64_t guide, std::int64_t resident) -> Status {
          community = community_id;
          return SeedDemo(service, community_id, {guide, resident, 0});
        });
    HH_ASSERT_OK(seeded);
    // Seeding again changes nothing.
    auto page = service.List(Actor::System(), community, {}, {20, std::nullopt});
    HH_ASSERT_OK(page);
    HH_ASSERT_OK(SeedDemo(service, community, {0, 0, 0}));
    // The values are there, sealed: the service opens them.
    auto first = service.Get(Actor::System(), page->items[0].household.id);
    HH_ASSERT_OK(first);
    ASSERT_EQ(first->members.size(), 2u);
    EXPECT_EQ(first->members[0].member.phone, DemoSensitiveValues()[0]);
    EXPECT_TRUE(first->members[1].member.is_minor);

    ExpectNoSensitivePlaintext(RawBytes(dir.path()), "open database (with WAL)");
  }
  ExpectNoSensitivePlaintext(RawBytes(dir.path()), "closed database");
}

}  // namespace
}  // namespace linli::households
