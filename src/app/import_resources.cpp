// `linli import resources FILE --community NAME --owner LOGIN`: door-to-door survey results
// (入户调研) into the resource pool, all or nothing, with a per-row report on failure.
#include <algorithm>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "accounts/repo.hpp"
#include "accounts/service.hpp"
#include "app/commands.hpp"
#include "audit/service.hpp"
#include "core/clock.hpp"
#include "core/limits.hpp"
#include "core/random.hpp"
#include "notify/service.hpp"
#include "resources/service.hpp"
#include "search/index.hpp"

namespace linli::app {
namespace {

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{Errc::kNotFound, "not_found", "cannot open " + path};
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (bytes.str().size() > limits::kCsvImportBytesMax) {
    return Error{
        Errc::kPayloadTooLarge, "body_too_large",
        fmt::format("{} is larger than {} bytes; split it", path, limits::kCsvImportBytesMax)};
  }
  return bytes.str();
}

// The community by name and the owner by login, who must belong to it.
Status FindTargets(storage::Store& store, const std::string& community, const std::string& login,
                   std::int64_t& community_id, std::int64_t& owner_id) {
  return store.Read([&](storage::Session& session) -> Status {
    LINLI_ASSIGN_OR_RETURN(auto row, session.QueryOne("SELECT id FROM communities WHERE name = $1 "
                                                      "ORDER BY id LIMIT 1",
                                                      {community}));
    if (!row) return Error{Errc::kNotFound, "not_found", "no community named " + community};
    community_id = row->Int(0);
    std::string key = login;
    for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    LINLI_ASSIGN_OR_RETURN(auto user, accounts::repo::FindUserByLogin(session, key));
    if (!user) return Error{Errc::kNotFound, "not_found", "no user with login " + login};
    LINLI_ASSIGN_OR_RETURN(auto memberships, accounts::repo::MembershipsOf(session, user->id));
    const bool member = std::any_of(memberships.begin(), memberships.end(),
                                    [&](const auto& m) { return m.id == community_id; });
    if (!member) {
      return Error{Errc::kNotFound, "not_found",
                   fmt::format("{} is not a member of {}", login, community)};
    }
    owner_id = user->id;
    return Ok();
  });
}

}  // namespace

int RunImportResources(const Config& config, const std::string& file, const std::string& community,
                       const std::string& owner, const std::string& lifecycle) {
  auto lifecycle_value = resources::ParseLifecycle(lifecycle);
  if (!lifecycle_value) {
    return ReportFatal({Errc::kInvalidArgument, "invalid_field",
                        "--lifecycle must be draft, pending_review or listed"});
  }
  auto csv = ReadFile(file);
  if (!csv) return ReportFatal(csv.error());
  auto store = OpenStore(config);
  if (!store) return ReportFatal(store.error());
  SystemClock clock;
  SecureRandom random;
  audit::AuditService audit(**store, clock);
  accounts::AccountsService accounts(**store, audit, clock, random);
  notify::NotifyService notify(**store, clock);
  search::Index index;  // this process serves nothing: running servers follow the change log
  resources::ResourcesService resources(**store, audit, notify, accounts, index, clock);
  std::int64_t community_id = 0;
  std::int64_t owner_id = 0;
  if (auto found = FindTargets(**store, community, owner, community_id, owner_id); !found) {
    return ReportFatal(found.error());
  }
  auto result =
      resources.ImportCsv(Actor::System(), community_id, *csv, {*lifecycle_value, owner_id});
  if (!result) return ReportFatal(result.error());
  if (!result->ok()) {
    fmt::print(stderr, "{}: {} problem(s); nothing was imported\n", file, result->problem_count);
    for (const auto& problem : result->problems) {
      fmt::print(stderr, "  row {} (line {}){}{}: {}\n", problem.row, problem.line,
                 problem.column.empty() ? "" : ", column ", problem.column, problem.reason);
    }
    if (result->problem_count > result->problems.size()) {
      fmt::print(stderr, "  ... and {} more\n", result->problem_count - result->problems.size());
    }
    return 1;
  }
  fmt::print("imported {} resource card(s) into {} as {}\n", result->created_ids.size(), community,
             lifecycle);
  return 0;
}

}  // namespace linli::app
