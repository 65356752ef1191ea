#include "app/commands.hpp"

#include <filesystem>
#include <thread>
#include <unistd.h>

#include <fmt/format.h>
#include <spdlog/async.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "accounts/routes.hpp"
#include "accounts/service.hpp"
#include "app/bridges.hpp"
#include "app/data_keys.hpp"
#include "audit/routes.hpp"
#include "audit/service.hpp"
#include "booking/routes.hpp"
#include "booking/schedule.hpp"
#include "booking/service.hpp"
#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/random.hpp"
#include "households/routes.hpp"
#include "households/service.hpp"
#include "http/json.hpp"
#include "http/log_sink.hpp"
#include "http/server.hpp"
#include "http/static_files.hpp"
#include "jobs/scheduler.hpp"
#include "ledger/routes.hpp"
#include "ledger/service.hpp"
#include "notify/routes.hpp"
#include "notify/service.hpp"
#include "property/payments.hpp"
#include "property/routes.hpp"
#include "property/schedule.hpp"
#include "property/service.hpp"
#include "resources/routes.hpp"
#include "resources/schedule.hpp"
#include "resources/service.hpp"
#include "search/index.hpp"
#include "storage/postgres/postgres_store.hpp"
#include "storage/sqlite/sqlite_store.hpp"
#include "tickets/routes.hpp"
#include "tickets/schedule.hpp"
#include "tickets/service.hpp"
#include "trust/routes.hpp"
#include "trust/schedule.hpp"
#include "trust/service.hpp"

namespace linli::app {

std::string_view OpenApiDocument();  // embedded docs/api/openapi.yaml

namespace {

int IoThreads(const Config& config) {
  if (config.io_threads > 0) return config.io_threads;
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

void SetUpLogging(const Config& config) {
  // Never block a request on logging: lines go to memory and the sink's thread writes them in
  // batches (no system call or thread wake-up per line); if stdout stalls, lines are dropped.
  auto sink = std::make_shared<http::BatchedStdoutSink>();
  auto logger = std::make_shared<spdlog::logger>("linli", sink);
  logger->set_pattern(R"({"ts":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l","log":%v})",
                      spdlog::pattern_time_type::utc);
  logger->set_level(spdlog::level::from_str(config.log_level));
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(logger);
  spdlog::flush_every(std::chrono::seconds(1));
}

// Refuses to serve an outdated schema: migrations are an explicit, single step.
Status CheckSchemaCurrent(storage::Store& store) {
  const auto& migrations = MigrationsFor(store);
  const std::int64_t latest = migrations.empty() ? 0 : migrations.back().version;
  std::int64_t applied = 0;
  auto status = store.Read([&](storage::Session& session) -> Status {
    LINLI_ASSIGN_OR_RETURN(auto row,
                           session.QueryOne("SELECT MAX(version) FROM schema_migrations"));
    applied = row && !row->IsNull(0) ? row->Int(0) : 0;
    return Ok();
  });
  if (!status || applied < latest) {
    return Error{Errc::kFailedPrecondition, "schema_outdated",
                 fmt::format("database schema is at version {} but this binary needs {}; run "
                             "`linli migrate` first",
                             applied, latest)};
  }
  return Ok();
}

void AddOperationalRoutes(http::Router& router, storage::Store& store, http::Metrics& metrics) {
  using http::Verb;
  const http::RouteOptions anonymous{.anonymous = true};
  router.Add(
      Verb::kGet, "/healthz",
      [](http::Request&) {
        return http::Json(200, {{"status", "ok"}});
      },
      anonymous);
  router.Add(
      Verb::kGet, "/readyz",
      [&store](http::Request& request) {
        if (auto ping = store.Ping(); !ping) {
          return http::Problem(request, {Errc::kUnavailable, "database_unavailable",
                                         "the database does not answer"});
        }
        return http::Json(200, {{"status", "ready"}});
      },
      anonymous);
  router.Add(
      Verb::kGet, "/metrics",
      [&metrics](http::Request&) {
        http::Response response;
        response.content_type = "text/plain; version=0.0.4";
        response.body = metrics.Render();
        return response;
      },
      anonymous);
  router.Add(Verb::kGet, "/api/v1/openapi.yaml", [](http::Request&) {
    http::Response response;
    response.content_type = "application/yaml";
    response.body = std::string(OpenApiDocument());
    return response;
  });
}

}  // namespace

int ReportFatal(const Error& error) {
  fmt::print(stderr, "linli: {} ({})\n", error.detail, error.reason);
  return 2;
}

Result<std::unique_ptr<storage::Store>> OpenStore(const Config& config) {
  if (config.db.starts_with("sqlite:")) {
    storage::SqliteOptions options;
    options.path = config.db.substr(7);
    options.synchronous_full = config.sqlite_synchronous_full;
    options.reader_connections = config.db_pool;
    const auto parent = std::filesystem::path(options.path).parent_path();
    std::error_code ec;
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    return storage::OpenSqliteStore(options);
  }
  if (config.db.starts_with("postgresql://") || config.db.starts_with("postgres://")) {
    return storage::OpenPostgresStore({config.db, config.db_pool});
  }
  return Error{Errc::kInvalidArgument, "invalid_config",
               "--db must be sqlite:PATH or postgresql://..."};
}

const std::vector<storage::Migration>& MigrationsFor(const storage::Store& store) {
  return store.capabilities().backend == "postgres" ? storage::PostgresMigrations()
                                                    : storage::SqliteMigrations();
}

int RunMigrate(const Config& config) {
  auto store = OpenStore(config);
  if (!store) return ReportFatal(store.error());
  SystemClock clock;
  auto applied = storage::Migrate(**store, MigrationsFor(**store), clock.NowEpochS());
  if (!applied) return ReportFatal(applied.error());
  fmt::print("migrated: {} migration(s) applied\n", applied->size());
  return 0;
}

int RunVerifyAudit(const Config& config) {
  auto store = OpenStore(config);
  if (!store) return ReportFatal(store.error());
  SystemClock clock;
  audit::AuditService audit(**store, clock);
  auto verification = audit.VerifyAll();
  if (!verification) return ReportFatal(verification.error());
  if (!verification->ok) {
    fmt::print("audit chain BROKEN: community {} entry {}: {} ({} entries checked)\n",
               verification->first_bad_community_id.value_or(-1),
               verification->first_bad_seq.value_or(-1), verification->problem,
               verification->checked);
    return 1;
  }
  fmt::print("audit chain OK: {} entries verified\n", verification->checked);
  return 0;
}

int RunVerifyLedger(const Config& config) {
  auto store = OpenStore(config);
  if (!store) return ReportFatal(store.error());
  SystemClock clock;
  audit::AuditService audit(**store, clock);
  ledger::LedgerService ledger(**store, audit, clock);
  auto v = ledger.VerifyAll();
  if (!v) return ReportFatal(v.error());
  if (!v->ok) {
    fmt::print(
        "ledger BROKEN: {} in community {} {} ledger (account {}, transfer {}); {} "
        "ledgers, {} accounts, {} transfers\n",
        v->problem, v->community_id.value_or(-1), v->currency ? ledger::Name(*v->currency) : "?",
        v->account_id.value_or(-1), v->transfer_id.value_or(-1), v->ledgers, v->accounts,
        v->transfers);
    return 1;
  }
  fmt::print("ledger OK: {} ledgers balance, {} accounts equal their entries, {} transfers\n",
             v->ledgers, v->accounts, v->transfers);
  return 0;
}

int RunAdminCreate(const Config& config, const std::string& login, const std::string& password,
                   const std::string& display_name, const std::string& community) {
  auto store = OpenStore(config);
  if (!store) return ReportFatal(store.error());
  SystemClock clock;
  SecureRandom random;
  audit::AuditService audit(**store, clock);
  accounts::AccountsService accounts(**store, audit, clock, random);
  std::int64_t community_id = 0;
  auto status = (*store)->Read([&](storage::Session& session) -> Status {
    LINLI_ASSIGN_OR_RETURN(auto row, session.QueryOne("SELECT id FROM communities WHERE name = $1 "
                                                      "ORDER BY id LIMIT 1",
                                                      {community}));
    if (!row) return Error{Errc::kNotFound, "not_found", "no community named " + community};
    community_id = row->Int(0);
    return Ok();
  });
  if (!status) return ReportFatal(status.error());
  auto user = accounts.EnsureUser(
      Actor::System(), {login, display_name, password, community_id, {Role::kAdmin}, std::nullopt});
  if (!user) return ReportFatal(user.error());
  fmt::print("admin '{}' (user {}) is admin of community {}\n", login, *user, community_id);
  return 0;
}

int RunServe(const Config& config) {
  SetUpLogging(config);
  auto store = OpenStore(config);
  if (!store) return ReportFatal(store.error());
  if (auto current = CheckSchemaCurrent(**store); !current) return ReportFatal(current.error());

  SystemClock clock;
  SecureRandom random;
  audit::AuditService audit(**store, clock);
  accounts::AccountsService accounts(**store, audit, clock, random,
                                     {config.session_idle_s, config.session_absolute_s});

  http::Router router;
  http::Metrics metrics;
  router.SetAuthenticator(accounts::MakeAuthenticator(accounts));
  AddOperationalRoutes(router, **store, metrics);
  accounts::RegisterRoutes(router, accounts);
  audit::RegisterRoutes(router, audit);
  auto data_keys = LoadDataKeys(config, random);
  if (!data_keys) return ReportFatal(data_keys.error());
  households::HouseholdsService households(**store, audit, clock, random, *data_keys);
  households::RegisterRoutes(router, households);
  notify::NotifyService notify(**store, clock);
  notify::RegisterRoutes(router, notify);
  tickets::TicketsService tickets(**store, audit, notify, accounts, clock, random, *data_keys);
  tickets::RegisterRoutes(router, tickets);
  search::Index resource_index;
  resources::ResourcesService resources(
      **store, audit, notify, accounts, resource_index, clock,
      {config.resources_reconfirm_days, config.resources_reminder_days,
       config.resources_idle_days});
  if (auto rebuilt = resources.RebuildIndex(); !rebuilt) return ReportFatal(rebuilt.error());
  resources::RegisterRoutes(router, resources);
  ledger::LedgerService ledger(**store, audit, clock);
  ledger::RegisterRoutes(router, ledger);
  // Trust: reports look cards up through the resource pool (as the reporter sees them); rewards
  // and compensation move points through the ledger.
  trust::TrustService trust(**store, audit, notify, clock, random, *data_keys);
  LedgerPoints trust_points(ledger);
  trust.SetPointsPort(&trust_points);
  // Booking: points for price and deposit are ledger holds; outcomes feed trust's ratings and
  // credit — each inside the booking's own transaction.
  LedgerEscrow escrow(ledger);
  TrustOutcomes outcomes(trust);
  booking::BookingService bookings(**store, audit, notify, accounts, resources, clock, random,
                                   &escrow, &outcomes);
  booking::RegisterRoutes(router, bookings);
  trust.SetListingLookup(
      [&resources](const Actor& actor, std::int64_t card_id) -> Result<trust::Listing> {
        LINLI_ASSIGN_OR_RETURN(auto card, resources.Get(actor, card_id));
        return trust::Listing{card.id, card.community_id, card.owner_user_id, card.content.title};
      });
  trust::RegisterRoutes(router, trust);
  // Property services: counter payments confirmed by staff until an online provider is configured.
  property::CounterPayments counter_payments;
  property::PropertyService property(**store, audit, notify, clock, random, *data_keys,
                                     counter_payments);
  property::RegisterRoutes(router, property);
  // Erasing a person also takes their cards out of the pool (inside the erasure transaction).
  households.AddErasureHook([&resources](storage::Session& session, std::int64_t user_id) {
    return resources.EraseOwner(session, user_id);
  });
  http::StaticFiles static_files(config.web_root);
  router.SetFallback(
      [&static_files](http::Request& request) { return static_files.Serve(request); });

  const int io_threads = IoThreads(config);
  http::ServerOptions options;
  options.address = config.address;
  options.port = config.port;
  options.io_threads = io_threads;
  options.worker_threads = config.worker_threads > 0 ? config.worker_threads : 8 * io_threads;
  options.trust_proxy = config.trust_proxy;
  http::Server server(options, router, metrics);
  if (auto listening = server.Listen(); !listening) return ReportFatal(listening.error());
  const std::string host = config.address == "0.0.0.0" ? "127.0.0.1" : config.address;
  fmt::print("listening on http://{}:{}\n", host, server.port());
  std::fflush(stdout);
  spdlog::info(R"({{"msg":"serving","port":{},"io_threads":{},"workers":{},"backend":"{}"}})",
               server.port(), io_threads, options.worker_threads, (*store)->capabilities().backend);
  jobs::Scheduler scheduler(**store, clock, fmt::format("pid-{}", ::getpid()));
  // Modules register their periodic jobs here (scheduler.Every(...)).
  resources::RegisterJobs(scheduler, resources);
  tickets::RegisterJobs(scheduler, tickets);
  booking::RegisterJobs(scheduler, bookings);
  trust::RegisterJobs(scheduler, trust);
  property::RegisterJobs(scheduler, property);
  scheduler.Every("ledger.expire_holds", std::chrono::seconds(30),
                  [&ledger](std::int64_t) -> Status {
                    auto expired = ledger.ExpireHolds();
                    if (!expired) return expired.error();
                    return Ok();
                  });
  scheduler.Start();
  server.Run();
  scheduler.Stop();
  spdlog::info(R"({"msg":"stopped"})");
  spdlog::shutdown();
  return 0;
}

}  // namespace linli::app
