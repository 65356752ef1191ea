// Issue #7 benchmark. A plain driver (not Google Benchmark): the figures are "tickets created by
// N blocked callers in a fixed window" and "latency percentiles of one query shape".
//
//   1. creations/s: --threads callers (default 8) each report tickets through
//      TicketsService::Create for --seconds (default 3) on a durable SQLite store (WAL,
//      synchronous=FULL, group commit): routing, both SLA deadlines on the working-day calendar,
//      the history step and the audit entry, all in one transaction per ticket.
//   2. queue p99: the database is filled to --tickets (default 1,000,000; 10 % open, spread over
//      colours, teams and deadlines) with batched inserts, then the staff work queue (open
//      tickets of one team, red first, then by deadline, first page of 20) is read --queries
//      times (default 2000), cycling through the four teams.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "accounts/service.hpp"
#include "audit/service.hpp"
#include "core/crypto.hpp"
#include "core/sealed.hpp"
#include "notify/service.hpp"
#include "storage/sqlite/sqlite_store.hpp"
#include "tickets/service.hpp"

namespace {

using namespace linli;
using Steady = std::chrono::steady_clock;

struct Options {
  long tickets = 1'000'000;
  double seconds = 3;
  int threads = 64;
  int queries = 2000;
  std::string dir;
  bool reuse = false;  // keep an earlier run's database (skips most of the seeding)
};

Options Parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const std::string value = argv[i + 1];
    if (flag == "--tickets") options.tickets = std::stol(value);
    if (flag == "--seconds") options.seconds = std::stod(value);
    if (flag == "--threads") options.threads = std::stoi(value);
    if (flag == "--queries") options.queries = std::stoi(value);
    if (flag == "--dir") options.dir = value;
    if (flag == "--reuse") options.reuse = value == "1";
  }
  return options;
}

int Fail(const char* what, const Error& error) {
  std::fprintf(stderr, "tickets bench: %s: %s (%s)\n", what, error.detail.c_str(),
               error.reason.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = Parse(argc, argv);
  crypto::InitCrypto();
  const auto dir = options.dir.empty()
                       ? std::filesystem::temp_directory_path() / "linli-tickets-bench"
                       : std::filesystem::path(options.dir);
  if (!options.reuse) std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  storage::SqliteOptions sqlite;
  sqlite.path = (dir / "tickets.db").string();
  sqlite.synchronous_full = true;
  auto opened = storage::OpenSqliteStore(sqlite);
  if (!opened) return Fail("open", opened.error());
  storage::Store& store = **opened;
  SystemClock clock;
  if (auto migrated = storage::Migrate(store, storage::SqliteMigrations(), clock.NowEpochS());
      !migrated) {
    return Fail("migrate", migrated.error());
  }
  SecureRandom random;
  auto keys = crypto::KeyRing::Parse(crypto::KeyRing::GenerateEntry(1, random)).value();
  audit::AuditService audit(store, clock);
  accounts::AccountsService accounts(store, audit, clock, random);
  notify::NotifyService notify(store, clock);
  tickets::TicketsService service(store, audit, notify, accounts, clock, random, keys);

  const Actor system = Actor::System();
  auto community = accounts.EnsureCommunity(
      system, {"上海市", "阳光街道", "阳光社区", "Asia/Shanghai", std::nullopt});
  if (!community) return Fail("community", community.error());
  auto grid = accounts.EnsureGrid(system, *community, "第1网格").value();
  auto building = accounts.EnsureBuilding(system, *community, grid, "1号楼").value();
  auto resident_id = accounts.EnsureUser(
      system,
      {"bench-resident", "居民", "bench-password-1", *community, {Role::kResident}, std::nullopt});
  auto staff_id = accounts.EnsureUser(system, {"bench-staff",
                                               "物业",
                                               "bench-password-1",
                                               *community,
                                               {Role::kPropertyStaff},
                                               std::nullopt});
  if (!resident_id || !staff_id) return Fail("users", Error{});
  Actor resident;
  resident.user_id = *resident_id;
  resident.roles_by_community[*community] = {Role::kResident};
  resident.current_community_id = *community;
  Actor staff;
  staff.user_id = *staff_id;
  staff.roles_by_community[*community] = {Role::kPropertyStaff};

  // 1. Creations through the service.
  std::atomic<long> created{0};
  std::atomic<bool> failed{false};
  const auto start = Steady::now();
  const auto until = start + std::chrono::duration<double>(options.seconds);
  std::vector<std::thread> threads;
  for (int t = 0; t < options.threads; ++t) {
    threads.emplace_back([&, t] {
      const char* categories[] = {"water_leak", "lighting", "noise", "parking", "elevator"};
      long n = t;
      while (Steady::now() < until) {
        tickets::NewTicket request;
        request.category = categories[n++ % 5];
        request.description = "楼道灯不亮，已经三天了";
        request.location.building_id = building;
        if (!service.Create(resident, request)) {
          failed = true;
          return;
        }
        created.fetch_add(1);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  const double elapsed = std::chrono::duration<double>(Steady::now() - start).count();
  if (failed) return Fail("create", Error{Errc::kInternal, "create_failed", "a create failed"});
  const double per_second = static_cast<double>(created.load()) / elapsed;

  // 2. Fill to the target size, then time the queue.
  const auto seed_start = Steady::now();
  long existing = 0;
  if (auto counted = store.Read([&](storage::Session& session) -> Status {
        LINLI_ASSIGN_OR_RETURN(auto row, session.QueryOne("SELECT COUNT(*) FROM tickets"));
        existing = row->Int(0);
        return Ok();
      });
      !counted) {
    return Fail("count", counted.error());
  }
  const long to_seed = std::max(0L, options.tickets - existing);
  auto seeded = service.SeedSynthetic(
      system, {*community, *resident_id, static_cast<int>(to_seed), clock.NowEpochS()});
  if (!seeded) return Fail("seed", seeded.error());
  const double seed_s = std::chrono::duration<double>(Steady::now() - seed_start).count();
  if (auto analyzed =
          store.Write([](storage::Session& session) { return session.ExecuteScript("ANALYZE"); });
      !analyzed) {
    return Fail("analyze", analyzed.error());
  }

  const tickets::AssigneeKind teams[] = {
      tickets::AssigneeKind::kProperty, tickets::AssigneeKind::kGridWorker,
      tickets::AssigneeKind::kMerchant, tickets::AssigneeKind::kDepartment};
  std::vector<double> latencies_ms;
  latencies_ms.reserve(static_cast<std::size_t>(options.queries));
  std::size_t rows = 0;
  for (int q = 0; q < options.queries; ++q) {
    const auto begin = Steady::now();
    auto page = service.Queue(staff, {*community, teams[q % 4], false}, {20, std::nullopt});
    const auto end = Steady::now();
    if (!page) return Fail("queue", page.error());
    rows += page->items.size();
    latencies_ms.push_back(std::chrono::duration<double, std::milli>(end - begin).count());
  }
  std::sort(latencies_ms.begin(), latencies_ms.end());
  const auto pct = [&](double p) {
    return latencies_ms[std::min(latencies_ms.size() - 1,
                                 static_cast<std::size_t>(p * latencies_ms.size()))];
  };
  std::printf("  %-52s %12.0f /s   (%ld in %.1f s, %d threads, SQLite FULL, group commit)\n",
              "ticket creations through TicketsService::Create", per_second, created.load(),
              elapsed, options.threads);
  std::printf("  %-52s %12ld      (seeded %d more in %.1f s)\n", "tickets in the database",
              existing + static_cast<long>(*seeded), *seeded, seed_s);
  std::printf(
      "  %-52s %9.3f ms   p50 %.3f ms, max %.3f ms, %d queries, %.1f rows/page; "
      "target p99 <= 5 ms: %s\n",
      "staff queue (team, red first, by deadline) p99", pct(0.99), pct(0.50), latencies_ms.back(),
      options.queries, static_cast<double>(rows) / options.queries,
      pct(0.99) <= 5.0 ? "MET" : "BELOW");
  if (!options.reuse) std::filesystem::remove_all(dir);
  return 0;
}
