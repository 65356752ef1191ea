#pragma once
// Use cases of the household register 一户一档. Every method authorises its caller (the field ×
// role matrix is in docs/households.md): a household the caller may not see is the same
// not_found as a missing one; a visible household with an operation the caller may not perform
// is forbidden. Writes append to the audit log in the same transaction; audit entries carry
// ids and field names only, never values.
//
// Error reasons: unauthenticated (401), forbidden (403), not_found (404), invalid_field (400),
// version_mismatch (409, the If-Match version is not the current one), consent_required (422,
// health notes without the person's health consent), guardian_consent_required (422, anything
// about a member under 14 without a guardian's consent), too_many_members (422),
// sealed_value_invalid / unknown_data_key (500, corrupted data or a missing key).
#include <cstdint>
#include <functional>
#include <vector>

#include "audit/service.hpp"
#include "core/clock.hpp"
#include "core/page.hpp"
#include "core/random.hpp"
#include "core/sealed.hpp"
#include "households/model.hpp"
#include "households/repo.hpp"
#include "storage/store.hpp"

namespace linli::households {

class HouseholdsService {
 public:
  // Runs inside the erasure's write transaction with the erased person's user id, so other
  // modules drop what they hold about the person (e.g. resource cards leave the search index)
  // atomically with the erasure. An error rolls the whole erasure back.
  using ErasureHook = std::function<Status(storage::Session&, std::int64_t user_id)>;

  // `keys` must outlive the service. Thread-safe once hooks are added.
  HouseholdsService(storage::Store& store, const audit::AuditService& audit, const Clock& clock,
                    Random& random, const crypto::KeyRing& keys);

  // Call during start-up, before requests are served (not thread-safe).
  void AddErasureHook(ErasureHook hook);

  const Clock& clock() const { return clock_; }

  // Households the caller may see in the community, in id order: all of them for committee and
  // property staff, the guide's grids and assigned households for a grid worker, the caller's
  // own household for a resident. Nobody else sees any (not_found for the community).
  // Items carry no members (member_count only) and are filtered like Get.
  Result<Page<HouseholdView>> List(const Actor& actor, std::int64_t community_id,
                                   const ListFilter& filter, const PageRequest& page);
  // A household with its members, filtered for the caller.
  Result<HouseholdView> Get(const Actor& actor, std::int64_t household_id);
  Result<HouseholdView> UpdateRecord(const Actor& actor, std::int64_t household_id,
                                     const RecordPatch& patch);

  Result<MemberView> GetMember(const Actor& actor, std::int64_t household_id,
                               std::int64_t member_id);
  Result<MemberView> AddMember(const Actor& actor, std::int64_t household_id,
                               const MemberSave& save);
  Result<MemberView> UpdateMember(const Actor& actor, std::int64_t household_id,
                                  std::int64_t member_id, const MemberSave& save);
  // A member moving out: their personal data is removed as by erasure, but no erasure hooks
  // run (their account and other data stay).
  Status RemoveMember(const Actor& actor, std::int64_t household_id, std::int64_t member_id);

  // Consent records of a member, oldest first.
  Result<std::vector<Consent>> Consents(const Actor& actor, std::int64_t household_id,
                                        std::int64_t member_id);
  // Appends a grant or a revocation. Revoking health consent deletes the member's health
  // notes; revoking a guardian's consent for a member under 14 erases that member.
  Result<Consent> RecordConsent(const Actor& actor, std::int64_t household_id,
                                std::int64_t member_id, const ConsentChange& change);

  // Newest first. Residents may add feedback entries only.
  Result<Page<HistoryEntry>> History(const Actor& actor, std::int64_t household_id,
                                     const PageRequest& page);
  Result<HistoryEntry> AddHistory(const Actor& actor, std::int64_t household_id,
                                  const HistoryInput& input);

  // Everything held about one member, decrypted: for the person (their linked account), a
  // guardian (a resident of the household) when the member is under 14, or the committee.
  // Audited as a disclosure.
  Result<PersonExport> ExportPerson(const Actor& actor, std::int64_t household_id,
                                    std::int64_t member_id);
  // Erasure on request (same callers as export): deletes the member's sealed values, blanks
  // their plaintext fields and history notes, keeps non-personal facts (that a member existed,
  // consent events, history kinds and dates) and runs the erasure hooks for a linked account.
  // The audit chain stays valid: its entries hold only ids.
  Status ErasePerson(const Actor& actor, std::int64_t household_id, std::int64_t member_id);

  // Grid workers assigned to grids; committee (and the system) only, guides see their own.
  Result<std::vector<GridGuide>> GridGuides(const Actor& actor, std::int64_t community_id);
  Status AssignGridGuide(const Actor& actor, std::int64_t community_id, std::int64_t grid_id,
                         std::int64_t user_id);
  Status UnassignGridGuide(const Actor& actor, std::int64_t community_id, std::int64_t grid_id,
                           std::int64_t user_id);

  // Re-seals every value not sealed under the ring's current key, in batches (system only).
  Result<RotationReport> RotateKeys(const Actor& actor);

 private:
  struct Caller;  // the caller's relations to households, loaded once per operation

  Result<Caller> LoadCaller(storage::Session& session, const Actor& actor,
                            std::int64_t community_id) const;
  Access AccessFor(const Actor& actor, const Caller& caller, const Household& household) const;
  // The household and the caller's access, or not_found when the caller may not see it.
  Result<std::pair<Household, Access>> Load(storage::Session& session, const Actor& actor,
                                            std::int64_t household_id) const;

  Result<Member> Decrypt(storage::Session& session, const repo::MemberRow& row) const;
  Result<std::vector<Member>> DecryptMembers(storage::Session& session,
                                             std::int64_t household_id) const;
  Status Seal(storage::Session& session, std::int64_t community_id, std::string_view table,
              std::int64_t owner_id, std::string_view field,
              const std::optional<std::string>& value) const;
  Result<MemberView> SaveMember(const Actor& actor, std::int64_t household_id,
                                std::optional<std::int64_t> member_id, const MemberSave& save);
  Result<HistoryEntry> DecryptHistory(storage::Session& session, const repo::HistoryRow& row) const;
  // Blanks a member's personal data in the caller's transaction; runs hooks when asked.
  Status EraseInSession(storage::Session& session, const Member& member, bool run_hooks) const;
  bool IsMinor(const MemberProfile& profile) const;
  MemberView ViewOf(const Member& member, const Access& access) const;
  HouseholdView ViewOf(Household household, const Access& access) const;

  storage::Store& store_;
  const audit::AuditService& audit_;
  const Clock& clock_;
  Random& random_;
  const crypto::KeyRing& keys_;
  std::vector<ErasureHook> erasure_hooks_;
};

// Demo content for `linli seed-demo` (idempotent: households that already have a record are
// left alone). Gives the community's first households records and members — some with phone,
// ID number and health notes, one with a child under 14 and a guardian's consent — assigns the
// guide to the community's first grid and links the resident's account to their member entry.
struct DemoPeople {
  std::int64_t guide_user_id = 0;
  std::int64_t resident_user_id = 0;   // lives in the community's first household
  std::int64_t resident2_user_id = 0;  // lives in the second
};
Status SeedDemo(HouseholdsService& service, std::int64_t community_id, const DemoPeople& people);

// The plaintext sensitive values SeedDemo stores (for tests that scan raw database bytes).
const std::vector<std::string>& DemoSensitiveValues();

}  // namespace linli::households
