#pragma once
// Use cases of the resource pool. Every method authorises its caller; "not yours" is the same
// not_found as "missing". Writes append to the audit log, the change log (for every process's
// search index) and, for owners, the notification inbox — all in the same transaction.
//
// Who may do what:
//   - managers of a card: its owner (the publishing user, or the user a grid worker acts for;
//     or the organisation API key that published it), and for institutional cards the
//     institution's staff: property cards → property_staff, community cards → committee/admin.
//     They edit, submit, withdraw, reconfirm, set availability, manage photos, delist, archive.
//   - reviewers: committee and admin of the card's community (the 审核小组; its property and
//     resident representatives hold the committee role). Plain property_staff do not review:
//     they would be approving their own company's cards. Nobody reviews a card they own
//     (422 self_review).
//   - everyone signed in: listed cards their community can see (the card's own community, or
//     its street/city when the card's visibility says so).
//   - organisation API keys need the resources:read / resources:write scope (403
//     insufficient_scope).
//
// Error reasons: unauthenticated (401), insufficient_scope (403), not_found (404),
// invalid_field (400), illegal_transition (409), version_mismatch (409), self_review (422),
// too_many_photos (422), unsupported_media_type (415), body_too_large (413), duplicate (409).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "accounts/service.hpp"
#include "audit/service.hpp"
#include "core/clock.hpp"
#include "core/page.hpp"
#include "notify/service.hpp"
#include "resources/csv.hpp"
#include "resources/index_feed.hpp"
#include "resources/model.hpp"
#include "resources/repo.hpp"
#include "search/index.hpp"
#include "storage/store.hpp"

namespace linli::resources {

struct SearchRequest {
  std::string text;
  std::optional<Kind> kind;
  std::vector<std::string> tags;
  std::optional<RuleType> rule;
  std::optional<Availability> status;
  std::optional<double> lat;
  std::optional<double> lon;
  std::optional<double> radius_m;
  search::Sort sort = search::Sort::kRelevance;
  int limit = 20;
  int offset = 0;
};

struct SearchItem {
  Card card;
  double score = 0;
  std::optional<double> distance_m;
};

struct SearchPage {
  std::vector<SearchItem> items;
  std::int64_t total = 0;
};

struct ImportOptions {
  Lifecycle lifecycle = Lifecycle::kPendingReview;  // draft, pending_review or listed
  std::optional<std::int64_t> owner_user_id;        // the CLI's --owner; else the caller
};

struct ImportResult {
  std::vector<std::int64_t> created_ids;
  std::vector<CsvProblem> problems;  // the per-row report (at most kCsvErrorsReportedMax)
  std::size_t problem_count = 0;
  bool ok() const { return problem_count == 0; }
};

struct PhotoFile {
  std::int64_t id = 0;
  std::string media_type;
  std::string bytes;
  std::string etag;  // quoted, e.g. "\"9f86d081884c7d65\""
};

struct SettingsPatch {
  std::optional<std::int64_t> reconfirm_days;
  std::optional<std::int64_t> reminder_days;
  std::optional<std::int64_t> idle_days;
};

struct JobReport {
  int reminded = 0;
  int delisted_overdue = 0;
  int delisted_idle = 0;
};

// For demo seeding (system actor): a card identified by its ref, created if missing.
struct SeedCard {
  std::string ref;
  std::int64_t owner_user_id = 0;
  CardContent content;
  Lifecycle lifecycle = Lifecycle::kListed;
  Availability availability = Availability::kAvailable;
};

// A manager may edit and run the owner's side of the lifecycle (see above).
bool CanManage(const Actor& actor, const Card& card);
// Committee and admin of the community (and the system) review cards.
bool CanReview(const Actor& actor, std::int64_t community_id);

class ResourcesService {
 public:
  ResourcesService(storage::Store& store, const audit::AuditService& audit,
                   const notify::NotifyService& notify, accounts::AccountsService& accounts,
                   search::Index& index, const Clock& clock, Policy defaults = {});

  // Intake. Create makes a draft in `community_id` (the caller's current community when 0).
  Result<Card> Create(const Actor& actor, std::int64_t community_id, const CardContent& content);
  // Applies `patch`; `if_version` (from If-Match) must equal the card's version when given.
  Result<Card> Update(const Actor& actor, std::int64_t id, const CardPatch& patch,
                      std::optional<std::int64_t> if_version);
  Result<Card> Get(const Actor& actor, std::int64_t id);
  Result<Page<Card>> Mine(const Actor& actor, std::optional<Lifecycle> lifecycle,
                          const PageRequest& page);

  // Lifecycle.
  Result<Card> Submit(const Actor& actor, std::int64_t id);
  Result<Card> Withdraw(const Actor& actor, std::int64_t id);
  Result<Card> Approve(const Actor& actor, std::int64_t id, const std::string& reason);
  Result<Card> Reject(const Actor& actor, std::int64_t id, const std::string& reason);
  Result<Card> Reconfirm(const Actor& actor, std::int64_t id);
  // By a manager (reason optional) or a reviewer (reason required; the owner is told).
  Result<Card> Delist(const Actor& actor, std::int64_t id, const std::string& reason);
  Result<Card> Archive(const Actor& actor, std::int64_t id);
  Result<Card> SetAvailability(const Actor& actor, std::int64_t id, Availability availability);
  Result<Page<Card>> ReviewQueue(const Actor& actor, std::int64_t community_id,
                                 const PageRequest& page);
  Result<std::vector<Review>> Reviews(const Actor& actor, std::int64_t id);

  // Photos (JPEG/PNG/WebP by magic bytes, ≤ kResourcePhotoBytesMax, ≤ kResourcePhotosPerCardMax).
  Result<Card> AddPhoto(const Actor& actor, std::int64_t id, std::string bytes);
  Result<PhotoFile> GetPhoto(const Actor& actor, std::int64_t id, std::int64_t photo_id);
  Result<Card> RemovePhoto(const Actor& actor, std::int64_t id, std::int64_t photo_id);

  // The resource market: listed cards visible from the caller's current community.
  Result<SearchPage> Search(const Actor& actor, const SearchRequest& request);

  // CSV. Import is all-or-nothing: with any problem nothing is saved and the report says why.
  Result<ImportResult> ImportCsv(const Actor& actor, std::int64_t community_id,
                                 std::string_view csv, const ImportOptions& options);
  Result<std::string> ExportCsv(const Actor& actor, std::int64_t community_id);

  // Per-community reconfirmation settings (committee and admin).
  Result<Settings> GetSettings(const Actor& actor, std::int64_t community_id);
  Result<Settings> UpdateSettings(const Actor& actor, std::int64_t community_id,
                                  const SettingsPatch& patch);

  // The scheduled job: reminds owners reminder_days before reconfirmation falls due (once per
  // period), delists cards past due and cards idle for idle_days, telling their owners.
  Result<JobReport> RunReconfirmation(std::int64_t now_s);
  // Drops change-log rows older than `keep_s` (every process has long applied them).
  Status PruneChangeLog(std::int64_t now_s, std::int64_t keep_s);

  // Other modules record use (a booking, a loan) inside their own transaction.
  // Erasure of a person (households' erasure hook): archives every card they own and drops its
  // photos, in the erasure transaction; the change log takes the cards out of every index.
  Status EraseOwner(storage::Session& session, std::int64_t user_id) const;

  Status RecordActivity(storage::Session& session, std::int64_t community_id,
                        std::int64_t resource_id) const;
  // The card as the caller's transaction sees it, without any visibility check (the caller has
  // authorised already, e.g. with Get); for other modules' writes that depend on the card.
  Result<std::optional<Card>> GetInSession(storage::Session& session, std::int64_t id) const;

  // The search index: rebuilt from the database at start, then polled (also after each write).
  Status RebuildIndex() { return feed_.Rebuild(); }
  Status SyncIndex();

  // Demo seeding (system actor only; idempotent by ref). Returns how many cards were created.
  Result<int> EnsureCards(const Actor& actor, std::int64_t community_id,
                          const std::vector<SeedCard>& cards);

  // Bulk synthetic cards for benchmarks (system actor only): listed cards with refs
  // "synthetic:<n>" up to `count` in total, made by `make(n)`, inserted in large batches. Other
  // processes rebuild their index once (a rebuild marker in the change log).
  Result<int> EnsureSynthetic(const Actor& actor, std::int64_t community_id,
                              std::int64_t owner_user_id, int count,
                              const std::function<CardContent(int)>& make);

  const Policy& defaults() const { return defaults_; }

 private:
  using Mutation = std::function<Status(storage::Session&, Card&)>;

  // Loads the card inside a write, checks `allowed`, runs `mutate`, saves, appends the change
  // and audit entry; then syncs the index.
  Result<Card> Mutate(const Actor& actor, std::int64_t id, std::string_view action,
                      const std::function<Status(const Actor&, const Card&)>& allowed,
                      const Mutation& mutate);
  Status Save(storage::Session& session, const Actor& actor, Card& card, std::string_view action,
              const std::string& details) const;
  Status Notify(storage::Session& session, const Card& card, std::string kind, std::string title,
                std::string body) const;
  Result<Policy> PolicyFor(storage::Session& session, std::int64_t community_id) const;
  Status CheckBuilding(std::int64_t community_id, const Location& location);
  Status CheckOwnerType(const Actor& actor, std::int64_t community_id, OwnerType type) const;
  Result<Place> ViewerPlace(const Actor& actor);
  bool CanSee(const Actor& actor, const Card& card);
  Result<Card> Decide(const Actor& actor, std::int64_t id, bool approve, const std::string& reason);
  Result<int> Delist(storage::Session& session, const std::vector<Card>& cards,
                     std::string_view reason, std::int64_t now_s);

  storage::Store& store_;
  const audit::AuditService& audit_;
  const notify::NotifyService& notify_;
  accounts::AccountsService& accounts_;
  search::Index& index_;
  const Clock& clock_;
  Policy defaults_;
  Places places_;
  IndexFeed feed_;
};

}  // namespace linli::resources
