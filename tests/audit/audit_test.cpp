#include <thread>

#include <gtest/gtest.h>

#include "audit/repo.hpp"
#include "audit/service.hpp"
#include "core/clock.hpp"
#include "support/temp_store.hpp"

namespace linli::audit {
namespace {

class AuditTest : public ::testing::Test {
 protected:
  void AppendMany(std::int64_t community_id, int count) {
    for (int i = 0; i < count; ++i) {
      Actor actor;
      actor.user_id = 100 + i;
      actor.roles_by_community[community_id] = {Role::kCommittee};
      ASSERT_TRUE(store_->Write([&](storage::Session& session) {
        return audit_.Append(
            session, DraftFor(actor, community_id, "test.action", "thing", std::to_string(i)));
      }));
    }
  }

  // Tampering needs the append-only triggers out of the way, as an attacker with file access
  // would do; the chain must still catch it.
  void Tamper(const std::string& sql) {
    ASSERT_TRUE(store_->Write([&](storage::Session& session) -> Status {
      LINLI_TRY(
          session.ExecuteScript("DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF "
                                "EXISTS audit_log_no_delete;"));
      return session.ExecuteScript(sql);
    }));
  }

  Verification VerifyAll() { return audit_.VerifyAll().value(); }

  linli::testing::TempDir dir_;
  std::unique_ptr<storage::Store> store_ = linli::testing::OpenMigratedSqlite(dir_);
  ManualClock clock_{1'790'000'000};
  AuditService audit_{*store_, clock_};
};

TEST_F(AuditTest, IntactChainVerifies) {
  AppendMany(1, 10);
  AppendMany(2, 3);
  auto result = VerifyAll();
  EXPECT_TRUE(result.ok);
  EXPECT_EQ(result.checked, 13);
}

TEST_F(AuditTest, RecordsTheActorsMostSpecificRole) {
  AppendMany(1, 1);
  Actor committee;
  committee.user_id = 9;
  committee.roles_by_community[1] = {Role::kCommittee};
  auto page = audit_.List(committee, 1, PageRequest{10, std::nullopt}).value();
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].draft.role, "committee");
  EXPECT_EQ(page.items[0].at, 1'790'000'000);
}

TEST_F(AuditTest, FlippedByteIsCaughtAtThatEntry) {
  AppendMany(1, 10);
  Tamper("UPDATE audit_log SET object_id = '7x' WHERE community_id = 1 AND seq = 5");
  auto result = VerifyAll();
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_bad_seq, 5);
  EXPECT_EQ(result.problem, "hash_mismatch");
}

TEST_F(AuditTest, RecomputedHashStillBreaksTheNextLink) {
  AppendMany(1, 10);
  Tamper("UPDATE audit_log SET hash = 'ff' WHERE community_id = 1 AND seq = 4");
  auto result = VerifyAll();
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_bad_seq, 4);
}

TEST_F(AuditTest, DeletedEntryIsCaught) {
  AppendMany(1, 10);
  Tamper("DELETE FROM audit_log WHERE community_id = 1 AND seq = 6");
  auto result = VerifyAll();
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_bad_seq, 6);
  EXPECT_EQ(result.problem, "missing_entries");
}

TEST_F(AuditTest, ReorderedEntriesAreCaught) {
  AppendMany(1, 10);
  Tamper(
      "UPDATE audit_log SET seq = -1 WHERE community_id = 1 AND seq = 3;"
      "UPDATE audit_log SET seq = 3 WHERE community_id = 1 AND seq = 4;"
      "UPDATE audit_log SET seq = 4 WHERE community_id = 1 AND seq = -1;");
  auto result = VerifyAll();
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_bad_seq, 3);
}

TEST_F(AuditTest, TruncatedTailIsCaughtByTheHead) {
  AppendMany(1, 10);
  Tamper("DELETE FROM audit_log WHERE community_id = 1 AND seq >= 9");
  auto result = VerifyAll();
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.problem, "head_mismatch");
}

TEST_F(AuditTest, LogIsAppendOnlyInTheDatabase) {
  AppendMany(1, 2);
  auto update = store_->Write([](storage::Session& session) -> Status {
    LINLI_TRY(session.Execute("UPDATE audit_log SET action = 'x'"));
    return Ok();
  });
  ASSERT_FALSE(update.has_value());
  EXPECT_EQ(update.error().code, Errc::kConflict);
  auto remove = store_->Write([](storage::Session& session) -> Status {
    LINLI_TRY(session.Execute("DELETE FROM audit_log"));
    return Ok();
  });
  EXPECT_FALSE(remove.has_value());
  EXPECT_TRUE(VerifyAll().ok);
}

TEST_F(AuditTest, ConcurrentAppendsKeepOneChain) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) threads.emplace_back([&] { AppendMany(1, 20); });
  for (auto& thread : threads) thread.join();
  auto result = VerifyAll();
  EXPECT_TRUE(result.ok) << result.problem;
  EXPECT_EQ(result.checked, 160);
}

TEST_F(AuditTest, FailedWriteLeavesNoEntry) {
  auto failed = store_->Write([&](storage::Session& session) -> Status {
    LINLI_TRY(audit_.Append(session, DraftFor(Actor::System(), 1, "x", "y", "z")));
    return Error{Errc::kConflict, "later_step_failed", ""};
  });
  EXPECT_FALSE(failed.has_value());
  EXPECT_EQ(VerifyAll().checked, 0);
}

TEST_F(AuditTest, OnlyOversightRolesMayRead) {
  AppendMany(1, 1);
  Actor resident;
  resident.user_id = 3;
  resident.roles_by_community[1] = {Role::kResident};
  EXPECT_EQ(audit_.List(resident, 1, {}).error().reason, "not_found");
  EXPECT_EQ(audit_.List(Actor{}, 1, {}).error().reason, "unauthenticated");
  Actor auditor;
  auditor.user_id = 4;
  auditor.roles_by_community[1] = {Role::kAuditor};
  EXPECT_TRUE(audit_.Verify(auditor, 1).value().ok);
  EXPECT_EQ(audit_.Verify(auditor, 2).error().reason, "not_found");
}

}  // namespace
}  // namespace linli::audit
