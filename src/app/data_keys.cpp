#include "app/data_keys.hpp"

#include <filesystem>

#include <fmt/format.h>

#include "app/commands.hpp"
#include "audit/service.hpp"
#include "core/clock.hpp"
#include "households/service.hpp"

namespace linli::app {

std::string DataKeyFilePath(const Config& config) {
  std::filesystem::path dir = "./var";
  if (config.db.starts_with("sqlite:")) {
    const auto parent = std::filesystem::path(config.db.substr(7)).parent_path();
    dir = parent.empty() ? std::filesystem::path(".") : parent;
  }
  return (dir / "linli-data.key").string();
}

Result<crypto::KeyRing> LoadDataKeys(const Config& config, Random& random) {
  if (!config.data_keys.empty()) return crypto::KeyRing::Parse(config.data_keys);
  const std::string path = DataKeyFilePath(config);
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  return crypto::LoadOrCreateKeyFile(path, random);
}

int RunRotateKeys(const Config& config) {
  auto store = OpenStore(config);
  if (!store) return ReportFatal(store.error());
  SecureRandom random;
  auto keys = LoadDataKeys(config, random);
  if (!keys) return ReportFatal(keys.error());
  SystemClock clock;
  audit::AuditService audit(**store, clock);
  households::HouseholdsService households(**store, audit, clock, random, *keys);
  auto report = households.RotateKeys(Actor::System());
  if (!report) return ReportFatal(report.error());
  fmt::print("rotate-keys: {} sealed value(s) re-sealed under data key {}\n", report->resealed,
             report->key_id);
  return 0;
}

}  // namespace linli::app
